/**
 * The trace's L1 part (docs/outputs.md): CB headroom per chip and the largest free block per device ×
 * memory type as counters on each device's process, beside its memory counters, and every CB clash
 * seen in the stream as an instant with its blockers.
 */
import type { DeviceReport, Report } from '../report/types';
import { deviceName, devicePid, type TraceEvent } from './perfetto';

function micros(ns: number, origin: number): number {
  return Math.round(ns - origin) / 1000;
}

export function l1TraceEvents(report: Report, origin: number, kinds: ReadonlyMap<number, DeviceReport['kind']>): TraceEvent[] {
  const l1 = report.l1;
  if (!l1) return [];
  const events: TraceEvent[] = [];
  for (const s of l1.headroomSeries) {
    const pid = devicePid(s.device);
    const name = `${deviceName(s.device, kinds.get(s.device))} CB headroom`;
    for (const [time, bytes] of s.points) events.push({ name, cat: 'l1', ph: 'C', pid, tid: pid, ts: micros(time, origin), args: { bytes } });
  }
  for (const f of l1.fragmentation) {
    const pid = devicePid(f.device);
    const name = `${deviceName(f.device, kinds.get(f.device))} ${f.type} largest free block`;
    for (const [time, bytes] of f.points) events.push({ name, cat: 'l1', ph: 'C', pid, tid: pid, ts: micros(time, origin), args: { bytes } });
  }
  for (const f of l1.failures) {
    if (f.time === null) continue;
    for (const device of f.devices) {
      const pid = devicePid(device);
      events.push({
        name: 'CB clash', cat: 'l1', ph: 'i', s: 'p', pid, tid: pid, ts: micros(f.time, origin),
        args: { program: f.program, op: f.op, cbRegionEnd: f.cbRegionEnd, lowestL1Address: f.lowestL1Address, headroom: f.headroom, blockers: f.blockers },
      });
    }
  }
  return events;
}
