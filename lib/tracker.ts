/** The process's one tracker: enable/disable, drains, report. Phases: resolve options, call native. */
import { Aggregator, type Checkpoint } from './aggregator/aggregator';
import { Drain } from './drain';
import { isMainThread, threadId } from 'node:worker_threads';
import { onExit } from './exit-hooks';
import { native, nativeCall, type NativeStats, type RecordStatus } from './native';
import { resolveOptions, type ResolvedOptions, type TrackerOptions } from './options';
import { processorReport } from './processor-report';
import type { FailureExplanation, Leak, Report } from './report/types';
import { expectKnownKeys, expectObject, expectOneOf } from './validate';

let aggregator = new Aggregator();
let drain = new Drain(aggregator);
let current: ResolvedOptions | undefined;
// Drops of the stream this environment's report covers. The native counters are process-wide and
// count every environment's drops: only those while this environment owned tracking, since its last
// reset(), are its own (`droppedBefore` from earlier ownerships, `droppedAtEnable` from this one).
let droppedBefore = 0;
let droppedAtEnable = 0;

function ownDropped(): number {
  return droppedBefore + (current ? native().stats().dropped - droppedAtEnable : 0);
}
// TT_ALLOC_TRACKING_RECORD, for the first enable() that does not say `record` (set by index.ts).
let defaultRecord: string | undefined;
let recordDecided = false;
let warnedRecordError: string | null = null;

/** Sets the journal path the first enable() records to unless it passes `record`. */
export function setDefaultRecordPath(file: string | undefined): void {
  defaultRecord = file;
}

let exitHookInstalled = false;
let envDefaults: TrackerOptions = {};

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Exit hooks run synchronously, which is all a native drain needs (lib/exit-hooks.ts: normal exit,
  // process.exit(), uncaught exceptions, SIGINT and SIGTERM). The journal is finished here too: the
  // native atexit hook covers exits, but a re-raised SIGINT/SIGTERM ends the process without it.
  onExit(() => {
    drain.drainNow();
    if (current && native().recordStatus().path !== null) {
      native().enable({
        ringCapacity: current.ringCapacity, spillCapacity: current.spillCapacity, overflow: current.overflow, record: false, owner: environmentLabel(),
      });
    }
  });
}

/** Options from the environment (TT_ALLOC_TRACKING_RING_SIZE, ..._OVERFLOW): defaults for enable(). */
export function setEnvDefaults(options: TrackerOptions): void {
  envDefaults = { ...options };
}

/** How this Node environment is named in ownership errors (docs/threads.md). */
function environmentLabel(): string {
  return isMainThread ? 'the main thread' : `worker thread ${threadId}`;
}

/**
 * Starts tracking. Calling it again with other options applies them; events so far are kept.
 * Throws TrackerError ERR_TRACKER_OWNED while another environment (worker) has tracking enabled.
 */
export function enable(options?: TrackerOptions): void {
  // Validate what the caller passed (so errors name their value), then fill in the environment's.
  resolveOptions(options);
  const given = Object.entries(options ?? {}).filter(([, v]) => v !== undefined);
  const resolved = resolveOptions({ ...envDefaults, ...Object.fromEntries(given) });
  const record = resolved.record ?? (recordDecided ? undefined : defaultRecord);
  nativeCall(() => native().enable({
    ringCapacity: resolved.ringCapacity,
    spillCapacity: resolved.spillCapacity,
    overflow: resolved.overflow,
    record,
    owner: environmentLabel(),
  }));
  if (record !== undefined) recordDecided = true;
  if (!current) droppedAtEnable = native().stats().dropped;
  current = resolved;
  drain.startTimer(resolved.drainIntervalMs);
  installExitHook();
}

/** Stops accepting events. Events already pushed stay available to report(). */
export function disable(): void {
  if (!current) return;
  nativeCall(() => native().disable());
  // Take what is pending now: once disabled, another environment may enable and would discard it.
  drain.drainNow();
  drain.stopTimer();
  droppedBefore = ownDropped();
  current = undefined;
}

export function isEnabled(): boolean {
  return current !== undefined && native().isEnabled();
}

/** The journal being written (options.record), how many events it holds, and why it stopped if it failed. */
export function recording(): RecordStatus {
  return native().recordStatus();
}

/** Drains every pending event and returns the report as of now. */
export function report(): Report {
  drain.drainNow();
  warnRecordError();
  const processor = processorReport();
  const r = aggregator.report({ dropped: ownDropped() });
  return processor ? { ...r, processor } : r;
}

/** Native counters: pushed, accepted, dropped, drained, high-water marks. */
export function stats(): NativeStats {
  return native().stats();
}

/** Resets every peak to the current usage. */
export function resetPeak(): void {
  drain.drainNow();
  aggregator.resetPeak();
}

/**
 * Drains pending events and returns an opaque position in the stream: live owning allocations made
 * after it are what leaksSince() lists (e.g. around one test).
 */
export function checkpoint(): Checkpoint {
  drain.drainNow();
  return aggregator.checkpoint();
}

/** Drains pending events and lists the live owning allocations made after `token`, largest first. */
export function leaksSince(token: Checkpoint): Leak[] {
  drain.drainNow();
  return aggregator.leaksSince(token);
}

/**
 * Explains an allocation failure the runtime raised (a circular-buffer clash or an out-of-memory, from
 * TT-Metal or the embedded runtime): the live buffers in the way, with op, scope and exact overlap, and
 * for an out-of-memory whether it was fragmentation or exhaustion. Drains first, so the model is as of
 * the failure. Null when the error reports no allocation failure. Also listed in the report (`l1.failures`).
 */
export function explainFailure(error: unknown, options?: { device?: number; kind?: 'chip' | 'mesh' }): FailureExplanation | null {
  const o = options === undefined ? {} : expectObject('explainFailure() options', options);
  expectKnownKeys('explainFailure()', o, ['device', 'kind']);
  const kind = o.kind === undefined ? 'chip' : expectOneOf('explainFailure() kind', o.kind, ['chip', 'mesh'] as const);
  drain.drainNow();
  return aggregator.explainFailure(error, o.device as number | undefined, kind);
}

/** Drains now; returns the number of events consumed. */
export function flush(): number {
  return drain.drainNow();
}

/**
 * Forgets everything aggregated so far (pending events are drained and discarded first). Native
 * counters are process-wide and keep counting; reports after reset() count drops from this point.
 */
export function reset(): void {
  drain.drainNow(true);
  const interval = current?.drainIntervalMs ?? 0;
  drain.stopTimer();
  aggregator = new Aggregator();
  drain = new Drain(aggregator);
  droppedBefore = 0;
  droppedAtEnable = native().stats().dropped;
  if (current) drain.startTimer(interval);
}

function warnRecordError(): void {
  const { error } = native().recordStatus();
  if (error === null || error === warnedRecordError) return;
  warnedRecordError = error;
  process.emitWarning(error, { code: 'TT_ALLOC_TRACKER_RECORD' });
}
