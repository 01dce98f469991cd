/**
 * `diff <a> <b>`: what grew from report a to report b (peaks and current usage per device × type),
 * which leaks are new, and how anomaly counts changed. Informational: the exit code is 0 whatever
 * the differences (2 for unreadable files).
 */
import type { Command } from 'commander';
import { diffReports, type ReportDiff } from '../../report/diff';
import { formatBytes, table } from '../../output/table';
import { readReport } from '../files';

const WIDTH = 100;

function signed(delta: number, format: (n: number) => string): string {
  if (delta === 0) return format(0);
  return delta > 0 ? `+${format(delta)}` : `-${format(-delta)}`;
}

export function formatDiff(d: ReportDiff, nameA: string, nameB: string): string {
  const lines = [`Comparing ${nameA} (a) with ${nameB} (b)`, ''];
  if (d.usage.length === 0) {
    lines.push('Usage: peak and current equal on every device and type');
  } else {
    lines.push('Usage (rows that changed)');
    lines.push(...table([
      { header: 'device', align: 'right' }, { header: 'type', align: 'left' },
      { header: 'peak a', align: 'right' }, { header: 'peak b', align: 'right' }, { header: 'peak Δ', align: 'right' },
      { header: 'current a', align: 'right' }, { header: 'current b', align: 'right' }, { header: 'current Δ', align: 'right' },
    ], d.usage.map((u) => [
      `${u.deviceKind} ${u.device}`, u.type, formatBytes(u.peakA), formatBytes(u.peakB), signed(u.peakB - u.peakA, formatBytes),
      formatBytes(u.currentA), formatBytes(u.currentB), signed(u.currentB - u.currentA, formatBytes),
    ]), WIDTH));
  }
  lines.push('');
  const note = d.leaksComplete ? '' : ' (among the listed leaks: a report lists at most leakListLimit)';
  lines.push(`New leaks in b: ${d.newLeaks.length}${note}`);
  if (d.newLeaks.length > 0) {
    lines.push(...table([
      { header: 'device', align: 'right' }, { header: 'type', align: 'left' }, { header: 'size', align: 'right' },
      { header: 'op / scope', align: 'left' },
    ], d.newLeaks.map((l) => [`${l.deviceKind ?? 'chip'} ${l.device}`, l.type, formatBytes(l.size), `${l.op ?? '-'} / ${l.scope ?? '-'}`]), WIDTH));
  }
  lines.push(`Leaks of a gone in b: ${d.fixedLeaks.length}`, '');
  if (d.anomalies.length === 0) {
    lines.push('Anomalies: same counts');
  } else {
    lines.push('Anomalies (classes whose count changed)');
    lines.push(...table([
      { header: 'class', align: 'left' }, { header: 'a', align: 'right' }, { header: 'b', align: 'right' },
      { header: 'Δ', align: 'right' },
    ], d.anomalies.map((x) => [x.class, String(x.a), String(x.b), signed(x.b - x.a, String)]), WIDTH));
  }
  return lines.join('\n');
}

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('compare two reports: usage growth per device and type, new leaks, anomaly counts (exit code 0)')
    .argument('<a>', 'baseline report JSON')
    .argument('<b>', 'report JSON to compare with the baseline')
    .action((a: string, b: string) => {
      process.stdout.write(`${formatDiff(diffReports(readReport(a), readReport(b)), a, b)}\n`);
    });
}
