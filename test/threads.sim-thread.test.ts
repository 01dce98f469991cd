/**
 * The simulated runtime driven from a second native thread (a libuv pool thread) while the JS thread
 * drains: every event of that thread reaches the tracker exactly once, in its order.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { EventKind, MemType } from '../lib/events/format';
import * as tracker from '../lib/index';
import * as sim from '../lib/sim';
import { drainRecords, simAllocFreeOnThread } from '../lib/testing';
import type { EventRecord } from '../lib/events/format';

const PAIRS = 5000;

/** Drains with `drain` on this thread until `work` settles, then once more. Returns the drain count. */
async function drainWhile<T>(work: Promise<T>, drain: () => void): Promise<{ result: T; drains: number }> {
  let settled = false;
  const done = work.finally(() => { settled = true; });
  let drains = 0;
  while (!settled) {
    drain();
    drains++;
    await yieldToLoop();
  }
  drain();
  return { result: await done, drains: drains + 1 };
}

afterEach(() => {
  tracker.disable();
  sim.close();
});

describe('simulated runtime on a second native thread', () => {
  it('reaches the aggregator exactly while the JS thread drains', async () => {
    tracker.enable({ drainIntervalMs: 0 });
    tracker.reset();
    const device = sim.openDevice();
    const { result } = await drainWhile(simAllocFreeOnThread(device, PAIRS), () => tracker.flush());
    expect(result.pairs).toBe(PAIRS);
    const r = tracker.report();
    // 2 DeviceInfo (DRAM, L1: upstream's default L1_SMALL and trace region are 0, docs/sim.md#parts).
    expect(r.events).toMatchObject({ total: 2 + 2 * PAIRS, alloc: PAIRS, free: PAIRS, deviceInfo: 2, outOfOrder: 0, dropped: 0 });
    expect(r.classes.alloc).toEqual({ ok: PAIRS, alias: 0, overlap: 0, duplicateAlloc: 0, invalid: 0 });
    expect(r.classes.free).toEqual({ ok: PAIRS, aliasFree: 0, doubleFree: 0, staleFree: 0, untrackedFree: 0, invalid: 0 });
    const dram = r.devices.find((d) => d.id === device.id)!.memory.DRAM;
    // One 4 KiB buffer at a time: usage returns to 0 after each pair.
    expect(dram).toMatchObject({ current: 0, allocated: PAIRS, freed: PAIRS, liveBuffers: 0 });
    expect(r.leakSummary.buffers).toBe(0);
  });

  it('delivers that thread’s records in its order, tagged with its own thread index', async () => {
    tracker.enable({ drainIntervalMs: 0 });
    tracker.reset();
    const device = sim.openDevice();
    // One pair on the JS thread first: the device is announced (DeviceInfo on first sighting) here, for
    // DRAM and L1 (upstream's default L1_SMALL and trace region are 0, docs/sim.md#parts).
    sim.createBuffer(device, { size: 4096, type: 'DRAM' }).deallocate();
    const before = drainRecords();
    expect(before.map((r) => r.kind)).toEqual([9, 9, EventKind.Alloc, EventKind.Free]);
    const jsThread = before[0].thread;
    expect(before.every((r) => r.thread === jsThread)).toBe(true);
    const records: EventRecord[] = [];
    const { result } = await drainWhile(simAllocFreeOnThread(device, PAIRS), () => records.push(...drainRecords()));
    expect(records).toHaveLength(2 * PAIRS);
    expect(result.thread).not.toBe(jsThread);
    for (let k = 1; k < records.length; k++) expect(records[k].seq).toBeGreaterThan(records[k - 1].seq);
    const mismatches = records.filter((r, k) =>
      r.kind !== (k % 2 === 0 ? EventKind.Alloc : EventKind.Free) || r.thread !== result.thread || r.device !== device.id ||
      r.memType !== MemType.DRAM || r.size !== 4096 || r.objectId !== records[k - (k % 2)].objectId);
    expect(mismatches).toEqual([]);
    // Each pair is a new buffer object (TT-Metal's unique_id counter).
    expect(new Set(records.map((r) => r.objectId)).size).toBe(PAIRS);
  });
});
