/**
 * The HTML report's tables, rendered on the server side (plain strings, no script needed): usage per
 * device × type, anomaly counts and examples, leaks and leak groups, ops.
 */
import { MEM_TYPE_NAMES } from '../../events/format';
import type { AnomalyExample, DeviceKind, Report, Site } from '../../report/types';
import { bytesText, escapeHtml, groupDigits } from './escape';

type Cell = string | number | null;

/** A table with an id; cells are escaped text, numbers right-aligned with thousands separators. */
function table(id: string, head: readonly string[], rows: readonly Cell[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty" id="${id}-empty">${escapeHtml(empty)}</p>`;
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => typeof c === 'number'
    ? `<td class="num">${groupDigits(c)}</td>`
    : `<td>${c === null ? '<span class="none">-</span>' : escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table id="${id}"><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A device is (id, kind): mesh 0 and chip 0 are different devices. */
function deviceLabel(id: number, kind: DeviceKind | undefined): string {
  return `${kind ?? 'chip'} ${id}`;
}

/** Rows for every device × type that saw memory (allocations, a peak or current bytes). */
export function usageTable(report: Report): string {
  const rows: Cell[][] = [];
  for (const d of report.devices) {
    for (const type of MEM_TYPE_NAMES) {
      const u = d.memory[type];
      if (u.allocated === 0 && u.peak === 0 && u.current === 0) continue;
      const capacity = d.capacity?.[type];
      const share = capacity ? `${((u.peak / capacity) * 100).toFixed(2)} %` : null;
      rows.push([`${d.kind} ${d.id}`, type, u.current, u.peak, capacity ?? null, share, u.allocated, u.freed, u.lost ?? 0, u.liveBuffers]);
    }
  }
  // CB figures are bytes per core (track_allocate_cb's size); `lost`: live when the device closed.
  return table('usage', ['device', 'type', 'current B', 'peak B', 'capacity B', 'peak / capacity', 'allocated', 'freed', 'lost with device', 'live'],
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

export function anomalyExamplesTable(report: Report, origin: number): string {
  const rows = report.anomalies.examples.map((e: AnomalyExample): Cell[] => [
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
  return table('anomaly-examples', ['class', 'buffer', 'device', 'type', 'block', 'size B', 'related', 'allocated', 'first freed', 'offending event', 'time'],
    rows, 'No anomaly examples.');
}

export function leaksTable(report: Report): string {
  const rows = report.leaks.map((l): Cell[] => [
    l.id, deviceLabel(l.device, l.deviceKind), l.type, l.block, l.size, l.seq, l.op, l.scope, l.lostWithDevice ? 'lost with closed device' : 'live',
  ]);
  return table('leaks', ['buffer', 'device', 'type', 'block', 'size B', 'allocated at #', 'op', 'scope', 'state'], rows, 'No leaks: every owning allocation was freed.');
}

export function leakGroupsTable(report: Report): string {
  const rows = report.leakSummary.groups.map((g): Cell[] => [g.op, g.scope, g.buffers, g.bytes]);
  return table('leak-groups', ['op', 'scope', 'buffers', 'bytes'], rows, 'No leak groups.');
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
    `${groupDigits(report.events.total)} events`,
    `${groupDigits(s.allocs)} allocations, ${groupDigits(s.frees)} frees`,
    `${groupDigits(s.suspiciousFrees)} suspicious frees`,
    `${groupDigits(report.leakSummary.buffers)} leaked buffers (${bytesText(report.leakSummary.bytes)})`,
  ];
  const status = report.complete
    ? '<span class="ok">complete</span>'
    : `<span class="bad">INCOMPLETE: ${groupDigits(report.events.dropped)} events dropped</span> ` +
      '(counts, usage and peaks can be low: lost allocations; leaks can be inflated: lost frees)';
  return `<p id="headline">${status} · ${parts.map(escapeHtml).join(' · ')}</p>`;
}
