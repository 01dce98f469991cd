/**
 * `diff <a> <b>`: what grew from report a to report b (peaks and current usage per device × type,
 * ops' and scopes' — tests' — peaks), which leaks are new, and how anomaly counts changed. Exit code
 * 0; with `--fail-on` 1 when a threshold is exceeded (lib/cli/fail-on.ts); 2 for unreadable files.
 */
import type { Command } from 'commander';
import { diffReports, type PeakDelta, type ReportDiff } from '../../report/diff';
import { failures, parseFailOn } from '../fail-on';
import { ThresholdExceeded } from '../errors';
import { formatBytes, table } from '../../output/table';
import { readReport } from '../files';

const WIDTH = 100;
/** Op and scope rows listed. */
const TOP = 20;

function signed(delta: number, format: (n: number) => string): string {
  if (delta === 0) return format(0);
  return delta > 0 ? `+${format(delta)}` : `-${format(-delta)}`;
}

/** Names whose peak of a type changed, largest growth first (at most TOP rows, the rest counted). */
function peakSection(title: string, rows: readonly PeakDelta[]): string[] {
  if (rows.length === 0) return [`${title}: same peaks`, ''];
  const shown = rows.slice(0, TOP);
  const lines = [`${title} whose peak changed (${rows.length} ${rows.length === 1 ? 'row' : 'rows'}; largest growth first; bytes)`];
  lines.push(...table([
    { header: 'type', align: 'left' }, { header: 'peak a', align: 'right' }, { header: 'peak b', align: 'right' },
    { header: 'Δ', align: 'right' }, { header: 'name', align: 'left' },
  ], shown.map((r) => [r.type, r.presence === 'new' ? '-' : formatBytes(r.a), r.presence === 'gone' ? '-' : formatBytes(r.b),
    signed(r.b - r.a, formatBytes), r.presence === 'new' ? `${r.name} (new in b)` : r.presence === 'gone' ? `${r.name} (gone in b)` : r.name]), WIDTH));
  if (rows.length > shown.length) lines.push(`  … and ${rows.length - shown.length} more`);
  lines.push('');
  return lines;
}

export function formatDiff(d: ReportDiff, nameA: string, nameB: string): string {
  const lines = [`Comparing ${nameA} (a) with ${nameB} (b)`, ''];
  if (d.usage.length === 0) {
    lines.push('Usage: peak and current equal on every device and type');
  } else {
    lines.push('Usage (rows that changed; bytes per chip, CB bytes per core)');
    lines.push(...table([
      { header: 'device', align: 'left' }, { header: 'type', align: 'left' },
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
      { header: 'device', align: 'left' }, { header: 'type', align: 'left' }, { header: 'size', align: 'right' },
      { header: 'op / scope', align: 'left' },
    ], d.newLeaks.map((l) => [`${l.deviceKind ?? 'chip'} ${l.device}`, l.type, formatBytes(l.size), `${l.op ?? '-'} / ${l.scope ?? '-'}`]), WIDTH));
  }
  lines.push(`Leaks of a gone in b: ${d.fixedLeaks.length}`, '');
  lines.push(...peakSection('Ops', d.ops), ...peakSection('Scopes (tests)', d.scopes));
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
    .description('compare two reports: usage growth per device and type, ops and scopes (tests), new leaks, anomaly counts')
    .argument('<a>', 'baseline report JSON')
    .argument('<b>', 'report JSON to compare with the baseline')
    .option('--fail-on <thresholds>', 'exit 1 when exceeded: comma-separated leaks, anomalies, peak:<N>% | peak:<bytes>, scope-peak:<N>% | scope-peak:<bytes> (e.g. leaks,peak:5%,scope-peak:1MiB)')
    .action((a: string, b: string, opts: { failOn?: string }) => {
      const failOn = opts.failOn === undefined ? undefined : parseFailOn(opts.failOn);
      const d = diffReports(readReport(a), readReport(b));
      process.stdout.write(`${formatDiff(d, a, b)}\n`);
      if (!failOn) return;
      const failed = failures(d, failOn);
      if (failed.length === 0) {
        process.stdout.write(`--fail-on ${opts.failOn}: passed\n`);
        return;
      }
      process.stdout.write(`--fail-on ${opts.failOn}: ${failed.length} threshold${failed.length === 1 ? '' : 's'} exceeded\n${failed.map((l) => `  ${l}\n`).join('')}`);
      throw new ThresholdExceeded(failed.join('; '));
    });
}
