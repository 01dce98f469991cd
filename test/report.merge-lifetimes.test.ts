import { describe, expect, it } from 'vitest';
import { mergeReports } from '../lib/report/merge';
import { aggregate, alloc, free, scopeBegin, scopeEnd } from './helpers/stream';

// Merging lifetimes (docs/report.md#merging-reports): classes summed, rows merged by (scope, class).
const KiB = 1024;
const names = ['add', 'mul'];
// Process 1: 'add' leaves 1 KiB live and 2 KiB freed later (in 'mul').
const one = aggregate([
  scopeBegin(1, 1), alloc(1, 0x1000, 1 * KiB), alloc(2, 0x2000, 2 * KiB), scopeEnd(1),
  scopeBegin(2, 2), free(2, 0x2000, 2 * KiB), scopeEnd(2),
], {}, names).report;
// Process 2: 'add' leaves 4 KiB live.
const two = aggregate([scopeBegin(1, 1), alloc(1, 0x1000, 4 * KiB), scopeEnd(1)], {}, names).report;

describe('mergeReports(): lifetimes', () => {
  it('sums the classes and merges rows of the same scope and class', () => {
    const merged = mergeReports([one, two]).lifetimes!;
    expect(merged.classes).toMatchObject({ live: { buffers: 2, bytes: 5 * KiB }, laterFree: { buffers: 1, bytes: 2 * KiB } });
    expect(merged.byScope.map((r) => [r.scope, r.class, r.buffers, r.bytes, r.examples.map((e) => e.size)])).toEqual([
      ['add', 'live', 2, 5 * KiB, [1 * KiB, 4 * KiB]], // process 1's example first
      ['add', 'laterFree', 1, 2 * KiB, [2 * KiB]],
    ]);
  });

  it('leaves it out when no input has it (reports of earlier versions)', () => {
    const { lifetimes: _, ...older } = two;
    expect('lifetimes' in mergeReports([older])).toBe(false);
  });
});
