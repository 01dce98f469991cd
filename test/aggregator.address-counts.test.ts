import { describe, expect, it } from 'vitest';
import { AddressCounts } from '../lib/aggregator/address-counts';

/**
 * AddressCounts hashes addresses divided by the alignment all its keys share, learnt as keys arrive:
 * keys with ever fewer trailing zeros rehash the table. Each phase below lowers that alignment while
 * earlier keys must keep their counts.
 */
describe('AddressCounts across alignment changes', () => {
  it('counts like a Map when later keys are less aligned, with zero and addresses past 2^32', () => {
    const counts = new AddressCounts();
    const model = new Map<number, number>();
    const bump = (a: number) => {
      const next = (model.get(a) ?? 0) + 1;
      model.set(a, next);
      expect(counts.increment(a)).toBe(next);
    };
    // 1 MiB-aligned, then 1 KiB-aligned walks (dense groups of slots), then 32-byte and odd addresses.
    const phases = [
      (k: number) => (k % 64) * 2 ** 20,
      (k: number) => (k % 5000) * 1024 + (k % 3 === 0 ? 7 * 2 ** 32 : 0),
      (k: number) => (k % 900) * 32,
      (k: number) => (k * 7919) % 100_003,
    ];
    bump(0);
    for (const address of phases) {
      for (let k = 0; k < 12_000; k++) bump(address(k));
      for (const [a, c] of model) expect(counts.get(a)).toBe(c);
    }
    expect(counts.get(2 ** 53 - 1)).toBe(0);
    expect(counts.get(1)).toBe(model.get(1) ?? 0);
  });
});
