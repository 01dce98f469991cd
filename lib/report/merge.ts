/**
 * One report for several processes (e.g. vitest's forks pool: one process per test file). The exact
 * semantics of every field are in docs/report.md#merging-reports; in short: counts add up, peaks
 * take the maximum, lists are concatenated (examples and listed leaks capped as report() caps them),
 * ops and scopes are merged by name, and each source's timeline and op slices are kept apart, one
 * process track per source (`processes`), since they cannot be added up.
 */
import { MEM_TYPE_NAMES, type MemTypeName } from '../events/format';
import { DEFAULT_AGGREGATOR_OPTIONS } from '../aggregator/options';
import { invalidOption } from '../errors';
import { checkReport } from './check';
import { excessFreeRate } from './excess-free-rate';
import { mergeL1 } from './merge-l1';
import { mergeLifetimes } from './merge-lifetimes';
import {
  REPORT_SCHEMA, type AnomalyClass, type AnomalyExample, type BytesByType, type DeviceReport, type Leak, type LeakGroup,
  type MemoryByType, type OpReport, type ProcessTrack, type Report, type WorstAddress,
} from './types';

const EXAMPLE_ORDER: AnomalyClass[] = ['doubleFree', 'staleFree', 'untrackedFree', 'aliasFree', 'overlap', 'duplicateAlloc', 'alias'];

type Counters = Record<string, number>;

/** Adds every numeric field of `from` into `into` (same shape, numbers only). */
function addCounters<T extends object>(into: T, from: T): void {
  const a = into as unknown as Counters;
  const b = from as unknown as Counters;
  for (const key of Object.keys(a)) a[key] += b[key] ?? 0;
}

function zeroMemory(): MemoryByType {
  const memory = {} as MemoryByType;
  for (const type of MEM_TYPE_NAMES) memory[type] = { current: 0, peak: 0, allocated: 0, freed: 0, lost: 0, liveBuffers: 0 };
  return memory;
}

function mergeDevices(reports: readonly Report[]): DeviceReport[] {
  // A device is (id, kind): mesh 0 and chip 0 are different devices.
  const byId = new Map<string, DeviceReport>();
  for (const r of reports) {
    for (const d of r.devices) {
      const key = `${d.kind}:${d.id}`;
      let m = byId.get(key);
      if (!m) byId.set(key, (m = { id: d.id, kind: d.kind, memory: zeroMemory() }));
      if (d.opens !== undefined) m.opens = (m.opens ?? 1) + d.opens - 1;
      if (d.chips) m.chips = [...new Set([...(m.chips ?? []), ...d.chips])].sort((x, y) => x - y);
      if (d.capacity) {
        const capacity = (m.capacity ??= {});
        for (const [type, bytes] of Object.entries(d.capacity) as [MemTypeName, number][]) {
          capacity[type] = Math.max(capacity[type] ?? 0, bytes);
        }
      }
      for (const type of MEM_TYPE_NAMES) {
        const into = m.memory[type];
        const from = d.memory[type];
        if (!from) continue;
        into.current += from.current;
        into.allocated += from.allocated;
        into.freed += from.freed;
        into.lost += from.lost ?? 0;
        into.liveBuffers += from.liveBuffers;
        // Each process saw only its own allocations: the highest of their peaks is what is known.
        into.peak = Math.max(into.peak, from.peak);
      }
    }
  }
  return [...byId.values()].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'chip' ? -1 : 1) || a.id - b.id);
}

function totalPeak(peak: BytesByType): number {
  return MEM_TYPE_NAMES.reduce((sum, t) => sum + (peak[t] ?? 0), 0);
}

/** By name: calls and suspicious frees summed, peak per type the maximum; largest total peak first, then by name. */
function mergeByName(lists: readonly OpReport[][]): OpReport[] {
  const byName = new Map<string, OpReport>();
  for (const list of lists) {
    for (const op of list) {
      const m = byName.get(op.name);
      if (!m) {
        byName.set(op.name, {
          name: op.name, calls: op.calls, peak: { ...op.peak }, peakDevice: { ...op.peakDevice },
          devicePeak: { ...op.devicePeak }, devicePeakDevice: { ...op.devicePeakDevice }, suspiciousFrees: op.suspiciousFrees,
        });
        continue;
      }
      m.calls += op.calls;
      m.suspiciousFrees += op.suspiciousFrees;
      for (const t of MEM_TYPE_NAMES) {
        // Each peak keeps the chip it happened on (chips are per process: the device named is the report's).
        if ((op.peak[t] ?? 0) > (m.peak[t] ?? 0)) { m.peak[t] = op.peak[t]; if (op.peakDevice[t]) m.peakDevice[t] = op.peakDevice[t]; }
        if ((op.devicePeak[t] ?? 0) > (m.devicePeak[t] ?? 0)) { m.devicePeak[t] = op.devicePeak[t]; if (op.devicePeakDevice[t]) m.devicePeakDevice[t] = op.devicePeakDevice[t]; }
      }
    }
  }
  return [...byName.values()].sort((a, b) => totalPeak(b.peak) - totalPeak(a.peak) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function mergeExamples(reports: readonly Report[], perClass: number): AnomalyExample[] {
  const out: AnomalyExample[] = [];
  for (const cls of EXAMPLE_ORDER) {
    const kept = reports.flatMap((r) => r.anomalies.examples.filter((e) => e.class === cls)).slice(0, perClass);
    out.push(...kept.map((e) => structuredClone(e)));
  }
  return out;
}

function mergeLeakGroups(reports: readonly Report[]): LeakGroup[] {
  const groups = new Map<string, LeakGroup>();
  for (const r of reports) {
    for (const g of r.leakSummary.groups) {
      const key = JSON.stringify([g.op, g.scope]);
      const m = groups.get(key);
      if (m) {
        m.buffers += g.buffers;
        m.bytes += g.bytes;
      } else {
        groups.set(key, { ...g });
      }
    }
  }
  return [...groups.values()].sort((a, b) => b.bytes - a.bytes || b.buffers - a.buffers);
}

function worstOf(reports: readonly Report[]): WorstAddress | null {
  let worst: WorstAddress | null = null;
  for (const r of reports) {
    const w = r.summary.worstAddress;
    if (w && (!worst || w.excessFrees > worst.excessFrees)) worst = w;
  }
  return worst ? { ...worst } : null;
}

function emptyReport(): Report {
  return {
    schema: REPORT_SCHEMA,
    complete: true,
    events: { total: 0, alloc: 0, free: 0, cbAlloc: 0, cbRelease: 0, program: 0, opStart: 0, opEnd: 0, mark: 0,
      deviceInfo: 0, meshChip: 0, unknown: 0, outOfOrder: 0, dropped: 0 },
    classes: {
      alloc: { ok: 0, alias: 0, overlap: 0, duplicateAlloc: 0, invalid: 0 },
      free: { ok: 0, aliasFree: 0, doubleFree: 0, staleFree: 0, untrackedFree: 0, invalid: 0 },
    },
    devices: [],
    circularBuffers: { unit: 'bytes per core', basis: 'live' },
    anomalies: {
      doubleFree: { count: 0, afterReuse: 0 }, aliasFree: { count: 0, view: 0, replica: 0 }, staleFree: { count: 0, deviceClosed: 0, displaced: 0 },
      untrackedFree: { count: 0 }, overlap: { count: 0 }, duplicateAlloc: { count: 0 },
      alias: { count: 0, view: 0, replica: 0 }, examples: [],
    },
    leaks: [],
    leakSummary: { buffers: 0, bytes: 0, lostWithDevice: { buffers: 0, bytes: 0 }, listed: 0, groups: [] },
    ops: [],
    scopes: [],
    opSlices: { omitted: 0, slices: [] },
    timeline: [],
    summary: { allocs: 0, frees: 0, suspiciousFrees: 0, aliasFrees: 0, affectedBuffers: 0, excessFreeRate: 0, worstAddress: null },
  };
}

/** Where a merged report came from: names its process track. */
export interface MergeSource {
  /** `pid 4242 thread 3`, a file name. */
  label: string;
  /** Test files it ran, in run order. @default [] */
  files?: string[];
}

/**
 * A source's process tracks: a merged report's own tracks (merging merged reports keeps every
 * process apart), else one track of its timeline and op slices.
 */
function tracksOf(r: Report, source: MergeSource): ProcessTrack[] {
  if (r.processes) return r.processes.map((p) => structuredClone(p));
  return [{
    label: source.label,
    files: [...(source.files ?? [])],
    timeline: structuredClone(r.timeline),
    opSlices: structuredClone(r.opSlices),
  }];
}

function checkSources(sources: unknown, count: number): MergeSource[] {
  if (sources === undefined) return Array.from({ length: count }, (_, i) => ({ label: `report ${i + 1}` }));
  if (!Array.isArray(sources) || sources.length !== count) {
    throw invalidOption('mergeReports() sources', `an array of ${count} { label, files? } (one per report)`, sources, 'type');
  }
  sources.forEach((s, i) => {
    const ok = typeof s === 'object' && s !== null && typeof s.label === 'string' &&
      (s.files === undefined || (Array.isArray(s.files) && s.files.every((f: unknown) => typeof f === 'string')));
    if (!ok) throw invalidOption(`mergeReports() sources[${i}]`, '{ label: string, files?: string[] }', s, 'type');
  });
  return sources as MergeSource[];
}

/**
 * Merges reports of separate processes into one (docs/report.md#merging-reports). `sources[i]` names
 * the process of `reports[i]` (its track in `processes`). The inputs are not modified; an empty list
 * gives an empty report.
 */
export function mergeReports(reports: Report[], sources?: MergeSource[]): Report {
  if (!Array.isArray(reports)) throw invalidOption('mergeReports() reports', 'an array of reports', reports, 'type');
  reports.forEach((r, i) => {
    checkReport(r, `mergeReports() reports[${i}]`);
  });
  const named = checkSources(sources, reports.length);
  const out = emptyReport();
  for (const r of reports) {
    addCounters(out.events, r.events);
    addCounters(out.classes.alloc, r.classes.alloc);
    addCounters(out.classes.free, r.classes.free);
    for (const key of Object.keys(out.anomalies) as (keyof Report['anomalies'])[]) {
      if (key !== 'examples') addCounters(out.anomalies[key], r.anomalies[key]);
    }
    out.leakSummary.buffers += r.leakSummary.buffers;
    out.leakSummary.bytes += r.leakSummary.bytes;
    out.leakSummary.lostWithDevice.buffers += r.leakSummary.lostWithDevice?.buffers ?? 0;
    out.leakSummary.lostWithDevice.bytes += r.leakSummary.lostWithDevice?.bytes ?? 0;
    // Any process whose stream never released CBs makes the merged CB figures "allocated since program creation".
    if (r.circularBuffers?.basis === 'allocated since program creation') out.circularBuffers.basis = r.circularBuffers.basis;
    out.summary.allocs += r.summary.allocs;
    out.summary.frees += r.summary.frees;
    out.summary.suspiciousFrees += r.summary.suspiciousFrees;
    out.summary.aliasFrees += r.summary.aliasFrees;
    // Buffer ids are per process, so buffers affected in different processes are different buffers.
    out.summary.affectedBuffers += r.summary.affectedBuffers;
  }
  out.complete = out.events.dropped === 0 && reports.every((r) => r.complete);
  out.devices = mergeDevices(reports);
  out.anomalies.examples = mergeExamples(reports, DEFAULT_AGGREGATOR_OPTIONS.examplesPerClass);
  const leaks: Leak[] = reports.flatMap((r) => r.leaks.map((l) => ({ ...l })));
  leaks.sort((a, b) => b.size - a.size); // stable: equal sizes keep report order
  out.leaks = leaks.slice(0, DEFAULT_AGGREGATOR_OPTIONS.leakListLimit);
  out.leakSummary.listed = out.leaks.length;
  out.leakSummary.groups = mergeLeakGroups(reports);
  out.ops = mergeByName(reports.map((r) => r.ops));
  // What was live at a peak: the process whose peak is the merged peak (the maximum) tells it.
  if (reports.some((r) => r.liveAtPeak)) {
    const best = new Map<string, NonNullable<Report['liveAtPeak']>[number]>();
    for (const r of reports) {
      for (const e of r.liveAtPeak ?? []) {
        const key = `${e.deviceKind} ${e.device} ${e.type}`;
        const m = best.get(key);
        if (!m || e.peak > m.peak) best.set(key, structuredClone(e));
      }
    }
    const kindOrder = (k: string) => (k === 'chip' ? 0 : 1);
    out.liveAtPeak = [...best.values()].sort((x, y) => kindOrder(x.deviceKind) - kindOrder(y.deviceKind) || x.device - y.device ||
      MEM_TYPE_NAMES.indexOf(x.type) - MEM_TYPE_NAMES.indexOf(y.type));
  }
  // Slices sit on per-process thread numbers, like the timeline: kept per process, not at the top.
  out.processes = reports.flatMap((r, i) => tracksOf(r, named[i]));
  out.opSlices.omitted = out.processes.reduce((n, p) => n + p.opSlices.omitted, 0);
  out.scopes = mergeByName(reports.map((r) => r.scopes));
  out.summary.excessFreeRate = excessFreeRate(out.summary.suspiciousFrees, out.summary.allocs);
  out.summary.worstAddress = worstOf(reports);
  const l1 = mergeL1(reports);
  if (l1) out.l1 = l1;
  const lifetimes = mergeLifetimes(reports);
  if (lifetimes) out.lifetimes = lifetimes;
  return out;
}
