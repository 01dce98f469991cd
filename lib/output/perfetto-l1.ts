/**
 * The trace's L1 part (docs/l1.md): CB headroom per device and the largest free block per device ×
 * memory type as counters on each device's process, beside its memory counters, and every CB clash
 * seen in the stream as an instant with its blockers.
 */
import type { Report } from '../report/types';
import { deviceName, devicePid, micros, type TraceEvent } from './perfetto';

/** The L1 events, and the (pid, process name) of every device they are on. */
export function l1TraceEvents(report: Report, origin: number): { events: TraceEvent[]; devices: [number, string][] } {
  const l1 = report.l1;
  const events: TraceEvent[] = [];
  const devices: [number, string][] = [];
  if (!l1) return { events, devices };
  for (const s of l1.headroomSeries) {
    const pid = devicePid(s.device, s.deviceKind);
    const name = `${deviceName(s.device, s.deviceKind)} CB headroom`;
    devices.push([pid, deviceName(s.device, s.deviceKind)]);
    for (const [time, bytes] of s.points) events.push({ name, cat: 'l1', ph: 'C', pid, tid: pid, ts: micros(time, origin), args: { bytes } });
  }
  for (const f of l1.fragmentation) {
    const pid = devicePid(f.device, f.deviceKind);
    const name = `${deviceName(f.device, f.deviceKind)} ${f.type} largest free block`;
    devices.push([pid, deviceName(f.device, f.deviceKind)]);
    for (const [time, bytes] of f.points) events.push({ name, cat: 'l1', ph: 'C', pid, tid: pid, ts: micros(time, origin), args: { bytes } });
  }
  for (const f of l1.failures) {
    if (f.time === null) continue;
    for (const d of f.devices) {
      const pid = devicePid(d.id, d.kind);
      devices.push([pid, deviceName(d.id, d.kind)]);
      events.push({
        name: 'CB clash', cat: 'l1', ph: 'i', s: 'p', pid, tid: pid, ts: micros(f.time, origin),
        args: { program: f.program, op: f.op, cbRegionEnd: f.cbRegionEnd, lowestL1Address: f.lowestL1Address, headroom: f.headroom, blockers: f.blockers },
      });
    }
  }
  return { events, devices };
}
