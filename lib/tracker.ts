/**
 * A tracker: one Node environment's view of the native event stream. It owns its configuration (the
 * environment's defaults, lib/config.ts), its aggregator and drain, its share of the drop counter, the
 * journal default and its exit hooks. The package's functions are the bound methods of the
 * environment's instance (end of this file); tests build one over a fake binding.
 */
import { Aggregator, type AggregatorOptions, type Checkpoint } from './aggregator/aggregator';
import { resolveConfig } from './config';
import { Drain } from './drain';
import { isMainThread, threadId } from 'node:worker_threads';
import { onExit } from './exit-hooks';
import { native, nativeCall, type NativeBinding, type NativeStats, type ProcessorBinding, type RecordStatus } from './native';
import { resolveOptions, type ResolvedOptions, type TrackerOptions } from './options';
import { writeReportFile } from './output/report-file';
import { processorReport } from './processor-report';
import type { FailureExplanation, Leak, Report } from './report/types';
import { expectKnownKeys, expectObject, expectOneOf } from './validate';

/** The native calls a tracker makes: the addon's, or a test's fake. */
export type TrackerBinding = Pick<NativeBinding, 'enable' | 'disable' | 'isEnabled' | 'drainInto' | 'names' | 'stats' | 'recordStatus'> & {
  processor?: Partial<Pick<ProcessorBinding, 'info'>>;
};

export interface TrackerSetup {
  /** The binding, fetched on each use (the addon loads on the first native call, not at construction). */
  binding: () => TrackerBinding;
  /** Environment variables (docs/harness.md#environment): defaults for enable() and the require-time switches. */
  env: NodeJS.ProcessEnv;
  /** How this environment is named in ownership errors (docs/threads.md). */
  owner: string;
  /** Where environment warnings go. @default process.emitWarning with code TT_ALLOC_TRACKER_ENV */
  warn?: (message: string) => void;
  /** Report limits (docs/report.md); checked here, once. @default the defaults of lib/aggregator/options.ts */
  aggregator?: AggregatorOptions;
}

function envWarning(message: string): void {
  process.emitWarning(message, { code: 'TT_ALLOC_TRACKER_ENV' });
}

export class Tracker {
  private readonly binding: () => TrackerBinding;
  private readonly owner: string;
  private readonly warn: (message: string) => void;
  /** TT_ALLOC_TRACKING_ENABLED and _REPORT, applied by startFromEnvironment(). */
  private readonly fromEnv: { enabled: boolean; reportPath: string | undefined };
  /**
   * What enable() fills in for options it is not given: the environment's, then the built-in ones.
   * `record` holds TT_ALLOC_TRACKING_RECORD until an enable() applied a journal choice; after that the
   * journal is left as it is unless enable() says otherwise.
   */
  private defaults: ResolvedOptions;
  private readonly aggregatorOptions: AggregatorOptions | undefined;
  private aggregator: Aggregator;
  private drain: Drain;
  private current: ResolvedOptions | undefined;
  // Drops of the stream this environment's report covers. The native counters are process-wide and
  // count every environment's drops: only those while this environment owned tracking, since its last
  // reset(), are its own (`droppedBefore` from earlier ownerships, `droppedAtEnable` from this one).
  private droppedBefore = 0;
  private droppedAtEnable = 0;
  private warnedRecordError: string | null = null;
  private exitDrainInstalled = false;
  private reportTarget: string | undefined;
  private reportHookInstalled = false;

  constructor(setup: TrackerSetup) {
    this.binding = setup.binding;
    this.owner = setup.owner;
    this.warn = setup.warn ?? envWarning;
    const config = resolveConfig({ env: setup.env });
    for (const message of config.warnings) this.warn(message);
    this.fromEnv = { enabled: config.enabled, reportPath: config.reportPath };
    this.defaults = config.options;
    this.aggregatorOptions = setup.aggregator;
    this.aggregator = new Aggregator(this.aggregatorOptions);
    this.drain = new Drain(this.aggregator, this.binding);
  }

  /** Runs one call into the binding through the error converter (lib/native.ts nativeCall). */
  private call<T>(fn: (binding: TrackerBinding) => T): T {
    return nativeCall(() => fn(this.binding()));
  }

  /**
   * What loading the package does (docs/harness.md#environment): the report at exit from
   * TT_ALLOC_TRACKING_REPORT, and enable() when TT_ALLOC_TRACKING_ENABLED is set. A journal that cannot
   * be created, or whose ring file has no room, warns and tracking runs without it.
   */
  startFromEnvironment(): void {
    if (this.fromEnv.reportPath !== undefined) this.writeReportAtExit(this.fromEnv.reportPath);
    if (!this.fromEnv.enabled) return;
    try {
      this.enable();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code !== 'ERR_RECORD_OPEN' && code !== 'ERR_RECORD_SPACE') throw err;
      this.warn(`${(err as Error).message}; tracking without recording`);
      this.enable({ record: false });
    }
  }

  /**
   * Starts tracking. Calling it again with other options applies them; events so far are kept.
   * Throws TrackerError ERR_TRACKER_OWNED while another environment (worker) has tracking enabled.
   */
  enable(options?: TrackerOptions): void {
    const resolved = resolveOptions(options, this.defaults);
    this.call((b) => b.enable({
      ringCapacity: resolved.ringCapacity,
      spillCapacity: resolved.spillCapacity,
      overflow: resolved.overflow,
      record: resolved.record,
      owner: this.owner,
    }));
    // The journal choice is applied: a later enable() without `record` keeps whatever is being written.
    this.defaults = { ...this.defaults, record: undefined };
    if (!this.current) this.droppedAtEnable = this.call((b) => b.stats().dropped);
    this.current = resolved;
    this.drain.startTimer(resolved.drainIntervalMs);
    this.installExitDrain();
  }

  /** Stops accepting events. Events already pushed stay available to report(). */
  disable(): void {
    if (!this.current) return;
    this.call((b) => b.disable());
    // Take what is pending now: once disabled, another environment may enable and would discard it.
    this.drain.drainNow();
    this.drain.stopTimer();
    this.droppedBefore = this.ownDropped();
    this.current = undefined;
  }

  isEnabled(): boolean {
    return this.current !== undefined && this.call((b) => b.isEnabled());
  }

  /** The journal being written (options.record), how many events it holds, and why it stopped if it failed. */
  recording(): RecordStatus {
    return this.call((b) => b.recordStatus());
  }

  /** Drains every pending event and returns the report as of now. */
  report(): Report {
    this.drain.drainNow();
    this.warnRecordError();
    const processor = processorReport(this.call((b) => b.processor));
    const r = this.aggregator.report({ dropped: this.ownDropped() });
    return processor ? { ...r, processor } : r;
  }

  /** Native counters: pushed, accepted, dropped, drained, high-water marks. */
  stats(): NativeStats {
    return this.call((b) => b.stats());
  }

  /** Resets every peak to the current usage. */
  resetPeak(): void {
    this.drain.drainNow();
    this.aggregator.resetPeak();
  }

  /**
   * Drains pending events and returns an opaque position in the stream: live owning allocations made
   * after it are what leaksSince() lists (e.g. around one test).
   */
  checkpoint(): Checkpoint {
    this.drain.drainNow();
    return this.aggregator.checkpoint();
  }

  /** Drains pending events and lists the live owning allocations made after `token`, largest first. */
  leaksSince(token: Checkpoint): Leak[] {
    this.drain.drainNow();
    return this.aggregator.leaksSince(token);
  }

  /**
   * Explains an allocation failure the runtime raised (a circular-buffer clash or an out-of-memory, from
   * TT-Metal or the embedded runtime): the live buffers in the way, with op, scope and exact overlap, and
   * for an out-of-memory whether it was fragmentation or exhaustion. Drains first, so the model is as of
   * the failure. Null when the error reports no allocation failure. Also listed in the report (`l1.failures`).
   */
  explainFailure(error: unknown, options?: { device?: number; kind?: 'chip' | 'mesh' }): FailureExplanation | null {
    const o = options === undefined ? {} : expectObject('explainFailure() options', options);
    expectKnownKeys('explainFailure()', o, ['device', 'kind']);
    const kind = o.kind === undefined ? 'chip' : expectOneOf('explainFailure() kind', o.kind, ['chip', 'mesh'] as const);
    this.drain.drainNow();
    return this.aggregator.explainFailure(error, o.device as number | undefined, kind);
  }

  /** Drains now; returns the number of events consumed. */
  flush(): number {
    return this.drain.drainNow();
  }

  /**
   * Forgets everything aggregated so far (pending events are drained and discarded first). Native
   * counters are process-wide and keep counting; reports after reset() count drops from this point.
   */
  reset(): void {
    this.drain.drainNow(true);
    const interval = this.current?.drainIntervalMs ?? 0;
    this.drain.stopTimer();
    this.aggregator = new Aggregator(this.aggregatorOptions);
    this.drain = new Drain(this.aggregator, this.binding);
    this.droppedBefore = 0;
    this.droppedAtEnable = this.call((b) => b.stats().dropped);
    if (this.current) this.drain.startTimer(interval);
  }

  /**
   * Writes report() to `file` (format by suffix, lib/output/report-file.ts) when the process ends, after
   * every pending event has been drained; undefined cancels. One target at a time (TT_ALLOC_TRACKING_REPORT,
   * the vitest integration).
   */
  writeReportAtExit(file: string | undefined): void {
    this.reportTarget = file;
    if (file === undefined || this.reportHookInstalled) return;
    this.reportHookInstalled = true;
    onExit(() => {
      const target = this.reportTarget;
      if (target === undefined) return;
      try {
        writeReportFile(target, this.report());
      } catch (err) {
        process.stderr.write(`tt-alloc-tracker: could not write the report to ${target}: ${(err as Error).message}\n`);
      }
    });
  }

  private ownDropped(): number {
    return this.droppedBefore + (this.current ? this.call((b) => b.stats().dropped) - this.droppedAtEnable : 0);
  }

  private installExitDrain(): void {
    if (this.exitDrainInstalled) return;
    this.exitDrainInstalled = true;
    // Exit hooks run synchronously, which is all a native drain needs (lib/exit-hooks.ts: normal exit,
    // process.exit(), uncaught exceptions, SIGINT and SIGTERM). The journal is finished here too: the
    // native atexit hook covers exits, but a re-raised SIGINT/SIGTERM ends the process without it.
    onExit(() => {
      this.drain.drainNow();
      const current = this.current;
      if (current && this.call((b) => b.recordStatus().path) !== null) {
        this.call((b) => b.enable({
          ringCapacity: current.ringCapacity, spillCapacity: current.spillCapacity, overflow: current.overflow, record: false, owner: this.owner,
        }));
      }
    });
  }

  private warnRecordError(): void {
    const { error } = this.call((b) => b.recordStatus());
    if (error === null || error === this.warnedRecordError) return;
    this.warnedRecordError = error;
    process.emitWarning(error, { code: 'TT_ALLOC_TRACKER_RECORD' });
  }
}

/** This Node environment's tracker (each worker thread loads its own copy of the package, so has its own). */
export const environmentTracker = new Tracker({
  binding: native,
  env: process.env,
  owner: isMainThread ? 'the main thread' : `worker thread ${threadId}`,
});

// The package's functions: the environment tracker's methods, bound.
const t = environmentTracker;
export const enable: Tracker['enable'] = t.enable.bind(t);
export const disable: Tracker['disable'] = t.disable.bind(t);
export const isEnabled: Tracker['isEnabled'] = t.isEnabled.bind(t);
export const recording: Tracker['recording'] = t.recording.bind(t);
export const report: Tracker['report'] = t.report.bind(t);
export const stats: Tracker['stats'] = t.stats.bind(t);
export const resetPeak: Tracker['resetPeak'] = t.resetPeak.bind(t);
export const checkpoint: Tracker['checkpoint'] = t.checkpoint.bind(t);
export const leaksSince: Tracker['leaksSince'] = t.leaksSince.bind(t);
export const explainFailure: Tracker['explainFailure'] = t.explainFailure.bind(t);
export const flush: Tracker['flush'] = t.flush.bind(t);
export const reset: Tracker['reset'] = t.reset.bind(t);
export const writeReportAtExit: Tracker['writeReportAtExit'] = t.writeReportAtExit.bind(t);
