/**
 * tt-alloc-tracker: in-process device-memory allocation tracking for TT-Metal.
 * The functions are the bound methods of this environment's Tracker (lib/tracker.ts), which read the
 * environment switches (docs/harness.md#environment) when it was created, at require time.
 */
import { environmentTracker } from './tracker';

export {
  enable, disable, isEnabled, report, stats, resetPeak, flush, reset, checkpoint, leaksSince, recording, explainFailure,
} from './tracker';
export { scope, beginScope, endScope } from './scopes';
export type { ScopeToken } from './scopes';
export { formatReport } from './output/text';
export type { FormatOptions } from './output/text';
export { mergeReports } from './report/merge';
export { replay, recover } from './journal/replay';
export type { ReplayOptions, RecoveryResult, LostRange } from './journal/replay';
export type { TrackerOptions, OverflowPolicy } from './options';
export type {
  Report, DeviceReport, MemoryUsage, EventCounts, Classification, Anomalies, AnomalyExample, AnomalyClass, AnomalySubkind,
  Site, RelatedBuffer, Leak, LeakGroup, LeakSummary, OpReport, ScopeReport, OpSlice, OpSlices, TimedSite, TimelineSeries, Summary, WorstAddress,
  MemoryByType, BytesByType,
} from './report/types';
export type { L1Report, CbHeadroom, Blocker, L1Snapshot, SnapshotCb, FragmentationReport, FailureExplanation } from './report/types';
export type { Checkpoint, AggregatorOptions } from './aggregator/aggregator';
export type { NativeStats, RecordStatus } from './native';
export { TrackerError, JournalError } from './errors';
export { toChromeTrace } from './output/perfetto';
export type { ChromeTrace, TraceEvent } from './output/perfetto';
export { renderHtmlReport } from './output/html';
export type { HtmlReportOptions } from './output/html';
export { FORMAT_VERSION } from './events/format';
export { native as nativeBinding, nativePath } from './native';

export * as sim from './sim';

// Loading the package applies TT_ALLOC_TRACKING_REPORT and TT_ALLOC_TRACKING_ENABLED (the documented behaviour).
environmentTracker.startFromEnvironment();
