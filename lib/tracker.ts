/** The process's one tracker: enable/disable, drains, report. Phases: resolve options, call native. */
import { Aggregator, type Checkpoint } from './aggregator/aggregator';
import { Drain } from './drain';
import { isMainThread, threadId } from 'node:worker_threads';
import { native, nativeCall, type NativeStats } from './native';
import { resolveOptions, type ResolvedOptions, type TrackerOptions } from './options';
import type { Leak, Report } from './report/types';

let aggregator = new Aggregator();
let drain = new Drain(aggregator);
let current: ResolvedOptions | undefined;
let exitHookInstalled = false;
// Native drop counter at the last reset(): the native counters are process-wide.
let droppedBase = 0;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers run synchronously, which is all a native drain needs.
  process.on('exit', () => drain.drainNow());
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
  const resolved = resolveOptions(options);
  nativeCall(() => native().enable({
    ringCapacity: resolved.ringCapacity,
    spillCapacity: resolved.spillCapacity,
    overflow: resolved.overflow,
    owner: environmentLabel(),
  }));
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
  current = undefined;
}

export function isEnabled(): boolean {
  return current !== undefined && native().isEnabled();
}

/** Drains every pending event and returns the report as of now. */
export function report(): Report {
  drain.drainNow();
  return aggregator.report({ dropped: native().stats().dropped - droppedBase });
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

/** Drains now; returns the number of events consumed. */
export function flush(): number {
  return drain.drainNow();
}

/**
 * Forgets everything aggregated so far (pending events are drained and discarded first). Native
 * counters are process-wide and keep counting; reports after reset() count drops from this point.
 */
export function reset(): void {
  drain.drainNow();
  const interval = current?.drainIntervalMs ?? 0;
  drain.stopTimer();
  aggregator = new Aggregator();
  drain = new Drain(aggregator);
  droppedBase = native().stats().dropped;
  if (current) drain.startTimer(interval);
}
