/**
 * The text summary's lifetime part (docs/harness.md#text-summary): how many buffers outlived the
 * scope that made them and why, then the largest (scope, class) rows with one example each.
 */
import type { LifetimeClass, LifetimeRow, Report } from '../report/types';
import { formatBytes } from './bytes';
import { plural, table, truncate, type Style } from './table';

/** What each class means, as a reader asks it ("why is this buffer still there?"). */
export const LIFETIME_LABELS: Record<LifetimeClass, string> = {
  deviceClose: 'freed only by its device’s close',
  program: 'held by a program until its teardown',
  trace: 'live across a trace',
  laterFree: 'freed later',
  live: 'still live',
};
/** The same, short, for the one line of counts. */
const SHORT: Record<LifetimeClass, string> = {
  deviceClose: 'freed by a device close', program: 'by a program', trace: 'across a trace', laterFree: 'freed later', live: 'still live',
};
const ORDER: readonly LifetimeClass[] = ['program', 'trace', 'laterFree', 'live', 'deviceClose'];

/** A row's first buffer, `buffer 2 L1 8.0 KiB (op), freed in <scope>`, sizes as `size` writes them; null for none. */
export function lifetimeExample(row: LifetimeRow, size: (bytes: number) => string): string | null {
  const e = row.examples[0];
  if (!e) return null;
  const freed = e.freed ? `, freed in ${e.freed.scope ?? 'no scope'}` : '';
  return `buffer ${e.id} ${e.type} ${size(e.size)} (${e.op ?? '-'})${freed}`;
}

/** Lines for `report.lifetimes`, or none when no buffer outlived its scope or went with its device. */
export function lifetimeLines(report: Report, width: number, top: number, paint: (style: Style, text: string) => string): string[] {
  const l = report.lifetimes;
  if (!l || l.byScope.length === 0) return [];
  const parts = ORDER.filter((c) => l.classes[c].buffers > 0)
    .map((c) => `${l.classes[c].buffers} ${SHORT[c]} (${formatBytes(l.classes[c].bytes)})`);
  const total = ORDER.reduce((n, c) => n + l.classes[c].buffers, 0);
  const lines = ['', paint('bold', truncate(`Outlived their scope: ${plural(total, 'buffer')}: ${parts.join(', ')}`, width))];
  const shown = l.byScope.slice(0, top);
  if (shown.length === 0) return lines;
  lines.push(...table([
    { header: 'scope', align: 'left' }, { header: 'why', align: 'left' }, { header: 'buffers', align: 'right' },
    { header: 'bytes', align: 'right' }, { header: 'for example', align: 'left' },
  ], shown.map((r) => [r.scope ?? '-', LIFETIME_LABELS[r.class], String(r.buffers), formatBytes(r.bytes), lifetimeExample(r, formatBytes) ?? '-']), width));
  if (l.byScope.length > shown.length) lines.push(truncate(`  … ${plural(l.byScope.length - shown.length, 'more row')} in the JSON report`, width));
  return lines;
}
