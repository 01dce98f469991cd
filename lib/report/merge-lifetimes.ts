/**
 * Lifetime classes of several processes (docs/report.md#merging-reports): rows of the same (scope,
 * class) add up, and so do the class totals; examples are concatenated up to the per-row cap. Buffer
 * ids are per process, so no row of one process stands for a buffer of another.
 */
import { LIFETIME_EXAMPLES, summarizeLifetimes } from '../aggregator/lifetimes';
import type { LifetimeRow, Lifetimes, Report } from './types';

export function mergeLifetimes(reports: readonly Report[]): Lifetimes | undefined {
  if (!reports.some((r) => r.lifetimes)) return undefined;
  const rows = new Map<string, LifetimeRow>();
  for (const r of reports) {
    if (!r.lifetimes) continue;
    for (const row of r.lifetimes.byScope) {
      const key = JSON.stringify([row.scope, row.class]);
      const m = rows.get(key);
      if (!m) {
        rows.set(key, structuredClone(row));
        continue;
      }
      m.buffers += row.buffers;
      m.bytes += row.bytes;
      m.examples.push(...structuredClone(row.examples).slice(0, LIFETIME_EXAMPLES - m.examples.length));
    }
  }
  return summarizeLifetimes([...rows.values()]);
}
