/**
 * The text summary's L1 part (docs/harness.md#text-summary): one line per op whose CB headroom was
 * flagged (a clash, or a near miss under the margin), on its tightest chip, then each explained
 * failure with the buffers in its way.
 */
import type { Blocker, CbHeadroom, FailureExplanation, Report } from '../report/types';
import { formatBytes } from './bytes';
import { truncate, type Style } from './table';

const hex = (n: number) => `0x${n.toString(16)}`;

/** The tightest chip of every flagged op, tightest op first (the rows come sorted so). */
function flaggedOps(rows: readonly CbHeadroom[]): CbHeadroom[] {
  const seen = new Set<string | null>();
  const out: CbHeadroom[] = [];
  for (const row of rows) {
    if (row.flag === null || seen.has(row.op)) continue;
    seen.add(row.op);
    out.push(row);
  }
  return out;
}

function blockerLine(b: Blocker): string {
  return `      buffer ${b.id} (${b.op ?? '-'} / ${b.scope ?? '-'}) ${b.type} [${hex(b.address)}, ${hex(b.end)}) ` +
    `${formatBytes(b.size)}: ${b.overlap.bytes} B in the way`;
}

function failureLine(f: FailureExplanation): string {
  const where = f.devices.length > 0 ? ` on ${f.devices.map((d) => `${d.kind} ${d.id}`).join(', ')}` : '';
  if (f.kind === 'cbClash') {
    return `  CB clash${where}: program ${f.program ?? '?'} CB region ends at ${hex(f.cbRegionEnd!)}, ` +
      `lowest L1 buffer at ${hex(f.lowestL1Address!)} (${f.headroom} B)`;
  }
  return `  out of ${f.type} memory${where} (${f.cause ?? 'cause unknown'}): ${f.requestedPerBank} B per bank requested, ` +
    `largest free block ${f.largestFreeBlock ?? '?'} B, free ${f.freePerBank ?? '?'} B per bank`;
}

/** Lines for `report.l1`, or none when there is nothing to flag. */
export function l1Lines(report: Report, width: number, paint: (style: Style, text: string) => string, blockersShown = 3): string[] {
  const l1 = report.l1;
  if (!l1) return [];
  const ops = flaggedOps(l1.headroom);
  if (ops.length === 0 && l1.failures.length === 0) return [];
  const lines = ['', paint('bold', `L1: CB headroom under ${l1.marginBytes} B, and failures explained`)];
  for (const r of ops) {
    lines.push(paint(r.flag === 'clash' ? 'red' : 'yellow', truncate(
      `  ${r.flag === 'clash' ? 'clash    ' : 'near miss'} ${r.op ?? '(no op)'}: headroom ${r.headroom} B on ${r.deviceKind} ${r.device} ` +
      `(CB region ends ${hex(r.cbRegionEnd)}, lowest L1 buffer ${hex(r.lowestL1Address!)}), ${r.launches} launch${r.launches === 1 ? '' : 'es'}`, width)));
  }
  for (const f of l1.failures) {
    lines.push(paint('red', truncate(failureLine(f), width)));
    for (const b of f.blockers.slice(0, blockersShown)) lines.push(truncate(blockerLine(b), width));
    if (f.blockers.length > blockersShown) lines.push(`      … ${f.blockers.length - blockersShown} more in the JSON report`);
  }
  if (l1.failuresOmitted > 0) lines.push(`  … ${l1.failuresOmitted} more failures not kept`);
  return lines;
}
