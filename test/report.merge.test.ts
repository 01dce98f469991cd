import { beforeAll, describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { mergeReports } from '../lib/report/merge';
import * as pkg from '../lib/index';
import { MEM_TYPE_NAMES } from '../lib/events/format';
import type { Report } from '../lib/report/types';
import { reportA, reportB } from './helpers/reports';
import { checkReport } from '../lib/report/check';
import { typeError } from './helpers/errors';

let a: Report;
let b: Report;
beforeAll(() => {
  enable({ drainIntervalMs: 0 });
  a = reportA();
  b = reportB();
});

describe('mergeReports()', () => {
  it('is exported by the package', () => {
    expect(pkg.mergeReports).toBe(mergeReports);
  });

  it('of one report is that report with its timeline and op slices moved into its one process track', () => {
    expect(a.timeline.length).toBeGreaterThan(0);
    expect(a.opSlices.slices.length).toBeGreaterThan(0);
    // l1 time series (headroom, largest free block) are left out like the timeline (lib/report/merge-l1.ts).
    const l1 = (r: typeof a) => ({ ...r.l1!, headroomSeries: [], fragmentation: r.l1!.fragmentation.map((f) => ({ ...f, points: [] })) });
    const moved = (r: typeof a, label: string) => ({
      // Nor the live process's processor section (lib/report/types.ts: absent in merged reports).
      ...r, processor: undefined, timeline: [], opSlices: { omitted: r.opSlices.omitted, slices: [] }, l1: l1(r),
      processes: [{ label, files: [], timeline: r.timeline, opSlices: r.opSlices }],
    });
    expect(mergeReports([a])).toEqual(moved(a, 'report 1'));
    expect(mergeReports([b], [{ label: 'pid 7 thread 2', files: ['b.spec.ts'] }]))
      .toEqual({ ...moved(b, 'pid 7 thread 2'), processes: [{ ...moved(b, '').processes[0], label: 'pid 7 thread 2', files: ['b.spec.ts'] }] });
  });

  it('keeps every process apart: one track per source, and merging merged reports keeps their tracks', () => {
    const ab = mergeReports([a, b], [{ label: 'pid 1' }, { label: 'pid 2', files: ['x.spec.ts', 'y.spec.ts'] }]);
    expect(ab.processes!.map((p) => [p.label, p.files, p.timeline, p.opSlices])).toEqual([
      ['pid 1', [], a.timeline, a.opSlices], ['pid 2', ['x.spec.ts', 'y.spec.ts'], b.timeline, b.opSlices],
    ]);
    const again = mergeReports([ab, a], [{ label: 'ignored: ab has tracks' }, { label: 'pid 3' }]);
    expect(again.processes!.map((p) => p.label)).toEqual(['pid 1', 'pid 2', 'pid 3']);
    expect(checkReport(again, 'merged twice')).toBe(again);
  });

  it('rejects sources that do not name each report', () => {
    expect(() => mergeReports([a, b], [{ label: 'only one' }])).toThrow(typeError(
      "Expected an array of 2 { label, files? } (one per report) for mergeReports() sources but received an array"));
    expect(() => mergeReports([a], [{ label: 3 } as never])).toThrow(typeError(
      'Expected { label: string, files?: string[] } for mergeReports() sources[0] but received an object'));
  });

  it('adds counts, takes the maximum of peaks, and leaves the inputs alone', () => {
    const before = structuredClone([a, b]);
    const m = mergeReports([a, b]);
    expect([a, b]).toEqual(before);
    expect(checkReport(m, 'merged')).toBe(m);
    const empty = mergeReports([]);
    expect(checkReport(empty, 'empty')).toBe(empty);
    for (const key of Object.keys(a.events) as (keyof Report['events'])[]) expect(m.events[key]).toBe(a.events[key] + b.events[key]);
    expect(m.classes.free.doubleFree).toBe(1);
    expect(m.classes.alloc.alias).toBe(a.classes.alloc.alias);
    expect(m.complete).toBe(true);
    // Chip 0 is a chip of A's mesh and B's only chip (A's mesh may be mesh 0 too: mesh ids count from 0).
    const chip0 = (r: Report) => r.devices.find((d) => d.id === 0 && d.kind === 'chip')!;
    for (const type of MEM_TYPE_NAMES) {
      const [ua, ub, um] = [chip0(a).memory[type], chip0(b).memory[type], chip0(m).memory[type]];
      expect(um).toEqual({
        current: ua.current + ub.current, peak: Math.max(ua.peak, ub.peak), allocated: ua.allocated + ub.allocated,
        freed: ua.freed + ub.freed, lost: ua.lost + ub.lost, liveBuffers: ua.liveBuffers + ub.liveBuffers,
      });
    }
    expect(chip0(m).memory.DRAM.current).toBe(1024 * 1024 + 2 * 1024 * 1024);
    // Devices only A saw (chips 1-7, its mesh) come through unchanged.
    const notChip0 = (d: Report['devices'][number]) => !(d.id === 0 && d.kind === 'chip');
    expect(m.devices.map((d) => [d.id, d.kind])).toEqual(a.devices.map((d) => [d.id, d.kind]));
    expect(m.devices.filter(notChip0)).toEqual(a.devices.filter(notChip0));
  });

  it('concatenates leaks (largest first) and merges leak groups by op and scope', () => {
    const m = mergeReports([a, b]);
    expect(m.leaks.map((l) => [l.size, l.type, l.scope])).toEqual([
      [2 * 1024 * 1024, 'DRAM', 'suite > keeps cache'], [1024 * 1024, 'DRAM', 'suite > keeps cache'], [4096, 'L1', 'suite > keeps cache'],
    ]);
    expect(m.leakSummary).toEqual({
      buffers: 3, bytes: 3 * 1024 * 1024 + 4096, lostWithDevice: { buffers: 0, bytes: 0 }, listed: 3,
      groups: [{ op: null, scope: 'suite > keeps cache', buffers: 3, bytes: 3 * 1024 * 1024 + 4096 }],
    });
  });

  it('merges ops and scopes by name: calls summed, peak per type the maximum', () => {
    const m = mergeReports([a, b, a]);
    expect(m.ops.map((o) => [o.name, o.calls])).toEqual(a.ops.map((o) => [o.name, 2 * o.calls]));
    expect(m.ops.map((o) => o.peak)).toEqual(a.ops.map((o) => o.peak));
    // The largest peak of each type keeps the chip it happened on (B's chip 0).
    const chip0 = { id: 0, kind: 'chip' };
    expect(m.scopes).toEqual([{
      name: 'suite > keeps cache', calls: 3,
      peak: { DRAM: 2 * 1024 * 1024, L1: 4096, SYSTEM_MEMORY: 0, L1_SMALL: 0, TRACE: 0, CB: 0 },
      peakDevice: { DRAM: chip0, L1: chip0 },
      devicePeak: b.scopes[0].devicePeak,
      devicePeakDevice: b.scopes[0].devicePeakDevice,
      suspiciousFrees: 0,
    }]);
  });

  it('adds anomaly counts, keeps examples in class order capped at 20 per class, recomputes the summary', () => {
    const m = mergeReports([a, b, a]);
    expect(a.anomalies.alias.count).toBeGreaterThan(0);
    expect(m.anomalies.alias).toEqual({
      count: 2 * a.anomalies.alias.count, view: 2 * a.anomalies.alias.view, replica: 2 * a.anomalies.alias.replica,
    });
    expect(m.anomalies.doubleFree).toEqual({ count: 1, afterReuse: 0 });
    const perClass = (r: Report, cls: string) => r.anomalies.examples.filter((e) => e.class === cls);
    expect(perClass(m, 'doubleFree')).toEqual(perClass(b, 'doubleFree'));
    expect(perClass(m, 'alias')).toEqual([...perClass(a, 'alias'), ...perClass(a, 'alias')].slice(0, 20));
    expect(m.anomalies.examples.map((e) => e.class)).toEqual(
      ['doubleFree', 'staleFree', 'untrackedFree', 'aliasFree', 'overlap', 'duplicateAlloc', 'alias'].flatMap((c) => perClass(m, c).map(() => c)),
    );
    const allocs = 2 * a.summary.allocs + b.summary.allocs;
    const frees = 2 * a.summary.frees + b.summary.frees;
    // excessFreeRate: suspicious frees per allocation (lib/report/excess-free-rate.ts), never negative.
    expect(frees).toBeLessThan(allocs);
    expect(m.summary).toEqual({
      allocs, frees, suspiciousFrees: 1, aliasFrees: 2 * a.summary.aliasFrees, affectedBuffers: 1,
      excessFreeRate: 1 / allocs, worstAddress: b.summary.worstAddress,
    });
  });

  it('is incomplete when any input is', () => {
    const dropped = { ...b, complete: false, events: { ...b.events, dropped: 5 } };
    const m = mergeReports([a, dropped]);
    expect(m.complete).toBe(false);
    expect(m.events.dropped).toBe(5);
  });

  it('of no reports is an empty report; rejects what is not a report', () => {
    const empty = mergeReports([]);
    expect([empty.events.total, empty.devices, empty.leaks, empty.complete]).toEqual([0, [], [], true]);
    expect(() => mergeReports({} as never)).toThrow(typeError('Expected an array of reports for mergeReports() reports but received an object'));
    expect(() => mergeReports([a, { schema: 'other' } as never])).toThrow(typeError(
      "mergeReports() reports[1]: not a valid tt-alloc-tracker report: (root) must have required property 'complete'; " +
      "(root) must have required property 'events'; (root) must have required property 'classes' (and 11 more)", 'ERR_INVALID_REPORT'));
    // A report with one field broken deep inside is rejected too (the old check only read the tag).
    const broken = structuredClone(b) as unknown as { devices: { memory: Record<string, unknown> }[] };
    delete broken.devices[0].memory.DRAM;
    expect(() => mergeReports([a, b, broken as never])).toThrow(typeError(
      "mergeReports() reports[2]: not a valid tt-alloc-tracker report: /devices/0/memory must have required property 'DRAM'", 'ERR_INVALID_REPORT'));
  });
});
