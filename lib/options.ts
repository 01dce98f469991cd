/** enable() options: defaults, validation, and the native configuration they become. */
import * as path from 'node:path';
import { invalidOption } from './errors';
import { expectInteger, expectKnownKeys, expectObject, expectOneOf, expectPowerOfTwo } from './validate';

export const OVERFLOW_POLICIES = ['drop', 'block'] as const;
export type OverflowPolicy = (typeof OVERFLOW_POLICIES)[number];

export interface TrackerOptions {
  /**
   * Ring slots (64-byte events), a power of two. The ring absorbs bursts while the native collector
   * thread is asleep (it sleeps 200 µs when idle).
   * @default 1048576 (64 MiB of address space; pages are faulted in by the collector after enable())
   */
  ringCapacity?: number;
  /**
   * Events buffered natively beyond the ring until the next JS drain: what carries a synchronous
   * burst on the JS thread. Allocated in 1 MiB chunks (16,384 events) only as needed; rounded up to
   * whole chunks, at least one.
   * @default 4194304 (at most 256 MiB)
   */
  spillCapacity?: number;
  /**
   * When ring and spill are full: `'drop'` drops and counts each event; `'block'` makes the producer
   * wait for the collector while the spill still has room (and drop once it has none).
   * @default 'drop'
   */
  overflow?: OverflowPolicy;
  /**
   * Milliseconds between background drains on an unref'd timer; 0 disables the timer.
   * @default 100
   */
  drainIntervalMs?: number;
  /**
   * Records every event to a binary journal at this path (and the ring to `<path>.ring` while
   * recording), for `replay()` and, after a crash, `tt-alloc-tracker recover` (docs/recording.md).
   * `%p` in the path becomes the process id. Files are created with mode 0600, replacing any at the
   * same path. The same path again continues the journal; another path finishes it and starts a new
   * one; `false` finishes it and stops recording.
   * @default unchanged: the journal being written, if any, else `TT_ALLOC_TRACKING_RECORD`, else none
   */
  record?: string | false;
}

export interface ResolvedOptions {
  ringCapacity: number;
  spillCapacity: number;
  overflow: OverflowPolicy;
  drainIntervalMs: number;
  /** Absolute journal path, false to stop, undefined to leave recording as it is. */
  record: string | false | undefined;
}

export const DEFAULT_OPTIONS: Readonly<ResolvedOptions> = Object.freeze({
  ringCapacity: 1048576,
  spillCapacity: 4194304,
  overflow: 'drop',
  drainIntervalMs: 100,
  record: undefined,
});

export const OPTION_NAMES = ['ringCapacity', 'spillCapacity', 'overflow', 'drainIntervalMs', 'record'] as const;

// 64 slots is the smallest ring that still amortises the collector's batch; 2^26 slots is 4 GiB.
export const RING_MIN = 64;
export const RING_MAX = 2 ** 26;
// 2^28 events = 16 GiB of spill: beyond any sane burst on a 24 GiB machine.
const SPILL_MAX = 2 ** 28;
const INTERVAL_MAX = 60_000;

const RECORD_EXPECTED = 'a non-empty file path without NUL bytes, or false';

/** A journal path: non-empty, no NUL byte; `%p` becomes the pid; resolved against the current directory now. */
export function resolveRecordPath(option: string, value: unknown): string | false {
  if (value === false) return false;
  if (typeof value !== 'string') throw invalidOption(option, RECORD_EXPECTED, value, 'type');
  if (value.length === 0 || value.includes('\0')) throw invalidOption(option, RECORD_EXPECTED, value, 'range');
  return path.resolve(value.replace(/%p/g, String(process.pid)));
}

/**
 * Validates enable() options and fills what they leave out from `defaults` (the built-in defaults,
 * or the environment's, lib/config.ts). One pass: an error names the caller's value.
 */
export function resolveOptions(options: unknown, defaults: Readonly<ResolvedOptions> = DEFAULT_OPTIONS): ResolvedOptions {
  if (options === undefined) return { ...defaults };
  const o = expectObject('enable() options', options);
  expectKnownKeys('enable()', o, OPTION_NAMES);
  return {
    ringCapacity: o.ringCapacity === undefined ? defaults.ringCapacity : expectPowerOfTwo('ringCapacity', o.ringCapacity, RING_MIN, RING_MAX),
    spillCapacity: o.spillCapacity === undefined ? defaults.spillCapacity : expectInteger('spillCapacity', o.spillCapacity, 0, SPILL_MAX),
    overflow: o.overflow === undefined ? defaults.overflow : expectOneOf('overflow', o.overflow, OVERFLOW_POLICIES),
    drainIntervalMs: o.drainIntervalMs === undefined ? defaults.drainIntervalMs : expectInteger('drainIntervalMs', o.drainIntervalMs, 0, INTERVAL_MAX),
    record: o.record === undefined ? defaults.record : resolveRecordPath('record', o.record),
  };
}
