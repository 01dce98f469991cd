import { describe, expect, it } from 'vitest';
import { Aggregator } from '../lib/aggregator/aggregator';
import { Timeline } from '../lib/aggregator/timeline';
import { aggregate, alloc, deviceOf, feed, free, MemType, opEnd, opStart, scopeBegin, scopeEnd } from './helpers/stream';

// Circular buffers per TT-Metal generation: test/aggregator.circular-buffers.test.ts.

describe('Aggregator: ops and scopes', () => {
  // names: 1 'outer', 2 'inner', 3 'test-a'
  const names = ['outer', 'inner', 'test-a'];
  const { report } = aggregate([
    alloc(99, 0x100000, 5000), //            before any op: not attributed
    scopeBegin(77, 3),
    opStart(1),
    alloc(1, 0x1000, 100),
    opStart(2),
    alloc(2, 0x2000, 300, { memType: MemType.L1 }),
    alloc(3, 0x3000, 50),
    free(3, 0x3000, 50),
    opEnd(),
    free(2, 0x2000, 300, { memType: MemType.L1 }),
    alloc(4, 0x4000, 20),
    opEnd(),
    opStart(2), alloc(5, 0x5000, 10), opEnd(), // second call of inner, smaller
    scopeEnd(77),
    free(99, 0x100000, 5000),
  ], {}, names);

  it('counts an inner op’s bytes toward the outer op’s peak', () => {
    const zero = { DRAM: 0, L1: 0, SYSTEM_MEMORY: 0, L1_SMALL: 0, TRACE: 0, CB: 0 };
    const chip0 = { id: 0, kind: 'chip' };
    // Chip 0 DRAM before the ops: 5000 (buffer 99). outer's own DRAM: 100 → 150 → 100 → 120 (peak 150);
    // L1 300. Chip 0 DRAM while outer ran: 5000 at its start → 5100 → 5150 → 5100 → 5120 (device peak 5150).
    // inner, call 1: own DRAM 50, L1 300, chip DRAM 5100 → 5150; call 2: own 10, chip 5120 → 5130.
    expect(report.ops).toEqual([
      {
        name: 'outer', calls: 1, peak: { ...zero, DRAM: 150, L1: 300 }, peakDevice: { DRAM: chip0, L1: chip0 },
        devicePeak: { ...zero, DRAM: 5150, L1: 300 }, devicePeakDevice: { DRAM: chip0, L1: chip0 }, suspiciousFrees: 0,
      },
      {
        name: 'inner', calls: 2, peak: { ...zero, DRAM: 50, L1: 300 }, peakDevice: { DRAM: chip0, L1: chip0 },
        devicePeak: { ...zero, DRAM: 5150, L1: 300 }, devicePeakDevice: { DRAM: chip0, L1: chip0 }, suspiciousFrees: 0,
      },
    ]);
    // The scope's own: 100 → 150 → 100 → 120 → 130; buffer 99 is freed after it ends.
    expect(report.scopes).toEqual([{
      name: 'test-a', calls: 1, peak: { ...zero, DRAM: 150, L1: 300 }, peakDevice: { DRAM: chip0, L1: chip0 },
      devicePeak: { ...zero, DRAM: 5150, L1: 300 }, devicePeakDevice: { DRAM: chip0, L1: chip0 }, suspiciousFrees: 0,
    }]);
  });

  it('attributes leaks to the op and scope of their allocation, grouped, largest first', () => {
    expect(report.leaks.map((l) => [l.id, l.size, l.op, l.scope])).toEqual([[1, 100, 'outer', 'test-a'], [4, 20, 'outer', 'test-a'], [5, 10, 'inner', 'test-a']]);
    expect(report.leakSummary).toEqual({
      buffers: 3, bytes: 130, lostWithDevice: { buffers: 0, bytes: 0 }, listed: 3,
      groups: [{ op: 'outer', scope: 'test-a', buffers: 2, bytes: 120 }, { op: 'inner', scope: 'test-a', buffers: 1, bytes: 10 }],
    });
  });

  it('keeps ops on separate threads apart', () => {
    const r = aggregate([opStart(1, 1), opStart(2, 2), alloc(1, 0x1000, 64, { thread: 2 }), opEnd(2), opEnd(1)], {}, ['a', 'b']).report;
    expect(r.ops.map((o) => [o.name, o.peak.DRAM])).toEqual([['b', 64], ['a', 0]]);
  });

  it('ignores ends without starts', () => {
    const r = aggregate([opEnd(), scopeEnd(5), alloc(1, 0x1000, 64)]).report;
    expect(r.ops).toEqual([]);
    expect(r.scopes).toEqual([]);
  });
});

describe('Aggregator#resetPeak()', () => {
  it('resets every watermark to current usage', () => {
    const agg = new Aggregator();
    feed(agg, [alloc(1, 0x1000, 1000), alloc(2, 0x2000, 500), free(1, 0x1000, 1000)], 0);
    expect(deviceOf(agg.report({ dropped: 0 }), 0).memory.DRAM.peak).toBe(1500);
    agg.resetPeak();
    expect(deviceOf(agg.report({ dropped: 0 }), 0).memory.DRAM).toMatchObject({ current: 500, peak: 500 });
    feed(agg, [alloc(3, 0x3000, 200)], 3);
    expect(deviceOf(agg.report({ dropped: 0 }), 0).memory.DRAM).toMatchObject({ current: 700, peak: 700 });
  });
});

describe('Aggregator#checkpoint() / leaksSince()', () => {
  it('lists live owners allocated after the checkpoint', () => {
    const agg = new Aggregator();
    feed(agg, [alloc(1, 0x1000, 10), alloc(2, 0x2000, 20)], 0);
    const cp = agg.checkpoint();
    feed(agg, [alloc(3, 0x3000, 30), alloc(4, 0x4000, 40), free(4, 0x4000, 40), free(1, 0x1000, 10), alloc(5, 0x4100, 5, {}), alloc(6, 0x4100, 5)], 2);
    expect(agg.leaksSince(cp).map((l) => l.id)).toEqual([3, 5]);
    expect(() => agg.leaksSince(-1 as never)).toThrow('Expected an integer between 0 and 9007199254740991 for checkpoint but received -1 of type number');
  });
});

describe('Aggregator: report()', () => {
  it('is incomplete when events were dropped', () => {
    const agg = new Aggregator();
    expect(agg.report({ dropped: 3 })).toMatchObject({ schema: 'tt-alloc-tracker/report@2', complete: false, events: { dropped: 3 } });
  });

  it('reports capacity from DeviceInfo', () => {
    const r = aggregate([{ kind: 9, device: 2, memType: MemType.DRAM, size: 12 * 2 ** 30, aux: 12 }]).report;
    expect(deviceOf(r, 2).capacity).toEqual({ DRAM: 12 * 2 ** 30 });
  });

  it('validates options with the shared vocabulary', () => {
    expect(() => new Aggregator({ timelinePoints: 2 })).toThrow('Expected an integer between 4 and 1000000 for timelinePoints but received 2 of type number');
    expect(() => new Aggregator({ timelinePoint: 5 } as never)).toThrow("Unknown option 'timelinePoint' for Aggregator (did you mean 'timelinePoints'?)");
  });
});

describe('Timeline', () => {
  it('keeps the exact peak and its time when it downsamples', () => {
    const t = new Timeline(8);
    const values = [0, 5, 3, 9, 2, 2, 7, 1, 4, 100, 6, 0, 8, 3, 3, 1, 2, 50, 1, 0];
    values.forEach((v, i) => { t.push(i * 10, v); });
    const points = t.points();
    expect(points.length).toBeLessThanOrEqual(8);
    expect(t.samples).toBe(20);
    expect(points).toContainEqual([90, 100]);
    expect(Math.max(...points.map((p) => p[1]))).toBe(100);
    const times = points.map((p) => p[0]);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('bounds each device × type series to timelinePoints with the exact peak', () => {
    const records = [];
    for (let k = 0; k < 1000; k++) records.push(alloc(k + 1, 0x1000 * (k + 1), 64));
    for (let k = 0; k < 1000; k++) records.push(free(k + 1, 0x1000 * (k + 1), 64));
    const r = aggregate(records, { timelinePoints: 16 }).report;
    const [series] = r.timeline;
    expect(series).toMatchObject({ device: 0, type: 'DRAM', samples: 2000 });
    expect(series.points.length).toBeLessThanOrEqual(16);
    expect(Math.max(...series.points.map((p) => p[1]))).toBe(64000);
    expect(deviceOf(r, 0).memory.DRAM.peak).toBe(64000);
  });
});
