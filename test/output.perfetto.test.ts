import { describe, expect, it } from 'vitest';
import { devicePid, HOST_PID, hostTid, toChromeTrace, type ChromeTrace, type TraceEvent } from '../lib/output/perfetto';
import type { Report } from '../lib/report/types';
import { mergeReports } from '../lib/report/merge';
import { anomalyReport, workloadReport } from './helpers/output-reports';
import { aggregate, alloc, free, MemType, opEnd, opStart } from './helpers/stream';
import { typeError } from './helpers/errors';

/**
 * The rules of the Trace Event Format (JSON Object Format) this exporter relies on, checked by hand:
 * no small, well-kept validator for the format exists on npm. Returns the violations.
 */
function formatViolations(trace: ChromeTrace): string[] {
  const errors: string[] = [];
  if (!Array.isArray(trace.traceEvents)) return ['traceEvents is not an array'];
  if (!['ms', 'ns'].includes(trace.displayTimeUnit)) errors.push(`displayTimeUnit ${trace.displayTimeUnit}`);
  const tidOwner = new Map<number, number>();
  trace.traceEvents.forEach((e: TraceEvent, k) => {
    const at = `traceEvents[${k}] (${e.ph} ${e.name})`;
    if (typeof e.name !== 'string' || e.name === '') errors.push(`${at}: name`);
    if (!Number.isInteger(e.pid) || e.pid <= 0 || !Number.isInteger(e.tid) || e.tid <= 0) errors.push(`${at}: pid/tid must be positive integers`);
    // Perfetto takes a tid seen under another pid for a new thread: tids must be unique across processes.
    if (tidOwner.has(e.tid) && tidOwner.get(e.tid) !== e.pid) errors.push(`${at}: tid ${e.tid} used by pids ${tidOwner.get(e.tid)} and ${e.pid}`);
    tidOwner.set(e.tid, e.pid);
    if (e.ph === 'M') {
      if (!['process_name', 'process_sort_index', 'thread_name'].includes(e.name)) errors.push(`${at}: unknown metadata`);
      if (e.name.endsWith('_name') && typeof e.args?.name !== 'string') errors.push(`${at}: args.name`);
      if (e.name.endsWith('_sort_index') && !Number.isInteger(e.args?.sort_index)) errors.push(`${at}: args.sort_index`);
      return;
    }
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) errors.push(`${at}: ts must be microseconds >= 0`);
    switch (e.ph) {
      case 'C':
        if (!e.args || Object.values(e.args).some((v) => typeof v !== 'number')) errors.push(`${at}: counter args must be numbers`);
        break;
      case 'X':
        if (typeof e.dur !== 'number' || e.dur < 0) errors.push(`${at}: dur`);
        break;
      case 'B':
        break;
      case 'i':
        if (!['g', 'p', 't'].includes(e.s ?? 't')) errors.push(`${at}: scope`);
        break;
      default:
        errors.push(`${at}: unexpected phase`);
    }
  });
  // Slices on one thread must nest: a slice starting inside another ends inside it.
  const byThread = new Map<number, TraceEvent[]>();
  for (const e of trace.traceEvents) if (e.ph === 'X') byThread.set(e.tid, [...(byThread.get(e.tid) ?? []), e]);
  for (const [tid, slices] of byThread) {
    const stack: number[] = [];
    for (const s of [...slices].sort((a, b) => a.ts! - b.ts! || b.dur! - a.dur!)) {
      while (stack.length > 0 && stack[stack.length - 1] <= s.ts!) stack.pop();
      const end = s.ts! + s.dur!;
      if (stack.length > 0 && end > stack[stack.length - 1]) errors.push(`tid ${tid}: ${s.name} at ${s.ts} ends after its parent`);
      stack.push(end);
    }
  }
  return errors;
}

const count = (t: ChromeTrace, ph: string) => t.traceEvents.filter((e) => e.ph === ph).length;

describe('toChromeTrace()', () => {
  it('checks the report against the schema', () => {
    expect(() => toChromeTrace({ schema: 'tt-alloc-tracker/report@2' } as never)).toThrow(typeError(
      "toChromeTrace() report: not a valid tt-alloc-tracker report: (root) must have required property 'complete'; " +
      "(root) must have required property 'events'; (root) must have required property 'classes' (and 10 more)", 'ERR_INVALID_REPORT'));
    const { report } = aggregate([alloc(1, 0x1000, 64)]);
    expect(() => toChromeTrace({ ...report, timeline: [{ device: 0, type: 'SRAM', points: [] }] } as never)).toThrow(typeError(
      "toChromeTrace() report: not a valid tt-alloc-tracker report: /timeline/0 must have required property 'samples'; " +
      "/timeline/0 must have required property 'deviceKind'; " +
      '/timeline/0/type must be equal to one of the allowed values ("DRAM", "L1", "SYSTEM_MEMORY", "L1_SMALL", "TRACE", "CB")',
      'ERR_INVALID_REPORT'));
  });

  it('converts a hand-built stream exactly: times in microseconds from the first event', () => {
    const T = 1_000_000; // ns
    const { report } = aggregate([
      { ...opStart(1), time: T },
      { ...alloc(1, 0x1000, 4096), time: T + 1500 },
      { ...opStart(2), time: T + 2000 },
      { ...alloc(2, 0x4000, 2048, { memType: MemType.L1 }), time: T + 2250 },
      { ...free(2, 0x4000, 2048, { memType: MemType.L1 }), time: T + 3000 },
      { ...opEnd(), time: T + 3500 },
      { ...free(1, 0x1000, 4096), time: T + 4000 },
      { ...free(1, 0x1000, 4096), time: T + 4750 }, // double free
      { ...opEnd(), time: T + 5000 },
      { ...opStart(1, 2), time: T + 6000 }, // still open at report time
    ], undefined, ['outer', 'inner']);
    const trace = toChromeTrace(report);
    const outerSite = (seq: number) => ({ seq, thread: 1, op: 'outer', scope: null });
    expect(trace).toEqual({
      traceEvents: [
        { name: 'process_name', ph: 'M', pid: 70000, tid: 70000, args: { name: 'host threads (ops)' } },
        { name: 'process_sort_index', ph: 'M', pid: 70000, tid: 70000, args: { sort_index: 0 } },
        { name: 'thread_name', ph: 'M', pid: 70000, tid: 70001, args: { name: 'thread 1' } },
        { name: 'thread_name', ph: 'M', pid: 70000, tid: 70002, args: { name: 'thread 2' } },
        { name: 'process_name', ph: 'M', pid: 1, tid: 1, args: { name: 'chip 0' } },
        { name: 'process_sort_index', ph: 'M', pid: 1, tid: 1, args: { sort_index: 1 } },
        { name: 'chip 0 DRAM', cat: 'memory', ph: 'C', pid: 1, tid: 1, ts: 1.5, args: { bytes: 4096 } },
        { name: 'chip 0 DRAM', cat: 'memory', ph: 'C', pid: 1, tid: 1, ts: 4, args: { bytes: 0 } },
        { name: 'chip 0 L1', cat: 'memory', ph: 'C', pid: 1, tid: 1, ts: 2.25, args: { bytes: 2048 } },
        { name: 'chip 0 L1', cat: 'memory', ph: 'C', pid: 1, tid: 1, ts: 3, args: { bytes: 0 } },
        { name: 'outer', cat: 'op', ph: 'X', pid: 70000, tid: 70001, ts: 0, dur: 5, args: { depth: 0 } },
        { name: 'inner', cat: 'op', ph: 'X', pid: 70000, tid: 70001, ts: 2, dur: 1.5, args: { depth: 1 } },
        { name: 'outer', cat: 'op', ph: 'B', pid: 70000, tid: 70002, ts: 6, args: { depth: 0 } },
        {
          name: 'doubleFree', cat: 'anomaly', ph: 'i', s: 'p', pid: 1, tid: 1, ts: 4.75,
          args: {
            class: 'doubleFree', object: 1, device: 0, type: 'DRAM', block: '0x1000#1', size: 4096,
            allocation: outerSite(1), firstFree: outerSite(6), offending: { ...outerSite(7), time: T + 4750 },
          },
        },
      ],
      displayTimeUnit: 'ns',
      otherData: { tool: 'tt-alloc-tracker', reportSchema: 'tt-alloc-tracker/report@2', timeOriginNs: T, complete: true, droppedEvents: 0, opSlicesOmitted: 0 },
    });
    expect(formatViolations(trace)).toEqual([]);
  });

  it('gives each process of a merged report its own process tracks, on the one host clock', () => {
    const T = 1_000_000; // ns
    // Process 1: op 'outer' around a 4096 B DRAM allocation on chip 0; process 2, later: 2048 B L1
    // on its chip 0, no op.
    const one = aggregate([
      { ...opStart(1), time: T }, { ...alloc(1, 0x1000, 4096), time: T + 1000 }, { ...opEnd(), time: T + 2000 },
    ], undefined, ['outer']).report;
    const two = aggregate([{ ...alloc(1, 0x4000, 2048, { memType: MemType.L1 }), time: T + 3000 }]).report;
    const merged = mergeReports([one, two], [{ label: 'pid 10', files: ['a.spec.ts'] }, { label: 'pid 11 thread 2', files: ['b.spec.ts'] }]);
    const trace = toChromeTrace(merged);
    // Process k's pids: k × 1,000,000 + the single-report pid (chip 0 → 1, host threads → 70000).
    expect(trace.traceEvents).toEqual([
      { name: 'process_name', ph: 'M', pid: 1070000, tid: 1070000, args: { name: 'pid 10 (a.spec.ts): host threads (ops)' } },
      { name: 'process_sort_index', ph: 'M', pid: 1070000, tid: 1070000, args: { sort_index: 1000000 } },
      { name: 'thread_name', ph: 'M', pid: 1070000, tid: 1070001, args: { name: 'thread 1' } },
      { name: 'process_name', ph: 'M', pid: 1000001, tid: 1000001, args: { name: 'pid 10 (a.spec.ts): chip 0' } },
      { name: 'process_sort_index', ph: 'M', pid: 1000001, tid: 1000001, args: { sort_index: 1000001 } },
      { name: 'chip 0 DRAM', cat: 'memory', ph: 'C', pid: 1000001, tid: 1000001, ts: 1, args: { bytes: 4096 } },
      { name: 'outer', cat: 'op', ph: 'X', pid: 1070000, tid: 1070001, ts: 0, dur: 2, args: { depth: 0 } },
      { name: 'process_name', ph: 'M', pid: 2000001, tid: 2000001, args: { name: 'pid 11 thread 2 (b.spec.ts): chip 0' } },
      { name: 'process_sort_index', ph: 'M', pid: 2000001, tid: 2000001, args: { sort_index: 2000001 } },
      { name: 'chip 0 L1', cat: 'memory', ph: 'C', pid: 2000001, tid: 2000001, ts: 3, args: { bytes: 2048 } },
    ]);
    expect(formatViolations(trace)).toEqual([]);
  });

  it('is checked by a format checker that rejects what it should', () => {
    const bad = { traceEvents: [
      { name: 'a', ph: 'X', pid: 1, tid: 2, ts: 0, dur: 10 },
      { name: 'b', ph: 'X', pid: 1, tid: 2, ts: 5, dur: 10 },
      { name: 'c', ph: 'C', pid: 3, tid: 2, ts: -1, args: { bytes: '1' } },
      { name: 'd', ph: 'Q', pid: 0, tid: 4, ts: 1 },
    ], displayTimeUnit: 'ns' } as unknown as ChromeTrace;
    expect(formatViolations(bad)).toEqual([
      'traceEvents[2] (C c): tid 2 used by pids 1 and 3',
      'traceEvents[2] (C c): ts must be microseconds >= 0',
      'traceEvents[2] (C c): counter args must be numbers',
      'traceEvents[3] (Q d): pid/tid must be positive integers',
      'traceEvents[3] (Q d): unexpected phase',
      'tid 2: b at 5 ends after its parent',
    ]);
  });

  it('clamps a child slice that ends after its parent (clock re-anchoring) so slices nest', () => {
    const report = workloadReport();
    const broken: Report = { ...report, opSlices: { omitted: 0, slices: [
      { name: 'outer', thread: 1, depth: 0, start: 1000, end: 5000 },
      { name: 'inner', thread: 1, depth: 1, start: 2000, end: 5003 },
    ] } };
    const slices = toChromeTrace(broken).traceEvents.filter((e) => e.ph === 'X');
    expect(slices.map((e) => [e.name, e.dur])).toEqual([['outer', 4], ['inner', 3]]);
  });

  describe('of the Llama workload on a 2x4 mesh', () => {
    const report = workloadReport();
    const trace = toChromeTrace(report);

    it('follows the format and survives JSON', () => {
      expect(formatViolations(trace)).toEqual([]);
      expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
    });

    it('has one counter track per device x type with one C event per timeline point', () => {
      const perTrack = new Map<string, number>();
      for (const e of trace.traceEvents) if (e.ph === 'C' && e.cat === 'memory') perTrack.set(e.name, (perTrack.get(e.name) ?? 0) + 1);
      const expected = new Map(report.timeline.map((s) => [`${s.deviceKind} ${s.device} ${s.type}`, s.points.length]));
      expect(perTrack).toEqual(expected);
      // 8 chips with DRAM, L1 and CB, and the mesh with DRAM and L1: with the default runtime (2026-04) the
      // trace buffer is DRAM (PR #36999) and CBs are allocated per chip (PR #37218), docs/sim.md. The
      // mesh's id comes from generate_unique_mesh_id() (from 0).
      const mesh = report.devices.find((d) => d.kind === 'mesh')!;
      expect([...perTrack.keys()].filter((n) => n.startsWith(`mesh ${mesh.id} `))).toEqual([`mesh ${mesh.id} DRAM`, `mesh ${mesh.id} L1`]);
      expect(perTrack.size).toBe(8 * 3 + 2);
      const dram0 = report.timeline.find((s) => s.device === 0 && s.deviceKind === 'chip' && s.type === 'DRAM')!;
      const c = trace.traceEvents.filter((e) => e.name === 'chip 0 DRAM');
      expect(c.map((e) => e.args!.bytes)).toEqual(dram0.points.map(([, b]) => b));
      expect(c.map((e) => e.pid)).toEqual(dram0.points.map(() => devicePid(0)));
    });

    it('has one op slice per op call, all ended, on the workload thread', () => {
      const calls = report.ops.reduce((n, o) => n + o.calls, 0);
      expect(report.opSlices.omitted).toBe(0);
      expect(count(trace, 'X')).toBe(calls);
      expect(count(trace, 'X')).toBe(report.events.opStart);
      expect(count(trace, 'B')).toBe(0);
      const threads = new Set(report.opSlices.slices.map((s) => s.thread));
      expect(new Set(trace.traceEvents.filter((e) => e.ph === 'X').map((e) => e.tid))).toEqual(new Set([...threads].map(hostTid)));
      const names = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => [e.pid, e.args!.name]);
      const mesh = report.devices.find((d) => d.kind === 'mesh')!;
      expect(names).toEqual([[HOST_PID, 'host threads (ops)'], ...[0, 1, 2, 3, 4, 5, 6, 7].map((c) => [c + 1, `chip ${c}`]),
        [devicePid(mesh.id, 'mesh'), `mesh ${mesh.id}`]]);
    });

    it('has no anomaly instants for a clean run', () => {
      expect(report.anomalies.examples).toEqual([]);
      expect(count(trace, 'i')).toBe(0);
    });
  });

  describe('of a run with every bug mode on', () => {
    const report = anomalyReport();
    const trace = toChromeTrace(report);

    it('has one instant per anomaly example, on the offending device at the offending time', () => {
      expect(formatViolations(trace)).toEqual([]);
      const instants = trace.traceEvents.filter((e) => e.ph === 'i');
      expect(instants).toHaveLength(report.anomalies.examples.length);
      expect(instants.length).toBeGreaterThan(0);
      const origin = trace.otherData.timeOriginNs;
      instants.forEach((e, k) => {
        const ex = report.anomalies.examples[k];
        expect(e.name).toBe(ex.subkind ? `${ex.class} (${ex.subkind})` : ex.class);
        expect(e.pid).toBe(devicePid(ex.device, ex.deviceKind));
        expect(e.ts).toBe(Math.round(ex.offending.time - origin) / 1000);
        expect(e.args).toMatchObject({ class: ex.class, object: ex.object, block: ex.block });
      });
    });
  });
});
