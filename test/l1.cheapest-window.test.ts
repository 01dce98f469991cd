import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FreeSpace } from '../lib/aggregator/fragmentation';
import { cheapestWindow } from '../lib/aggregator/l1-picture';

// The cheapest window of an out-of-memory explanation against brute force: every start in
// [base, top − bytes], the most free bytes, the lowest such start.
describe('cheapestWindow()', () => {
  it('finds the window with the most free bytes, the lowest on a tie, like trying every start', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 120 }),
      fc.array(fc.tuple(fc.nat(119), fc.integer({ min: 1, max: 30 })), { maxLength: 8 }), fc.integer({ min: 1, max: 120 }),
      (base, capacity, ranges, bytes) => {
        const space = new FreeSpace(0, 1, capacity, 4);
        space.setBase(base, 'circularBuffer', [], 0, 0);
        const live = new Uint8Array(capacity);
        for (const [offset, length] of ranges) {
          const s = base + (offset % capacity);
          const e = Math.min(s + length, base + capacity);
          space.occupy(s, e, 0, 0);
          for (let a = s; a < e; a++) live[a - base] = 1;
        }
        let best: { start: number; end: number } | null = null;
        let bestFree = -1;
        for (let s = base; s + bytes <= base + capacity; s++) {
          let free = 0;
          for (let a = s; a < s + bytes; a++) free += live[a - base] ? 0 : 1;
          if (free > bestFree) { bestFree = free; best = { start: s, end: s + bytes }; }
        }
        expect(cheapestWindow(space, bytes)).toEqual(best);
      },
    ), { numRuns: 500, seed: 19 });
  });
});
