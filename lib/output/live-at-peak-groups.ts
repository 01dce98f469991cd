/**
 * Live-at-peak entries with the same list shown once, for text and HTML: a mesh's chips and the mesh
 * itself usually hold the same replicated buffers ("chips 0–7, each; mesh 0").
 */
import type { LiveAtPeak } from '../report/types';
import { groupLabel } from './device-groups';

export interface LiveAtPeakGroup {
  label: string;
  /** Every device of the group, as `chip 3` / `mesh 0`, in report order. */
  members: { kind: LiveAtPeak['deviceKind']; id: number }[];
  entry: LiveAtPeak;
}

/** Entries grouped by type, peak and the listed buffers; in the report's order. */
export function groupLiveAtPeak(entries: readonly LiveAtPeak[]): LiveAtPeakGroup[] {
  const groups = new Map<string, LiveAtPeakGroup>();
  for (const e of entries) {
    const key = JSON.stringify([e.type, e.peak, e.buffers, e.omitted, e.listed]);
    const g = groups.get(key);
    if (g) g.members.push({ kind: e.deviceKind, id: e.device });
    else groups.set(key, { label: '', members: [{ kind: e.deviceKind, id: e.device }], entry: e });
  }
  for (const g of groups.values()) {
    const chips = g.members.filter((m) => m.kind === 'chip').map((m) => m.id);
    const meshes = g.members.filter((m) => m.kind === 'mesh').map((m) => m.id);
    g.label = [chips.length > 0 ? groupLabel('chip', chips) : '', meshes.length > 0 ? groupLabel('mesh', meshes) : ''].filter(Boolean).join('; ');
  }
  return [...groups.values()];
}
