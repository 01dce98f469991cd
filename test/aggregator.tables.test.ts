import { describe, expect, it } from 'vitest';
import { AddressCounts } from '../lib/aggregator/address-counts';
import { BufferStore, NONE, type Slot } from '../lib/aggregator/buffer-store';
import { LiveTable } from '../lib/aggregator/live-table';
import { RangeSet } from '../lib/aggregator/ranges';

function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s % n; };
}
const store = new BufferStore();
const buffer = (id: number, address = 0, size = 0): Slot => store.add(id, 0, 0, address, size, address + size, 1, 0, 0, 0, 0, 0);

describe('LiveTable', () => {
  it('agrees with a Map under random set/delete, across growth and probe-run deletions', () => {
    const rand = lcg(7);
    const table = new LiveTable(store);
    const model = new Map<number, Slot>();
    const ids = [0, 1, 2 ** 32, 2 ** 53 - 1, 5 * 2 ** 32 + 3];
    for (let k = 0; k < 50_000; k++) {
      const id = k % 10 === 0 ? ids[rand(ids.length)] : rand(5000) * 1024; // clustered hashes
      if (rand(3) === 0) expect(table.delete(id)).toBe(model.delete(id));
      else { const b = buffer(id); table.set(b); model.set(id, b); }
      if (k % 97 === 0) for (const probe of [id, id + 1024]) expect(table.get(probe)).toBe(model.get(probe) ?? NONE);
    }
    expect(table.size).toBe(model.size);
    for (const [id, b] of model) expect(table.get(id)).toBe(b);
    expect(table.all().length).toBe(model.size);
  });
});

describe('AddressCounts', () => {
  it('counts per address like a Map', () => {
    const rand = lcg(11);
    const counts = new AddressCounts();
    const model = new Map<number, number>();
    for (let k = 0; k < 20_000; k++) {
      const a = rand(3000) * 0x1000 + (k % 7 === 0 ? 2 ** 40 : 0);
      const next = (model.get(a) ?? 0) + 1;
      model.set(a, next);
      expect(counts.increment(a)).toBe(next);
    }
    for (const [a, c] of model) expect(counts.get(a)).toBe(c);
    expect(counts.get(0x1234)).toBe(0);
  });
});

describe('RangeSet', () => {
  it('finds containing and overlapping ranges like a linear scan, across chunk splits', () => {
    const rand = lcg(3);
    const set = new RangeSet(store);
    const model = new Set<Slot>();
    const address = (b: Slot) => store.address(b);
    const end = (b: Slot) => store.end(b);
    let id = 1;
    for (let k = 0; k < 6000; k++) {
      const start = rand(4000) * 0x100;
      const size = (1 + rand(3)) * 0x80;
      const clash = [...model].some((b) => address(b) < start + size && start < end(b));
      if (!clash) { const b = buffer(id++, start, size); set.insert(b); model.add(b); }
      if (rand(3) === 0 && model.size > 0) {
        const victim = [...model][rand(model.size)];
        expect(set.remove(victim)).toBe(true);
        model.delete(victim);
      }
      if (k % 13 === 0) {
        const qa = rand(4000) * 0x100 + rand(0x100);
        const qe = qa + rand(0x200);
        const overlapping = [...model].filter((b) => address(b) < qe && qa < end(b)).sort((x, y) => address(x) - address(y));
        expect(set.overlapping(qa, qe)).toEqual(overlapping);
        expect(set.firstOverlap(qa, qe)).toBe(overlapping[0] ?? NONE);
        const inside = [...model].find((b) => address(b) <= qa && qe <= end(b) && qa < end(b));
        expect(set.containing(qa, qe)).toBe(inside ?? NONE);
      }
    }
    expect(set.size).toBe(model.size);
  });
});
