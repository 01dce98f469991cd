/**
 * The Tracker class over a fake binding: no addon, hand-built event batches, so every value is exact.
 * Several trackers live in this one process, which the environment's tracker alone never allowed.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AggregatorOptions } from '../lib/aggregator/aggregator';
import { TrackerError } from '../lib/errors';
import { encodeRecords } from '../lib/events/format';
import type { NativeStats, RecordStatus } from '../lib/native';
import { Tracker, type TrackerBinding } from '../lib/tracker';
import { alloc, free, opEnd, opStart } from './helpers/stream';

type EnableConfig = Parameters<TrackerBinding['enable']>[0];
type Fields = Parameters<typeof encodeRecords>[0][number];

const NO_STATS: NativeStats = {
  pushed: 0, accepted: 0, dropped: 0, drained: 0, discarded: 0, buffered: 0, ringHighWater: 0, spillHighWater: 0,
  ringCapacity: 0, spillCapacity: 0, names: 0, namesOverflowed: 0, ringsMapped: 0, ringsReleased: 0, owner: null,
};

/** A binding that serves queued batches to drainInto() and records every enable()/disable(). */
class FakeBinding implements TrackerBinding {
  enabled = false;
  dropped = 0;
  readonly enables: EnableConfig[] = [];
  disables = 0;
  /** Thrown by the next enable(), then cleared. */
  failNextEnable: Error | undefined;
  private pending: Uint8Array[] = [];
  private readonly names_: string[] = [];
  private journal: string | null = null;

  /** Queues `records` as one drain batch (seq and time = position unless given), names as interned ids 1.. */
  push(records: Fields[], names: string[] = []): void {
    this.pending.push(new Uint8Array(encodeRecords(records)));
    this.names_.push(...names);
  }

  pendingBatches(): number {
    return this.pending.length;
  }

  enable(config: EnableConfig): void {
    const failure = this.failNextEnable;
    this.failNextEnable = undefined;
    if (failure) throw failure;
    this.enables.push(config);
    if (config.record !== undefined) this.journal = config.record === false ? null : config.record;
    this.enabled = true;
  }
  disable(): void {
    this.disables++;
    this.enabled = false;
  }
  isEnabled(): boolean {
    return this.enabled;
  }
  drainInto(_scratch: ArrayBuffer, _reset: boolean, _maxEvents: number): [Uint8Array, number] {
    const batch = this.pending.shift() ?? new Uint8Array(0);
    return [batch, this.pending.reduce((n, b) => n + b.byteLength / 64, 0)];
  }
  names(fromId: number): string[] {
    return this.names_.slice(fromId - 1);
  }
  stats(): NativeStats {
    return { ...NO_STATS, dropped: this.dropped };
  }
  recordStatus(): RecordStatus {
    return { path: this.journal, error: null, events: 0, names: 0 };
  }
}

function makeTracker(env: NodeJS.ProcessEnv = {}, aggregator?: AggregatorOptions): { tracker: Tracker; fake: FakeBinding; warnings: string[] } {
  const fake = new FakeBinding();
  const warnings: string[] = [];
  const tracker = new Tracker({ binding: () => fake, env, owner: 'the test', warn: (m) => warnings.push(m), aggregator });
  return { tracker, fake, warnings };
}

// lib/options.ts DEFAULT_OPTIONS: ring 1048576 slots, spill 4194304 events, 'drop'.
const DEFAULT_NATIVE = { ringCapacity: 1048576, spillCapacity: 4194304, overflow: 'drop', record: undefined, owner: 'the test' };

describe('Tracker over a fake binding', () => {
  it('enable() passes the options over the environment\'s over the defaults, resolved once, to the binding', () => {
    const { tracker, fake, warnings } = makeTracker({ TT_ALLOC_TRACKING_RING_SIZE: '1024', TT_ALLOC_TRACKING_OVERFLOW: 'block' });
    tracker.enable({ drainIntervalMs: 0 });
    tracker.enable({ ringCapacity: 2048, drainIntervalMs: 0 });
    expect(fake.enables).toEqual([
      { ...DEFAULT_NATIVE, ringCapacity: 1024, overflow: 'block' },
      { ...DEFAULT_NATIVE, ringCapacity: 2048, overflow: 'block' },
    ]);
    expect(warnings).toEqual([]);
    expect(tracker.isEnabled()).toBe(true);
  });

  it('turns a bad environment variable into one warning and its default, and a bad option into a RangeError', () => {
    const { tracker, fake, warnings } = makeTracker({ TT_ALLOC_TRACKING_RING_SIZE: '1000', TT_ALLOC_TRACKING_ENABLED: 'yes' });
    // The same wording as test/harness.env.test.ts asserts from a child process.
    expect(warnings).toEqual([
      "TT_ALLOC_TRACKING_RING_SIZE='1000' is not a power of two between 64 and 67108864; using the default ring of 1048576 events",
      "TT_ALLOC_TRACKING_ENABLED='yes' is not one of '1', 'true', '0', 'false'; tracking stays off",
    ]);
    tracker.startFromEnvironment();
    expect(fake.enables).toEqual([]);
    expect(() => tracker.enable({ ringCapacity: 1000 })).toThrow(Object.assign(
      new RangeError('Expected a power of two between 64 and 67108864 for ringCapacity but received 1000 of type number'), { code: 'ERR_INVALID_ARG_VALUE' }));
    expect(fake.enables).toEqual([]);
  });

  it('report() drains the hand-built batches into exact usage, ops and leaks', () => {
    const { tracker, fake } = makeTracker();
    tracker.enable({ drainIntervalMs: 0 });
    fake.push([opStart(1), alloc(1, 0x1000, 4096), alloc(2, 0x3000, 8192)], ['matmul']);
    fake.push([free(1, 0x1000, 4096), opEnd()]);
    const r = tracker.report();
    expect(r.events).toMatchObject({ alloc: 2, free: 1, dropped: 0 });
    // Chip 0 DRAM: 4096 → 12288 (peak) → 8192 after buffer 1 is freed; buffer 2 is still live.
    expect(r.devices.map((d) => [d.id, d.kind, d.memory.DRAM])).toEqual([
      [0, 'chip', { current: 8192, peak: 12288, allocated: 2, freed: 1, lost: 0, liveBuffers: 1 }],
    ]);
    expect(r.leaks.map((l) => [l.id, l.size, l.op])).toEqual([[2, 8192, 'matmul']]);
    expect(r.ops.map((o) => [o.name, o.calls, o.peak.DRAM])).toEqual([['matmul', 1, 12288]]);
    // A fake without processor info: no `processor` section.
    expect(r.processor).toBeUndefined();
  });

  it('counts only the drops while it owned tracking, across disable() and enable()', () => {
    const { tracker, fake } = makeTracker();
    fake.dropped = 3;
    tracker.enable({ drainIntervalMs: 0 });
    fake.dropped = 10; // 7 while enabled
    tracker.disable();
    fake.dropped = 20; // another environment's 10
    tracker.enable({ drainIntervalMs: 0 });
    fake.dropped = 25; // 5 more of ours
    expect(tracker.report().events.dropped).toBe(7 + 5);
    tracker.reset();
    fake.dropped = 26;
    expect(tracker.report().events.dropped).toBe(1);
  });

  it('disable() drains what is pending before another environment could take the stream', () => {
    const { tracker, fake } = makeTracker();
    tracker.enable({ drainIntervalMs: 0 });
    fake.push([alloc(7, 0x8000, 1024)]);
    tracker.disable();
    expect([fake.disables, fake.pendingBatches(), tracker.isEnabled()]).toEqual([1, 0, false]);
    expect(tracker.report().leaks.map((l) => [l.id, l.size])).toEqual([[7, 1024]]);
  });

  it('applies TT_ALLOC_TRACKING_RECORD to the first enable() only; later ones leave the journal as it is', () => {
    const file = path.join(os.tmpdir(), 'run.ttj');
    const { tracker, fake } = makeTracker({ TT_ALLOC_TRACKING_RECORD: file });
    tracker.enable({ drainIntervalMs: 0 });
    tracker.enable({ drainIntervalMs: 0 });
    tracker.enable({ record: false, drainIntervalMs: 0 });
    tracker.enable({ drainIntervalMs: 0 });
    expect(fake.enables.map((c) => c.record)).toEqual([file, undefined, false, undefined]);
  });

  it('converts a coded native error into a TrackerError; from the environment, a journal that cannot open warns and tracks without it', () => {
    const file = path.join(os.tmpdir(), 'run.ttj');
    const { tracker, fake, warnings } = makeTracker({ TT_ALLOC_TRACKING_ENABLED: '1', TT_ALLOC_TRACKING_RECORD: file });
    fake.failNextEnable = Object.assign(new Error(`tt-alloc-tracker: cannot record: ${file}: permission denied`), { code: 'ERR_RECORD_OPEN' });
    tracker.startFromEnvironment();
    expect(warnings).toEqual([`tt-alloc-tracker: cannot record: ${file}: permission denied; tracking without recording`]);
    expect(fake.enables).toEqual([{ ...DEFAULT_NATIVE, record: false }]);

    fake.failNextEnable = Object.assign(new Error('owned by worker thread 2'), { code: 'ERR_TRACKER_OWNED' });
    let thrown: unknown;
    try {
      tracker.enable();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TrackerError);
    expect(thrown).toMatchObject({ name: 'TrackerError', code: 'ERR_TRACKER_OWNED', message: 'owned by worker thread 2' });
  });

  it('keeps two trackers apart: each its own aggregator and configuration', () => {
    const a = makeTracker({ TT_ALLOC_TRACKING_OVERFLOW: 'block' });
    const b = makeTracker();
    a.tracker.enable({ drainIntervalMs: 0 });
    b.tracker.enable({ drainIntervalMs: 0 });
    a.fake.push([alloc(1, 0x1000, 100)]);
    b.fake.push([alloc(1, 0x1000, 200), alloc(2, 0x2000, 300)]);
    expect(a.tracker.report().events.alloc).toBe(1);
    expect(b.tracker.report().events.alloc).toBe(2);
    expect([a.fake.enables[0].overflow, b.fake.enables[0].overflow]).toEqual(['block', 'drop']);
  });

  it('builds its aggregators, after reset() too, with the AggregatorOptions it was given', () => {
    const { tracker, fake } = makeTracker({}, { leakListLimit: 1 });
    tracker.enable({ drainIntervalMs: 0 });
    fake.push([alloc(1, 0x1000, 100), alloc(2, 0x2000, 300)]);
    // leakListLimit 1: only the largest leak is listed; the summary still counts both (lib/aggregator/options.ts).
    expect(tracker.report().leaks.map((l) => [l.id, l.size])).toEqual([[2, 300]]);
    tracker.reset();
    fake.push([alloc(3, 0x3000, 50), alloc(4, 0x4000, 70)]);
    expect(tracker.report().leaks.map((l) => [l.id, l.size])).toEqual([[4, 70]]);
    expect(() => makeTracker({}, { leakListLimit: -1 })).toThrow(RangeError);
  });
});
