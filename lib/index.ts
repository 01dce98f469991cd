/**
 * tt-alloc-tracker: in-process device-memory allocation tracking for TT-Metal.
 * Environment switches (docs/harness.md#environment) are read once, here, at require time.
 */
import { readEnv } from './env';
import { enable, setEnvDefaults } from './tracker';
import { writeReportAtExit } from './report-at-exit';

export { enable, disable, isEnabled, report, stats, resetPeak, flush, reset, checkpoint, leaksSince } from './tracker';
export { scope, beginScope, endScope } from './scopes';
export type { ScopeToken } from './scopes';
export { formatReport } from './output/text';
export type { FormatOptions } from './output/text';
export { mergeReports } from './report/merge';
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

const env = readEnv();
setEnvDefaults(env.options);
if (env.reportPath !== undefined) writeReportAtExit(env.reportPath);
if (env.enabled) enable();
export * as sim from './sim';
