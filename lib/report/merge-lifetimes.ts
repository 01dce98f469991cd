/**
 * Lifetime classes of several processes (docs/report.md#merging-reports): class totals add up; rows of
 * the same (scope, class) add up, their examples concatenated up to the per-row cap. Buffer ids are
 * per process, so no row of one process stands for a buffer of another.
 */
import { LIFETIME_CLASSES, LIFETIME_EXAMPLES } from '../aggregator/lifetimes';
import type { LifetimeRow, Lifetimes, Report } from './types';

export function mergeLifetimes(reports: readonly Report[]): Lifetimes | undefined {
  if (!reports.some((r) => r.lifetimes)) return undefined;
  const classes = Object.fromEntries(LIFETIME_CLASSES.map((c) => [c, { buffers: 0, bytes: 0 }])) as Lifetimes['classes'];
  const rows = new Map<string, LifetimeRow>();
  for (const r of reports) {
    if (!r.lifetimes) continue;
    for (const c of LIFETIME_CLASSES) {
      classes[c].buffers += r.lifetimes.classes[c].buffers;
      classes[c].bytes += r.lifetimes.classes[c].bytes;
    }
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
  const order = (c: LifetimeRow['class']) => LIFETIME_CLASSES.indexOf(c);
  const byScope = [...rows.values()].sort((a, b) => b.bytes - a.bytes || b.buffers - a.buffers || order(a.class) - order(b.class) ||
    (a.scope ?? '').localeCompare(b.scope ?? ''));
  return { classes, byScope };
}
