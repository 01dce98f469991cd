import { describe, expect, it } from 'vitest';
import { BufferStore, NONE, type Slot } from '../lib/aggregator/buffer-store';
import { RangeSet } from '../lib/aggregator/ranges';

/**
 * A range set filled by an allocator walking up, or down, through memory: chunks that overflow at
 * the set's ends stay full and start a new chunk, so lookups must hold across those uneven splits.
 */
describe('RangeSet filled in address order', () => {
  const SIZE = 0x400;
  const COUNT = 1500; // several chunks of 256

  for (const order of ['ascending', 'descending'] as const) {
    it(`finds every range of a ${order} walk, and frees them all`, () => {
      const store = new BufferStore();
      const set = new RangeSet(store);
      const slots: Slot[] = [];
      for (let k = 0; k < COUNT; k++) {
        const n = order === 'ascending' ? k : COUNT - 1 - k;
        const a = 0x10000 + n * SIZE;
        const s = store.add(n + 1, 0, 0, a, SIZE, a + SIZE, 1, k, 0, 0, 0, k);
        set.insert(s);
        slots[n] = s;
      }
      expect(set.size).toBe(COUNT);
      for (let n = 0; n < COUNT; n++) {
        const a = 0x10000 + n * SIZE;
        expect(set.containing(a + 0x10, a + 0x20)).toBe(slots[n]);
        expect(set.firstOverlap(a - 0x10, a + 0x10)).toBe(n === 0 ? slots[0] : slots[n - 1]);
      }
      expect(set.overlapping(0x10000 + 255 * SIZE, 0x10000 + 258 * SIZE)).toEqual([slots[255], slots[256], slots[257]]);
      expect(set.containing(0x10000 + COUNT * SIZE, 0x10000 + COUNT * SIZE + 1)).toBe(NONE);
      for (let n = 0; n < COUNT; n += 2) expect(set.remove(slots[n])).toBe(true);
      for (let n = 0; n < COUNT; n++) {
        const a = 0x10000 + n * SIZE;
        expect(set.containing(a, a + SIZE)).toBe(n % 2 === 0 ? NONE : slots[n]);
      }
      for (let n = 1; n < COUNT; n += 2) expect(set.remove(slots[n])).toBe(true);
      expect(set.size).toBe(0);
      expect(set.firstOverlap(0, 2 ** 40)).toBe(NONE);
    });
  }
});
