/**
 * tt-alloc-tracker: in-process device-memory allocation tracking for TT-Metal.
 * Environment switches (docs/harness.md#environment) are read once, here, at require time.
 */
import { readEnv } from './env';
import { enable, setDefaultRecordPath, setEnvDefaults } from './tracker';
import { writeReportAtExit } from './report-at-exit';

export {
  enable, disable, isEnabled, report, stats, resetPeak, flush, reset, checkpoint, leaksSince, recording,
} from './tracker';
export { explainFailure } from './tracker';
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

const env = readEnv();
setEnvDefaults(env.options);
setDefaultRecordPath(env.recordPath);
if (env.reportPath !== undefined) writeReportAtExit(env.reportPath);
if (env.enabled) enableFromEnv();

/**
 * The require-time enable(): a journal that cannot be created, or whose ring file has no room, warns
 * and tracking runs without it.
 */
function enableFromEnv(): void {
  try {
    enable();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 'ERR_RECORD_OPEN' && code !== 'ERR_RECORD_SPACE') throw err;
    process.emitWarning(`${(err as Error).message}; tracking without recording`, { code: 'TT_ALLOC_TRACKER_ENV' });
    enable({ record: false });
  }
}
export * as sim from './sim';
