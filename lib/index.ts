/**
 * tt-alloc-tracker: in-process device-memory allocation tracking for TT-Metal.
 * `TT_ALLOC_TRACKING_ENABLED=1` enables tracking when the package is required.
 */
import { enabledFromEnv, recordPathFromEnv } from './env';
import { enable, setDefaultRecordPath } from './tracker';

export { enable, disable, isEnabled, report, stats, resetPeak, flush, reset, checkpoint, leaksSince, recording } from './tracker';
export { replay, recover } from './journal/replay';
export type { ReplayOptions, RecoveryResult, LostRange } from './journal/replay';
export type { TrackerOptions, OverflowPolicy } from './options';
export type {
  Report, DeviceReport, MemoryUsage, EventCounts, Classification, Anomalies, AnomalyExample, AnomalyClass, AnomalySubkind,
  Site, RelatedBuffer, Leak, LeakGroup, LeakSummary, OpReport, ScopeReport, TimelineSeries, Summary, WorstAddress,
  MemoryByType, BytesByType,
} from './report/types';
export type { Checkpoint, AggregatorOptions } from './aggregator/aggregator';
export type { NativeStats, RecordStatus } from './native';
export { TrackerError, JournalError } from './errors';
export { FORMAT_VERSION } from './events/format';
export { native as nativeBinding, nativePath } from './native';

setDefaultRecordPath(recordPathFromEnv());
if (enabledFromEnv()) enableFromEnv();

/** The require-time enable(): a journal that cannot be created warns and tracking runs without it. */
function enableFromEnv(): void {
  try {
    enable();
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ERR_RECORD_OPEN') throw err;
    process.emitWarning(`${(err as Error).message}; tracking without recording`, { code: 'TT_ALLOC_TRACKER_ENV' });
    enable({ record: false });
  }
}
export * as sim from './sim';
