/**
 * Merging the `l1` sections of reports from separate processes (docs/report.md#merging-reports):
 * headroom rows by (op, device), the minimum kept and launches added; each device's tightest moment
 * and each device × type's fragmentation row by their lowest value; failures concatenated. Time series
 * are left out, as the timeline is: each process has its own clock.
 */
import { DEFAULT_AGGREGATOR_OPTIONS } from '../aggregator/options';
import { flagOf } from '../aggregator/headroom';
import type { CbHeadroom, FragmentationReport, L1Report, L1Snapshot, Report } from './types';

const headroomKey = (h: number | null) => (h === null ? Infinity : h);

export function mergeL1(reports: readonly Report[]): L1Report | undefined {
  const parts = reports.map((r) => r.l1).filter((l): l is L1Report => l !== undefined);
  if (parts.length === 0) return undefined;
  const margin = parts[0].marginBytes;
  const rows = new Map<string, CbHeadroom>();
  const tightest = new Map<string, L1Snapshot>();
  const fragmentation = new Map<string, FragmentationReport>();
  for (const l1 of parts) {
    for (const row of l1.headroom) {
      const key = `${row.deviceKind} ${row.device}\u0000${row.op}`;
      const m = rows.get(key);
      if (!m) rows.set(key, { ...row });
      else {
        const launches = m.launches + row.launches;
        if (headroomKey(row.headroom) < headroomKey(m.headroom)) Object.assign(m, row);
        m.launches = launches;
      }
    }
    for (const t of l1.tightest) {
      const m = tightest.get(`${t.deviceKind} ${t.device}`);
      if (!m || t.headroom < m.headroom) tightest.set(`${t.deviceKind} ${t.device}`, structuredClone(t));
    }
    for (const f of l1.fragmentation) {
      const key = `${f.deviceKind} ${f.device}\u0000${f.type}`;
      const m = fragmentation.get(key);
      const low = (x: FragmentationReport) => x.lowestLargestFreeBlock?.bytes ?? Infinity;
      if (!m || low(f) < low(m)) fragmentation.set(key, { ...structuredClone(f), points: [] });
    }
  }
  const limit = DEFAULT_AGGREGATOR_OPTIONS.examplesPerClass;
  const failures = parts.flatMap((l) => l.failures.map((f) => structuredClone(f)));
  return {
    marginBytes: margin,
    headroom: [...rows.values()]
      .map((r) => ({ ...r, flag: flagOf(r.headroom, margin) }))
      .sort((a, b) => headroomKey(a.headroom) - headroomKey(b.headroom) || (a.op ?? '').localeCompare(b.op ?? '') ||
        a.deviceKind.localeCompare(b.deviceKind) || a.device - b.device),
    tightest: [...tightest.values()].sort((a, b) => a.deviceKind.localeCompare(b.deviceKind) || a.device - b.device),
    headroomSeries: [],
    fragmentation: [...fragmentation.values()].sort((a, b) => a.deviceKind.localeCompare(b.deviceKind) || a.device - b.device || a.type.localeCompare(b.type)),
    failures: failures.slice(0, limit),
    failuresOmitted: parts.reduce((n, l) => n + l.failuresOmitted, 0) + Math.max(0, failures.length - limit),
  };
}
