/**
 * A report as a Chrome Trace Event Format file (JSON Object Format), for ui.perfetto.dev and
 * chrome://tracing: memory counters per device × type, op slices per host thread, anomaly instants.
 * Format: "Trace Event Format" (Google, docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU):
 * `ts` and `dur` in microseconds (fractions allowed), pid/tid numbers, `ph` the phase.
 */
import type { AnomalyExample, DeviceReport, OpSlice, Report } from '../report/types';
import { checkReport } from '../report/check';
import { timeOrigin } from './time-origin';
import { l1TraceEvents } from './perfetto-l1';

/** One trace event; fields as the format names them. */
export interface TraceEvent {
  name: string;
  ph: 'C' | 'X' | 'B' | 'i' | 'M';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: 'g' | 'p' | 't';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ns';
  otherData: {
    tool: 'tt-alloc-tracker';
    reportSchema: string;
    /** CLOCK_MONOTONIC nanoseconds of ts 0: every event's time minus this, in microseconds, is its ts. */
    timeOriginNs: number;
    complete: boolean;
    droppedEvents: number;
    /** Op calls the report did not list (past its opSliceLimit): they have no slice here. */
    opSlicesOmitted: number;
  };
}

/** The process of the host threads' op slices; above every device pid (device ids are u16). */
export const HOST_PID = 70000;

/** Mesh pids start above every host tid (HOST_PID + a u16 thread index): mesh 0 and chip 0 are different devices. */
const MESH_PID_BASE = 140000;

/**
 * Process of a device's counters and anomalies: chip id + 1 (viewers treat pid 0 as the idle
 * process), MESH_PID_BASE + mesh id + 1 for a mesh. Its events use tid = pid, the main-thread convention.
 */
export function devicePid(device: number, kind: DeviceReport['kind'] | undefined = 'chip'): number {
  return (kind === 'mesh' ? MESH_PID_BASE : 0) + device + 1;
}

/**
 * Thread of a host thread's op slices: HOST_PID + the report's thread index. Tids must be unique
 * across processes: Perfetto takes a known tid seen under another pid for a new thread (tid reuse).
 */
export function hostTid(thread: number): number {
  return HOST_PID + thread;
}

export function deviceName(device: number, kind: DeviceReport['kind'] | undefined): string {
  return `${kind ?? 'chip'} ${device}`;
}

/** Nanoseconds since the origin as microseconds, rounded to whole nanoseconds (no float noise in the JSON). */
export function micros(ns: number, origin: number): number {
  return Math.round(ns - origin) / 1000;
}

function anomalyName(e: AnomalyExample): string {
  return e.subkind ? `${e.class} (${e.subkind})` : e.class;
}

function anomalyArgs(e: AnomalyExample): Record<string, unknown> {
  const args: Record<string, unknown> = {
    class: e.class, object: e.object, device: e.device, type: e.type, block: e.block, size: e.size,
  };
  if (e.subkind) args.subkind = e.subkind;
  if (e.related) args.related = e.related;
  args.allocation = e.allocation;
  args.firstFree = e.firstFree;
  args.offending = e.offending;
  return args;
}

/**
 * Slices of one thread with each child clamped inside its parent: viewers reject improperly nested
 * slices, and times converted from TSC ticks can be off by a few ns across a clock re-anchoring.
 */
function threadSlices(slices: readonly OpSlice[], origin: number, traceEnd: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  const open: { end: number }[] = []; // ends (ns) of the enclosing slices, by depth
  for (const s of slices) {
    open.length = Math.min(open.length, s.depth);
    const parentEnd = open.length > 0 ? open[open.length - 1].end : Infinity;
    const start = s.start;
    const args = { depth: s.depth };
    if (s.end === null) {
      // Still open at report time: a begin without an end, which viewers draw as "did not end".
      out.push({ name: s.name, cat: 'op', ph: 'B', pid: HOST_PID, tid: hostTid(s.thread), ts: micros(start, origin), args });
      open.push({ end: Math.min(parentEnd, traceEnd) });
      continue;
    }
    const end = Math.min(Math.max(s.end, start), parentEnd);
    out.push({ name: s.name, cat: 'op', ph: 'X', pid: HOST_PID, tid: hostTid(s.thread), ts: micros(start, origin), dur: micros(end, start), args });
    open.push({ end });
  }
  return out;
}

/**
 * Pids of a merged report's process track `k` (1-based): its devices and host threads at
 * k × PROCESS_PID_STRIDE + the single-report pid, so every process gets its own tracks in the viewer.
 * Above every single-report pid (MESH_PID_BASE + a u16 mesh id + 1).
 */
const PROCESS_PID_STRIDE = 1_000_000;

interface Track {
  /** Prefix of the track's process names: '' for a single report, `pid 4242 thread 3: ` in a merged one. */
  prefix: string;
  base: number;
  timeline: Report['timeline'];
  slices: OpSlice[];
}

/** The report's own timeline, or each process track of a merged report. */
function tracksOf(report: Report): Track[] {
  if (!report.processes) return [{ prefix: '', base: 0, timeline: report.timeline, slices: report.opSlices.slices }];
  return report.processes.map((p, i) => ({
    prefix: `${p.label}${p.files.length > 0 ? ` (${p.files.join(', ')})` : ''}: `,
    base: (i + 1) * PROCESS_PID_STRIDE,
    timeline: p.timeline,
    slices: p.opSlices.slices,
  }));
}

/**
 * Converts a report into a Chrome Trace Event Format object (JSON.stringify it to write the file).
 * A merged report's processes get separate process tracks, on the one clock of their host.
 * A value that is not a report throws a TypeError with code ERR_INVALID_REPORT.
 */
export function toChromeTrace(value: Report): ChromeTrace {
  const report = checkReport(value, 'toChromeTrace() report');
  const origin = timeOrigin(report);
  const events: TraceEvent[] = [];
  const tracks = tracksOf(report);
  let traceEnd = origin;
  for (const t of tracks) {
    for (const series of t.timeline) for (const [time] of series.points) traceEnd = Math.max(traceEnd, time);
    for (const s of t.slices) traceEnd = Math.max(traceEnd, s.end ?? s.start);
  }
  for (const e of report.anomalies.examples) traceEnd = Math.max(traceEnd, e.offending.time);

  for (const track of tracks) {
    const { prefix, base } = track;
    // Metadata: names and order of processes and threads. A device is (id, kind): one process each,
    // chips first.
    const devices = new Map<number, string>();
    if (base === 0) for (const d of report.devices) devices.set(devicePid(d.id, d.kind), deviceName(d.id, d.kind));
    for (const s of track.timeline) devices.set(devicePid(s.device, s.deviceKind), deviceName(s.device, s.deviceKind));
    if (base === 0) for (const e of report.anomalies.examples) devices.set(devicePid(e.device, e.deviceKind), deviceName(e.device, e.deviceKind));
    // CB headroom and largest-free-block counters: a single report's (merged reports keep no L1 series).
    const l1 = base === 0 ? l1TraceEvents(report, origin) : { events: [], devices: [] };
    for (const [pid, name] of l1.devices) devices.set(pid, name);
    const threads = [...new Set(track.slices.map((s) => s.thread))].sort((a, b) => a - b);
    const hostPid = base + HOST_PID;
    if (threads.length > 0) {
      events.push({ name: 'process_name', ph: 'M', pid: hostPid, tid: hostPid, args: { name: `${prefix}host threads (ops)` } });
      events.push({ name: 'process_sort_index', ph: 'M', pid: hostPid, tid: hostPid, args: { sort_index: base } });
      for (const t of threads) events.push({ name: 'thread_name', ph: 'M', pid: hostPid, tid: base + hostTid(t), args: { name: `thread ${t}` } });
    }
    for (const [pid, name] of [...devices].sort((a, b) => a[0] - b[0])) {
      events.push({ name: 'process_name', ph: 'M', pid: base + pid, tid: base + pid, args: { name: `${prefix}${name}` } });
      events.push({ name: 'process_sort_index', ph: 'M', pid: base + pid, tid: base + pid, args: { sort_index: base + pid } });
    }

    // Counters: one C event per timeline point, on the device's process.
    for (const series of track.timeline) {
      const name = `${deviceName(series.device, series.deviceKind)} ${series.type}`;
      const pid = base + devicePid(series.device, series.deviceKind);
      for (const [time, bytes] of series.points) {
        events.push({ name, cat: 'memory', ph: 'C', pid, tid: pid, ts: micros(time, origin), args: { bytes } });
      }
    }
    events.push(...l1.events);

    // Op slices per host thread (the report lists them in start order).
    for (const t of threads) {
      const slices = threadSlices(track.slices.filter((s) => s.thread === t), origin, traceEnd);
      for (const e of slices) {
        e.pid = hostPid;
        e.tid = base + e.tid;
      }
      events.push(...slices);
    }
  }

  // Anomalies: a process-scoped instant on the device of the offending event (its thread is in args).
  // A merged report does not say which process an example came from: its devices' own tracks hold them.
  if (tracks[0]?.base !== 0) {
    const named = new Map(report.anomalies.examples.map((e) => [devicePid(e.device, e.deviceKind), deviceName(e.device, e.deviceKind)]));
    for (const [pid, name] of [...named].sort((a, b) => a[0] - b[0])) {
      events.push({ name: 'process_name', ph: 'M', pid, tid: pid, args: { name: `${name} (anomaly examples, all processes)` } });
    }
  }
  for (const e of report.anomalies.examples) {
    const pid = devicePid(e.device, e.deviceKind);
    events.push({
      name: anomalyName(e), cat: 'anomaly', ph: 'i', s: 'p', pid, tid: pid,
      ts: micros(e.offending.time, origin), args: anomalyArgs(e),
    });
  }

  return {
    traceEvents: events,
    displayTimeUnit: 'ns',
    otherData: {
      tool: 'tt-alloc-tracker',
      reportSchema: report.schema,
      timeOriginNs: origin,
      complete: report.complete,
      droppedEvents: report.events.dropped,
      opSlicesOmitted: report.opSlices.omitted,
    },
  };
}
