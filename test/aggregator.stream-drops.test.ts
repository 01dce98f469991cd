/**
 * `complete` and `events.dropped` belong to the stream a report covers (lib/tracker.ts): the events
 * pushed while this environment owned tracking, since its enable() or reset(). The native drop
 * counter is process-wide; another environment's drops are not this report's. Workers load dist/.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as tracker from '../lib/index';
import * as sim from '../lib/sim';
import { TrackerWorker } from './helpers/worker';

let worker: TrackerWorker | undefined;

afterEach(async () => {
  tracker.disable();
  await worker?.worker.terminate();
  worker = undefined;
});

describe('report(): drops of the stream it covers', () => {
  it('does not inherit another environment’s drops when it takes over tracking', async () => {
    worker = new TrackerWorker();
    const overflow = await worker.must('overflow');
    // 40,000 events into a 64-slot ring without a drain: at least 40,000 − 64 − 16,384 (collector chunk) dropped.
    expect(overflow.dropped).toBeGreaterThan(40_000 - 64 - 16_384 - 1);
    const theirs = (await worker.must('report')).report!;
    expect(theirs.events.dropped).toBe(overflow.dropped);
    expect(theirs.complete).toBe(false);
    await worker.must('disable');

    // This environment takes over (no reset(): its first enable() starts its stream): 3 allocations, 3 frees.
    tracker.enable({ drainIntervalMs: 0 });
    const device = sim.openDevice();
    for (let i = 0; i < 3; i++) sim.createBuffer(device, { size: 4096, type: 'DRAM' }).deallocate();
    device.close();
    const ours = tracker.report();
    expect(tracker.stats().dropped).toBe(overflow.dropped); // the process-wide counter still has them
    expect(ours.events).toMatchObject({ alloc: 3, free: 3, dropped: 0 });
    expect(ours.complete).toBe(true);
  });

  it('keeps its own drops across disable() and a later enable()', async () => {
    tracker.reset();
    tracker.enable({ drainIntervalMs: 0, ringCapacity: 64, spillCapacity: 0, overflow: 'drop' });
    const { dropped } = (await import('../lib/testing')).emitSynthetic({ threads: 4, perThread: 10_000 });
    expect(dropped).toBeGreaterThan(0);
    tracker.disable();
    tracker.enable({ drainIntervalMs: 0 });
    expect(tracker.report().events.dropped).toBe(dropped);
    tracker.reset();
    expect(tracker.report()).toMatchObject({ complete: true, events: { dropped: 0 } });
  });
});
