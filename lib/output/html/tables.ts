/**
 * The HTML report's tables, rendered on the server side (plain strings, no script needed): usage per
 * device × type, anomaly counts and examples, leaks and leak groups, ops.
 */
import { MEM_TYPE_NAMES } from '../../events/format';
import type { AnomalyExample, DeviceKind, Report, Site } from '../../report/types';
import { bytesText, groupDigits } from '../bytes';
import { escapeHtml } from './escape';
import { groupDevices } from '../device-groups';
import { groupLiveAtPeak } from '../live-at-peak-groups';
import { LIFETIME_LABELS, lifetimeExample } from '../text-lifetimes';

type Cell = string | number | null;

/** `1 leaked buffer`, `3 leaked buffers`, digits grouped. */
export function counted(n: number, noun: string): string {
  return `${groupDigits(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * A table with an id; cells are escaped text, numbers right-aligned with thousands separators (and
 * their exact value in data-value, which a sortable table sorts by: a click on a header sorts).
 */
function table(id: string, head: readonly string[], rows: readonly Cell[][], empty: string, sortable = false): string {
  if (rows.length === 0) return `<p class="empty" id="${id}-empty">${escapeHtml(empty)}</p>`;
  const th = head.map((h) => `<th${sortable ? ' class="sortable"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => typeof c === 'number'
    ? `<td class="num" data-value="${c}">${groupDigits(c)}</td>`
    : `<td>${c === null ? '<span class="none">-</span>' : escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table id="${id}"${sortable ? ' data-sortable="1"' : ''}><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A device is (id, kind): mesh 0 and chip 0 are different devices. */
function deviceLabel(id: number, kind: DeviceKind | undefined): string {
  return `${kind ?? 'chip'} ${id}`;
}

/**
 * Rows for every device × type that saw memory (allocations, a peak or current bytes); devices with
 * identical usage share rows ("chips 0–7, each": every figure is each chip's, not their sum).
 */
export function usageTable(report: Report): string {
  const rows: Cell[][] = [];
  for (const g of groupDevices(report.devices)) {
    const d = g.device;
    for (const type of MEM_TYPE_NAMES) {
      const u = d.memory[type];
      if (u.allocated === 0 && u.peak === 0 && u.current === 0) continue;
      const capacity = d.capacity?.[type];
      const share = capacity ? `${((u.peak / capacity) * 100).toFixed(2)} %` : null;
      rows.push([g.label, type, u.current, u.peak, capacity ?? null, share, u.allocated, u.freed, u.lost ?? 0, u.liveBuffers]);
    }
  }
  // CB figures are bytes per core (track_allocate_cb's size); `lost`: live when the device closed.
  return table('usage', ['device', 'type', 'current (B)', 'peak (B)', 'capacity (B)', 'peak / capacity', 'allocated (buffers)', 'freed (buffers)', 'lost with device (buffers)', 'live (buffers)'],
    rows, 'No memory was charged to any device.');
}

export function anomalyCountsTable(report: Report): string {
  const a = report.anomalies;
  const rows: Cell[][] = [
    ['doubleFree', a.doubleFree.count, `afterReuse ${groupDigits(a.doubleFree.afterReuse)}`],
    ['staleFree', a.staleFree.count, null],
    ['untrackedFree', a.untrackedFree.count, null],
    ['overlap', a.overlap.count, null],
    ['duplicateAlloc', a.duplicateAlloc.count, null],
    ['aliasFree', a.aliasFree.count, `view ${groupDigits(a.aliasFree.view)}, replica ${groupDigits(a.aliasFree.replica)}`],
    ['alias', a.alias.count, `view ${groupDigits(a.alias.view)}, replica ${groupDigits(a.alias.replica)}`],
  ];
  return table('anomaly-counts', ['class', 'count', 'subkinds'], rows, '');
}

function siteText(site: Site | null): string | null {
  if (!site) return null;
  const where = [site.op && `op ${site.op}`, site.scope && `scope ${site.scope}`].filter(Boolean).join(', ');
  return `#${site.seq} thread ${site.thread}${where ? ` (${where})` : ''}`;
}

const EXPLAINED: readonly string[] = ['alias', 'aliasFree'];

function exampleRows(examples: readonly AnomalyExample[], origin: number): Cell[][] {
  return examples.map((e: AnomalyExample): Cell[] => [
    e.subkind ? `${e.class} (${e.subkind})` : e.class,
    e.object,
    deviceLabel(e.device, e.deviceKind),
    e.type,
    e.block,
    e.size,
    e.related ? `buffer ${e.related.id} on ${deviceLabel(e.related.device, e.related.deviceKind)}, ${e.related.block}, ${groupDigits(e.related.size)} B` : null,
    siteText(e.allocation),
    siteText(e.firstFree),
    siteText(e.offending),
    `${((e.offending.time - origin) / 1e6).toFixed(3)} ms`,
  ]);
}

const EXAMPLE_HEAD = ['class', 'buffer', 'device', 'type', 'block', 'size (B)', 'related', 'allocated', 'first freed', 'offending event', 'time'];

/**
 * Examples of the suspicious classes first, in a table; those of the explained classes (views and
 * mesh replicas: alias, aliasFree) collapsed behind one summary line.
 */
export function anomalyExamplesTable(report: Report, origin: number): string {
  const suspicious = report.anomalies.examples.filter((e) => !EXPLAINED.includes(e.class));
  const explained = report.anomalies.examples.filter((e) => EXPLAINED.includes(e.class));
  const a = report.anomalies;
  const out = [table('anomaly-examples', EXAMPLE_HEAD, exampleRows(suspicious, origin), 'No suspicious anomaly: every free and allocation is explained.')];
  if (explained.length > 0) {
    const what = `${groupDigits(a.alias.count)} alias allocations and ${groupDigits(a.aliasFree.count)} alias frees ` +
      `(views ${groupDigits(a.alias.view + a.aliasFree.view)}, mesh replicas ${groupDigits(a.alias.replica + a.aliasFree.replica)}): ` +
      `explained by ownership, not charged; ${groupDigits(explained.length)} examples`;
    out.push(`<details id="explained-examples"><summary>${escapeHtml(what)}</summary>\n${table('explained-examples', EXAMPLE_HEAD, exampleRows(explained, origin), '')}\n</details>`);
  }
  return out.join('\n');
}

/**
 * Leak rows the page lists at most: a report may list millions (leakListLimit up to 10^7), and a
 * page of 2,000,000 rows is over V8's longest string. The rest stay in the report file.
 */
export const HTML_LEAK_ROWS = 1000;

export function leaksTable(report: Report): string {
  const rows = report.leaks.slice(0, HTML_LEAK_ROWS).map((l): Cell[] => [
    l.id, deviceLabel(l.device, l.deviceKind), l.type, l.block, l.size, l.seq, l.op, l.scope,
    l.lostWithDevice ? 'lost with closed device' : l.lifetime === 'trace' ? 'live, across a trace' : 'live',
  ]);
  return table('leaks', ['buffer', 'device', 'type', 'block', 'size (B)', 'allocated at #', 'op', 'scope', 'state'], rows, 'No leaks: every owning allocation was freed.');
}

/** Why buffers outlived the scope that made them: one row per (scope, class), with its first example. */
export function lifetimesTable(report: Report): string {
  const rows = (report.lifetimes?.byScope ?? []).map((r): Cell[] =>
    [r.scope, LIFETIME_LABELS[r.class], r.buffers, r.bytes, lifetimeExample(r, (n) => `${groupDigits(n)} B`)]);
  return table('lifetimes', ['scope (test)', 'why it outlived it', 'buffers', 'size (B)', 'for example'], rows,
    'No buffer outlived the scope that allocated it.');
}

export function leakGroupsTable(report: Report): string {
  const rows = report.leakSummary.groups.map((g): Cell[] => [g.op, g.scope, g.buffers, g.bytes]);
  return table('leak-groups', ['op', 'scope', 'buffers', 'size (B)'], rows, 'No leak groups.');
}

export function opsTable(report: Report): string {
  const types = MEM_TYPE_NAMES.filter((t) => report.ops.some((o) => o.peak[t] > 0 || (o.devicePeak?.[t] ?? 0) > 0));
  const where = (d: { id: number; kind: string } | undefined) => (d ? `${d.kind} ${d.id}` : null);
  const rows = report.ops.map((o): Cell[] => [o.name, o.calls, ...types.flatMap((t) => [
    o.peak[t], where(o.peakDevice?.[t]), o.devicePeak?.[t] ?? null, where(o.devicePeakDevice?.[t]),
  ])]);
  // peak: the op's own allocations held at once on one chip; device peak: the chip's highest usage while it ran.
  const unit = (t: string) => (t === 'CB' ? 'B per core' : 'B per chip');
  return table('ops', ['op', 'calls', ...types.flatMap((t) => [`peak ${t} (${unit(t)})`, 'on', `device peak ${t} (${unit(t)})`, 'on'])],
    rows, 'No ops were recorded.');
}

/** One line of headline figures. */
export function headline(report: Report): string {
  const s = report.summary;
  const parts = [
    counted(report.events.total, 'event'),
    `${counted(s.allocs, 'allocation')}, ${counted(s.frees, 'free')}`,
    counted(s.suspiciousFrees, 'suspicious free'),
    `${counted(report.leakSummary.buffers, 'leaked buffer')} (${bytesText(report.leakSummary.bytes)})`,
  ];
  const status = report.complete
    ? '<span class="ok">complete</span>'
    : `<span class="bad">INCOMPLETE: ${groupDigits(report.events.dropped)} events dropped</span> ` +
      '(counts, usage and peaks can be low: lost allocations; leaks can be inflated: lost frees)';
  return `<p id="headline">${status} · ${parts.map(escapeHtml).join(' · ')}</p>`;
}

/**
 * One row per scope (one per test under tt-alloc-tracker/vitest): calls, peak bytes per memory type
 * (those any scope used; bytes per chip) and the chip each peak was on, the owning buffers it
 * leaked and the suspicious frees made in it. Sortable; largest total peak first.
 */
export function scopesTable(report: Report): string {
  const types = MEM_TYPE_NAMES.filter((t) => report.scopes.some((s) => s.peak[t] > 0));
  const leaks = new Map<string, { buffers: number; bytes: number }>();
  for (const g of report.leakSummary.groups) {
    if (g.scope === null) continue;
    const m = leaks.get(g.scope) ?? { buffers: 0, bytes: 0 };
    m.buffers += g.buffers;
    m.bytes += g.bytes;
    leaks.set(g.scope, m);
  }
  const where = (s: Report['scopes'][number]): string | null => {
    const parts = types.filter((t) => s.peak[t] > 0 && s.peakDevice?.[t]).map((t) => `${t} on ${s.peakDevice[t]!.kind} ${s.peakDevice[t]!.id}`);
    return parts.length > 0 ? parts.join(', ') : null;
  };
  const rows = report.scopes.map((s): Cell[] => [
    s.name, s.calls, ...types.map((t) => s.peak[t]), where(s), leaks.get(s.name)?.buffers ?? 0, leaks.get(s.name)?.bytes ?? 0, s.suspiciousFrees,
  ]);
  return table('scopes', ['scope (test)', 'calls', ...types.map((t) => `peak ${t} (B)`), 'peak on (chip)', 'leaked buffers', 'leaked (B)', 'suspicious frees'], rows,
    'No scopes were recorded (tt-alloc-tracker/vitest opens one per test; scope() and beginScope() open your own).', true);
}

/**
 * What was live at each peak: one collapsed block per group of devices with the same list and
 * memory type (opened by the "live at the peak" link of a chart's peak line), each a table of the
 * largest buffers. Every member device gets an anchor `live-<kind>-<id>-<type>` pointing at its block.
 */
export function liveAtPeakSection(report: Report, origin: number): string {
  const groups = groupLiveAtPeak(report.liveAtPeak ?? []);
  if (groups.length === 0) return '<p class="empty" id="live-at-peak-empty">No owning buffer was ever live (or the report predates this view).</p>';
  return groups.map((g, i) => {
    const e = g.entry;
    const id = `live-group-${i}`;
    const anchors = g.members.map((m) => `<span class="live-anchor" id="live-${m.kind}-${m.id}-${e.type}" data-target="${id}"></span>`).join('');
    const rows = e.listed.map((b): Cell[] => [b.id, b.size, b.block, b.seq, b.op, b.scope, b.freedAfterPeak ? 'freed since' : 'still live']);
    const left = e.buffers - e.listed.length;
    const more = left > 0 ? `<p class="note">… and ${groupDigits(left)} more buffer${left === 1 ? '' : 's'} (the report lists the ${e.listed.length} largest).</p>` : '';
    // A merged report's processes each count time from their own first event: no common time to name.
    const when = report.processes ? '' : ` at ${((e.time - origin) / 1e6).toFixed(3)} ms`;
    const summary = `${g.label} · ${e.type} · peak ${bytesText(e.peak)}${when} · ` +
      `${groupDigits(e.buffers)} buffer${e.buffers === 1 ? '' : 's'} live`;
    return `${anchors}<details class="live-at-peak" id="${id}" data-type="${e.type}" data-peak="${e.peak}"><summary>${escapeHtml(summary)}</summary>\n` +
      `${table(`${id}-table`, ['buffer', 'size (B)', 'block', 'allocated at #', 'op', 'scope', 'now'], rows, 'None listed.', true)}\n${more}</details>`;
  }).join('\n');
}
