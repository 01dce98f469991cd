/**
 * Devices with identical usage, shown once: a 2×4 mesh's eight chips carry the same replicated
 * buffers, so text and HTML show "chips 0–7, each" instead of eight equal rows (and charts).
 */
import { MEM_TYPE_NAMES, type MemTypeName } from '../events/format';
import type { DeviceReport, TimelineSeries } from '../report/types';

/** `0–7`, `0–3, 5, 7–8`: ascending ids as ranges (en dash). */
export function idRanges(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : j === i + 1 ? `${sorted[i]}, ${sorted[j]}` : `${sorted[i]}–${sorted[j]}`);
    i = j;
  }
  return parts.join(', ');
}

/** `chip 3`, `mesh 1000`, or for several devices with the same usage `chips 0–7, each`. */
export function groupLabel(kind: DeviceReport['kind'], ids: readonly number[]): string {
  return ids.length === 1 ? `${kind} ${ids[0]}` : `${kind === 'mesh' ? 'meshes' : 'chips'} ${idRanges(ids)}, each`;
}

export interface DeviceGroup {
  kind: DeviceReport['kind'];
  ids: number[];
  label: string;
  /** The first device of the group: every member has its usage and capacity. */
  device: DeviceReport;
}

/** What makes two devices' rows equal: kind, opens, capacity and every memory type's figures. */
function usageKey(d: DeviceReport): string {
  return JSON.stringify([d.kind, d.opens ?? null, d.capacity ?? null, MEM_TYPE_NAMES.map((t) => d.memory[t])]);
}

/** Devices grouped by identical usage, each group where its first device is (device order kept). */
export function groupDevices(devices: readonly DeviceReport[]): DeviceGroup[] {
  const groups = new Map<string, DeviceGroup>();
  for (const d of devices) {
    const key = usageKey(d);
    const g = groups.get(key);
    if (g) g.ids.push(d.id);
    else groups.set(key, { kind: d.kind, ids: [d.id], label: '', device: d });
  }
  for (const g of groups.values()) g.label = groupLabel(g.kind, g.ids);
  return [...groups.values()];
}

export interface SeriesGroup {
  kind: DeviceReport['kind'];
  ids: number[];
  label: string;
  type: MemTypeName;
  samples: number;
  points: [number, number][];
}

/**
 * Timeline series of one memory type grouped by identical points (same times, same bytes): one line
 * per distinct group of devices, in device order.
 */
export function groupSeries(series: readonly TimelineSeries[], type: MemTypeName): SeriesGroup[] {
  const groups = new Map<string, SeriesGroup>();
  for (const s of series) {
    if (s.type !== type) continue;
    const kind = s.deviceKind;
    const key = JSON.stringify([kind, s.points]);
    const g = groups.get(key);
    if (g) g.ids.push(s.device);
    else groups.set(key, { kind, ids: [s.device], label: '', type, samples: s.samples, points: s.points });
  }
  for (const g of groups.values()) g.label = groupLabel(g.kind, g.ids);
  return [...groups.values()];
}
