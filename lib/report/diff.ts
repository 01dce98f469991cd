/**
 * What changed between two reports of the same workload (e.g. main vs a branch): usage per device ×
 * memory type, leaks that are new in `b`, and anomaly counts. Buffer ids differ between runs, so
 * leaks are matched by what identifies them across runs: device (id and kind), type, size, op and scope.
 */
import { MEM_TYPE_NAMES, type MemTypeName } from '../events/format';
import type { AnomalyClass, DeviceKind, Leak, Report } from './types';

export interface UsageDelta {
  device: number;
  /** With the id, the device's identity: mesh 0 and chip 0 are different devices. */
  deviceKind: DeviceKind;
  type: MemTypeName;
  peakA: number;
  peakB: number;
  currentA: number;
  currentB: number;
}

export interface AnomalyDelta {
  class: AnomalyClass;
  a: number;
  b: number;
}

export interface ReportDiff {
  /** Device × type rows whose peak or current differs, in device then type order. */
  usage: UsageDelta[];
  /** Leaks listed in `b` without a match in `a` (each leak of `a` matches at most one of `b`). */
  newLeaks: Leak[];
  /** Leaks listed in `a` without a match in `b`. */
  fixedLeaks: Leak[];
  /** Whether both reports listed all their leaks (else the leak comparison covers the listed ones). */
  leaksComplete: boolean;
  /** Every anomaly class whose count differs. */
  anomalies: AnomalyDelta[];
}

const ANOMALY_CLASSES: AnomalyClass[] = ['doubleFree', 'staleFree', 'untrackedFree', 'overlap', 'duplicateAlloc', 'aliasFree', 'alias'];

function leakKey(l: Leak): string {
  return JSON.stringify([l.deviceKind ?? 'chip', l.device, l.type, l.size, l.op, l.scope]);
}

/** Leaks of `from` left over after each one of `against` has cancelled at most one with its key. */
function unmatched(from: readonly Leak[], against: readonly Leak[]): Leak[] {
  const available = new Map<string, number>();
  for (const l of against) available.set(leakKey(l), (available.get(leakKey(l)) ?? 0) + 1);
  const out: Leak[] = [];
  for (const l of from) {
    const n = available.get(leakKey(l)) ?? 0;
    if (n > 0) available.set(leakKey(l), n - 1);
    else out.push(l);
  }
  return out;
}

function usageRows(a: Report, b: Report): UsageDelta[] {
  // A device is (id, kind): chips first, then meshes, each by id.
  const keys = [...new Map([...a.devices, ...b.devices].map((d) => [`${d.kind}:${d.id}`, { id: d.id, kind: d.kind }])).values()]
    .sort((x, y) => (x.kind === y.kind ? 0 : x.kind === 'chip' ? -1 : 1) || x.id - y.id);
  const rows: UsageDelta[] = [];
  for (const { id, kind } of keys) {
    const da = a.devices.find((d) => d.id === id && d.kind === kind);
    const db = b.devices.find((d) => d.id === id && d.kind === kind);
    for (const type of MEM_TYPE_NAMES) {
      const ua = da?.memory[type];
      const ub = db?.memory[type];
      const row = {
        device: id, deviceKind: kind, type,
        peakA: ua?.peak ?? 0, peakB: ub?.peak ?? 0, currentA: ua?.current ?? 0, currentB: ub?.current ?? 0,
      };
      if (row.peakA !== row.peakB || row.currentA !== row.currentB) rows.push(row);
    }
  }
  return rows;
}

export function diffReports(a: Report, b: Report): ReportDiff {
  return {
    usage: usageRows(a, b),
    newLeaks: unmatched(b.leaks, a.leaks),
    fixedLeaks: unmatched(a.leaks, b.leaks),
    leaksComplete: a.leakSummary.listed === a.leakSummary.buffers && b.leakSummary.listed === b.leakSummary.buffers,
    anomalies: ANOMALY_CLASSES
      .map((cls) => ({ class: cls, a: a.anomalies[cls].count, b: b.anomalies[cls].count }))
      .filter((d) => d.a !== d.b),
  };
}
