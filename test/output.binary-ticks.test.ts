import { describe, expect, it } from 'vitest';
import { binaryTickLabel, binaryTickStep, binaryTicks } from '../lib/output/html/binary-ticks';

const KiB = 1024;
const MiB = 1024 * KiB; // 1,048,576 B

describe('binary y-axis ticks (HTML charts)', () => {
  it('steps by the smallest power of two that gives at most 5 steps, up to the first multiple at or above the max', () => {
    // 50,000,000 B = 47.68 MiB: 2^23 (8 MiB) gives 5.96 steps, 2^24 (16 MiB) 2.98: ticks 0, 16, 32, 48 MiB.
    expect(binaryTickStep(50_000_000, 5)).toBe(16 * MiB);
    expect(binaryTicks(50_000_000, 5)).toEqual([0, 16 * MiB, 32 * MiB, 48 * MiB]);
    expect(binaryTicks(50_000_000, 5).map((v) => binaryTickLabel(v, 48 * MiB))).toEqual(['0 MiB', '16 MiB', '32 MiB', '48 MiB']);
    // 36,044,800 B (the demo's DRAM peak, 34.38 MiB): 8 MiB steps (4.3 of them), top 40 MiB.
    expect(binaryTicks(36_044_800, 5)).toEqual([0, 8, 16, 24, 32, 40].map((m) => m * MiB));
    // 2,048 B: 512 B steps, labelled in KiB (the top's unit) with the decimals they need.
    expect(binaryTicks(2048, 5).map((v) => binaryTickLabel(v, 2048))).toEqual(['0 KiB', '0.5 KiB', '1 KiB', '1.5 KiB', '2 KiB']);
    // 1 MiB exactly: 256 KiB steps.
    expect(binaryTicks(MiB, 5).map((v) => binaryTickLabel(v, MiB))).toEqual(['0 MiB', '0.25 MiB', '0.5 MiB', '0.75 MiB', '1 MiB']);
    // Below one byte per step there is nothing to split: 1 B steps.
    expect(binaryTicks(3, 5)).toEqual([0, 1, 2, 3]);
    expect(binaryTicks(0, 5)).toEqual([0, 1]);
  });
});
