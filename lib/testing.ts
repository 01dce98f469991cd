/**
 * Test producers: native threads that push through the same path as the runtime. For tests and
 * benchmarks (`require('tt-alloc-tracker/testing')`).
 */
import { EventBatch, MemType, readRecord, type EventRecord } from './events/format';
import { native, nativeCall, nativeCallAsync, nativePath } from './native';
import { simNative } from './sim/binding';
import { expectDevice, type SimDevice } from './sim/device';
import { expectInteger, expectKnownKeys, expectObject } from './validate';

export interface SyntheticOptions {
  /** Native threads to start, 1..256. */
  threads: number;
  /** Allocate/free pairs each thread pushes, 0..2^32. */
  perThread: number;
  /** Push from the calling (JS) thread instead of new threads, one "thread" after another. @default false */
  onCallingThread?: boolean;
}

/**
 * Pushes `2 × threads × perThread` events (allocate then free of a 1 KiB DRAM buffer on device 0) and
 * returns how many were pushed and how many the ring dropped.
 */
export function emitSynthetic(options: SyntheticOptions): { pushed: number; dropped: number } {
  const o = expectObject('emitSynthetic() options', options);
  expectKnownKeys('emitSynthetic()', o, ['threads', 'perThread', 'onCallingThread']);
  const threads = expectInteger('threads', o.threads, 1, 256);
  const perThread = expectInteger('perThread', o.perThread, 0, 2 ** 32);
  if (o.onCallingThread !== undefined && typeof o.onCallingThread !== 'boolean') {
    throw new TypeError(`Expected a boolean for onCallingThread but received ${String(o.onCallingThread)} of type ${typeof o.onCallingThread}`);
  }
  return nativeCall(() => native().testing.emitSynthetic({ threads, perThread, onCallingThread: o.onCallingThread === true }));
}

export interface BackgroundResult {
  /** Events pushed: 2 × threads × perThread. */
  pushed: number;
  /** Of those, dropped by the ring. */
  dropped: number;
  /** Nanoseconds from the start until the last producer finished pushing. */
  elapsedNs: number;
}

export interface BackgroundProducersOptions {
  /** Native threads to start, 1..256. */
  threads: number;
  /** Allocate/free pairs each thread pushes, 0..2^32. */
  perThread: number;
  /**
   * Events per second offered by all threads together (each paces itself at its share: bursts of 256
   * events against an absolute schedule, sleeping in between), 1..2^32. Omitted: as fast as possible.
   */
  ratePerSec?: number;
}

/**
 * Starts `threads` native producer threads that push `perThread` allocate/free pairs each (as
 * emitSynthetic), flat out or paced at `ratePerSec`, and returns at once, so the calling thread can
 * drain while they run. Poll backgroundProducersResult(). One run at a time. For the end-to-end benchmark.
 */
export function startBackgroundProducers(options: BackgroundProducersOptions): void {
  const o = expectObject('startBackgroundProducers() options', options);
  expectKnownKeys('startBackgroundProducers()', o, ['threads', 'perThread', 'ratePerSec']);
  const threads = expectInteger('threads', o.threads, 1, 256);
  const perThread = expectInteger('perThread', o.perThread, 0, 2 ** 32);
  const ratePerSec = o.ratePerSec === undefined ? 0 : expectInteger('ratePerSec', o.ratePerSec, 1, 2 ** 32);
  nativeCall(() => native().testing.startBackgroundProducers({ threads, perThread, ratePerSec }));
}

/** null while the producers of startBackgroundProducers() run; then their result, once. */
export function backgroundProducersResult(): BackgroundResult | null {
  return nativeCall(() => native().testing.backgroundResult());
}

/** Pushes `count` scope marks through the exported C ABI (dlopen + dlsym), as foreign native code would. */
export function pushViaCApi(count: number): number {
  const n = expectInteger('count', count, 0, 2 ** 31);
  return nativeCall(() => native().testing.pushViaCApi(nativePath(), n));
}

/**
 * Drains pending events straight from the native layer as plain records, bypassing the aggregator:
 * for tests that assert an exact event stream. Events drained here never reach report().
 */
export function drainRecords(): EventRecord[] {
  const records: EventRecord[] = [];
  for (const buffer of nativeCall(() => native().drain())) {
    const batch = new EventBatch(buffer);
    for (let i = 0; i < batch.count; i++) records.push(readRecord(batch, i));
  }
  return records;
}

/**
 * Test-only: allocates and frees one `size`-byte DRAM buffer on `device`, `pairs` times, on a native
 * pool thread (not the calling one), while the JS thread stays free to drain. Resolves with the pairs
 * done and that thread's index in event records.
 */
export function simAllocFreeOnThread(device: SimDevice, pairs: number, size = 4096): Promise<{ pairs: number; thread: number }> {
  const d = expectDevice('simAllocFreeOnThread() device', device);
  expectInteger('simAllocFreeOnThread() pairs', pairs, 0, 2 ** 32 - 1);
  expectInteger('simAllocFreeOnThread() size', size, 1, 2 ** 40);
  return nativeCallAsync(() => simNative().allocFreeOnThread(d.id, pairs, size, MemType.DRAM));
}
