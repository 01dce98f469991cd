import { describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { drainRecords, emitSynthetic } from '../lib/testing';
import { EventKind } from '../lib/events/format';

describe('ring: ordering across threads', () => {
  it('keeps each thread in order and gives a global order in which no free precedes its allocate', () => {
    enable({ ringCapacity: 2 ** 20 });
    drainRecords();
    const { pushed, dropped } = emitSynthetic({ threads: 4, perThread: 50_000 });
    expect(dropped).toBe(0);
    const records = drainRecords();
    expect(records.length).toBe(pushed);

    const allocated = new Set<number>();
    const lastIndexPerThread = new Map<number, number>();
    let freeBeforeAlloc = 0, seqNotIncreasing = 0, threadOutOfOrder = 0;
    records.forEach((r, i) => {
      if (i > 0 && r.seq !== records[i - 1].seq + 1) seqNotIncreasing++;
      // Each producer thread allocates ids from its own contiguous, increasing range.
      const producer = r.thread;
      const index = r.objectId;
      if (r.kind === EventKind.Alloc) {
        allocated.add(r.objectId);
        if ((lastIndexPerThread.get(producer) ?? -1) >= index) threadOutOfOrder++;
        lastIndexPerThread.set(producer, index);
      } else if (!allocated.has(r.objectId)) {
        freeBeforeAlloc++;
      }
    });
    expect({ freeBeforeAlloc, seqNotIncreasing, threadOutOfOrder }).toEqual({ freeBeforeAlloc: 0, seqNotIncreasing: 0, threadOutOfOrder: 0 });
    expect(lastIndexPerThread.size).toBe(4);
    expect(new Set(records.map((r) => r.thread)).size).toBe(4);
  });
});
