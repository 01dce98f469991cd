/**
 * tt-alloc-tracker: in-process device-memory allocation tracking for TT-Metal.
 * `TT_ALLOC_TRACKING_ENABLED=1` enables tracking when the package is required.
 */
import { enabledFromEnv } from './env';
import { enable } from './tracker';

export { enable, disable, isEnabled, report, stats, resetPeak, flush, reset, checkpoint, leaksSince } from './tracker';
export type { TrackerOptions, OverflowPolicy } from './options';
export type {
  Report, DeviceReport, MemoryUsage, EventCounts, Classification, Anomalies, AnomalyExample, AnomalyClass, AnomalySubkind,
  Site, RelatedBuffer, Leak, LeakGroup, LeakSummary, OpReport, ScopeReport, OpSlice, OpSlices, TimedSite, TimelineSeries, Summary, WorstAddress,
  MemoryByType, BytesByType,
} from './report/types';
export type { Checkpoint, AggregatorOptions } from './aggregator/aggregator';
export type { NativeStats } from './native';
export { TrackerError } from './errors';
export { toChromeTrace } from './output/perfetto';
export type { ChromeTrace, TraceEvent } from './output/perfetto';
export { renderHtmlReport } from './output/html';
export type { HtmlReportOptions } from './output/html';
export { FORMAT_VERSION } from './events/format';
export { native as nativeBinding, nativePath } from './native';

if (enabledFromEnv()) enable();
export * as sim from './sim';
