/**
 * The report as text for a terminal or a CI log: usage per device × memory type, anomalies with the
 * story of their most telling examples (like AddressSanitizer's double-free report), the largest
 * leaks and the ops with the highest peaks. No line is longer than `width`.
 */
import { MEM_TYPE_NAMES } from '../events/format';
import { invalidOption } from '../errors';
import { coverageWarning } from '../processor-coverage';
import { checkReport } from '../report/check';
import type { AnomalyClass, AnomalyExample, DevicesByType, OpReport, Report, Site } from '../report/types';
import { expectInteger, expectKnownKeys, expectObject } from '../validate';
import { formatBytes } from './bytes';
import { painter, plural, table, truncate, type Style } from './table';
import { withTerminalSafeNames } from './terminal-text';
import { groupDevices, idRanges } from './device-groups';
import { groupLiveAtPeak } from './live-at-peak-groups';
import { l1Lines } from './text-l1';
import { lifetimeLines } from './text-lifetimes';

export interface FormatOptions {
  /** ANSI colour. @default true when stdout is a TTY and NO_COLOR is unset or empty (colorByDefault) */
  color?: boolean;
  /** Longest line, in characters (40 … 1000). @default 100 */
  width?: number;
  /** Examples shown per anomaly class (0 … 100). @default 2 */
  examples?: number;
  /** Leaks and ops listed (0 … 1000). @default 10 */
  top?: number;
}

interface Resolved {
  width: number;
  examples: number;
  top: number;
  paint: (style: Style, text: string) => string;
}

/**
 * Colour unless told otherwise: when stdout is a terminal and NO_COLOR (no-color.org) is unset or
 * empty. FORCE_COLOR is not read: `color: true` (the CLI's --color) forces colour.
 */
function colorByDefault(stdout: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stdout.isTTY === true && !env.NO_COLOR;
}

function resolve(options: unknown): Resolved {
  const o = options === undefined ? {} : expectObject('formatReport() options', options);
  expectKnownKeys('formatReport()', o, ['color', 'width', 'examples', 'top']);
  if (o.color !== undefined && typeof o.color !== 'boolean') throw invalidOption('color', 'a boolean', o.color, 'type');
  const color = o.color ?? colorByDefault();
  return {
    width: o.width === undefined ? 100 : expectInteger('width', o.width, 40, 1000),
    examples: o.examples === undefined ? 2 : expectInteger('examples', o.examples, 0, 100),
    top: o.top === undefined ? 10 : expectInteger('top', o.top, 0, 1000),
    paint: painter(color as boolean),
  };
}

const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)}%`;

function header(r: Report, o: Resolved): string[] {
  const e = r.events;
  const lines = [o.paint('bold', truncate(
    `tt-alloc-tracker report: ${e.total} events (alloc ${e.alloc}, free ${e.free}, cb ${e.cbAlloc}, ` +
    `program ${e.program}, ops ${e.opStart}, marks ${e.mark})`, o.width))];
  if (!r.complete) {
    // What a lost event can do to each figure: a lost alloc lowers counts, usage and peaks; a lost
    // free leaves its buffer looking live (leaks inflated) and can turn a later free or reuse suspicious.
    lines.push(o.paint('yellow', truncate(`INCOMPLETE: ${e.dropped} events of this stream were dropped by the ring:`, o.width)));
    lines.push(o.paint('yellow', truncate('  counts, usage and peaks can be low (lost allocations); leaks can be inflated (lost frees);', o.width)));
    lines.push(o.paint('yellow', truncate('  anomaly classes can be off either way (a lost free or alloc changes what later events look like)', o.width)));
  }
  const coverage = coverageWarning(r.processor);
  if (coverage) lines.push(o.paint('yellow', truncate(coverage, o.width)));
  return lines;
}

function memory(r: Report, o: Resolved): string[] {
  const rows: string[][] = [];
  // Devices with identical usage share rows: a mesh's chips usually do ("0–7  chips, each").
  for (const g of groupDevices(r.devices)) {
    const d = g.device;
    const kind = g.ids.length > 1 ? `${d.kind === 'mesh' ? 'meshes' : 'chips'}, each` : d.kind;
    for (const type of MEM_TYPE_NAMES) {
      const u = d.memory[type];
      if (!u || (u.peak === 0 && u.allocated === 0 && u.current === 0)) continue;
      const capacity = d.capacity?.[type];
      rows.push([
        idRanges(g.ids), kind + (d.opens ? ` (opened ${d.opens}×)` : ''), type, formatBytes(u.current), formatBytes(u.peak),
        capacity ? formatBytes(capacity) : '-', capacity ? pct(u.peak, capacity) : '-',
        String(u.liveBuffers), String(u.allocated), String(u.lost ?? 0),
      ]);
    }
  }
  if (rows.length === 0) return ['Memory: nothing allocated'];
  const cbUsed = r.devices.some((d) => (d.memory.CB?.allocated ?? 0) > 0);
  const notes = cbUsed
    ? [`  CB: bytes per core, ${r.circularBuffers.basis === 'live' ? 'live (the stream reports CB releases)' : 'allocated since program creation (the stream never reports CB releases), not live'}`]
    : [];
  return [
    o.paint('bold', truncate('Memory per device and type (bytes; CB: bytes per core)', o.width)),
    ...notes.map((n) => truncate(n, o.width)),
    ...table([
      { header: 'device', align: 'right' }, { header: 'kind', align: 'left' }, { header: 'type', align: 'left' },
      { header: 'current', align: 'right' }, { header: 'peak', align: 'right' }, { header: 'capacity', align: 'right' },
      { header: 'peak %', align: 'right' }, { header: 'live', align: 'right' }, { header: 'allocs', align: 'right' },
      { header: 'lost', align: 'right' },
    ], rows, o.width),
  ];
}

const SUSPICIOUS: AnomalyClass[] = ['doubleFree', 'staleFree', 'untrackedFree', 'overlap', 'duplicateAlloc'];

const CLASS_MEANING: Record<AnomalyClass, string> = {
  doubleFree: 'an object freed again',
  staleFree: 'freed after its owner or its memory was gone',
  untrackedFree: 'allocated before tracking began',
  overlap: 'allocation over part of a live range (missed free?)',
  duplicateAlloc: 'a live object allocated again',
  aliasFree: 'frees of views and mesh replicas (explained)',
  alias: 'views and mesh replicas (tracked, not charged)',
};

function anomalyCounts(r: Report, o: Resolved): string[] {
  const a = r.anomalies;
  const detail: Record<AnomalyClass, string> = {
    doubleFree: a.doubleFree.afterReuse > 0 ? ` (afterReuse ${a.doubleFree.afterReuse})` : '',
    staleFree: '', untrackedFree: '', overlap: '', duplicateAlloc: '',
    aliasFree: a.aliasFree.count > 0 ? ` (view ${a.aliasFree.view}, replica ${a.aliasFree.replica})` : '',
    alias: a.alias.count > 0 ? ` (view ${a.alias.view}, replica ${a.alias.replica})` : '',
  };
  const lines = [o.paint('bold', 'Anomalies (events)')];
  for (const cls of SUSPICIOUS) {
    const count = a[cls].count;
    const text = truncate(`  ${cls.padEnd(15)}${String(count).padStart(8)}${detail[cls]}  ${CLASS_MEANING[cls]}`, o.width);
    lines.push(count > 0 ? o.paint('red', text) : text);
  }
  // Views and mesh replicas are lifecycle facts, not problems: one line for both classes.
  const explained = a.alias.count + a.aliasFree.count;
  lines.push(o.paint('dim', truncate(`  ${'explained'.padEnd(15)}${String(explained).padStart(8)} (alias ${a.alias.count}, aliasFree ${a.aliasFree.count}; ` +
    `views ${a.alias.view + a.aliasFree.view}, mesh replicas ${a.alias.replica + a.aliasFree.replica})  allocations and frees of views and mesh replicas: tracked, not charged`, o.width)));
  const s = r.summary;
  lines.push(truncate(`  ${plural(s.suspiciousFrees, 'suspicious free')} on ${plural(s.affectedBuffers, 'buffer')}; ` +
    `excess free rate ${(100 * s.excessFreeRate).toFixed(1)}% (suspicious frees per allocation)`, o.width));
  const w = s.worstAddress;
  if (w) {
    lines.push(truncate(`  worst address 0x${w.address.toString(16)} on ${w.deviceKind ?? 'chip'} ${w.device} ${w.type}: ` +
      `${plural(w.excessFrees, 'free')} no allocation explains`, o.width));
  }
  return lines;
}

function site(label: string, s: Site | null, width: number): string {
  if (!s) return truncate(`    ${label.padEnd(12)} unknown`, width);
  return truncate(`    ${label.padEnd(12)} seq ${s.seq}  thread ${s.thread}  op ${s.op ?? '-'}  scope ${s.scope ?? '-'}`, width);
}

const OFFENDING_LABEL: Record<AnomalyClass, string> = {
  doubleFree: 'freed again', staleFree: 'freed', untrackedFree: 'freed', aliasFree: 'freed',
  overlap: 'allocated', duplicateAlloc: 'allocated', alias: 'allocated',
};

const RELATED_LABEL: Record<AnomalyClass, string> = {
  doubleFree: 'range now owned by', staleFree: 'range now owned by', untrackedFree: 'related', aliasFree: 'owner',
  overlap: 'overlaps', duplicateAlloc: 'live object', alias: 'owner',
};

/** One example as a short story: what happened, then where it was allocated, first freed, offended. */
function example(e: AnomalyExample, o: Resolved): string[] {
  const kind = e.subkind ? `${e.class} (${e.subkind})` : e.class;
  const lines = [o.paint(SUSPICIOUS.includes(e.class) ? 'red' : 'dim', truncate(
    `  ${kind}: buffer ${e.object} on ${e.deviceKind ?? 'chip'} ${e.device} ${e.type}, block ${e.block}, ${formatBytes(e.size)}`, o.width))];
  lines.push(site(OFFENDING_LABEL[e.class], e.offending, o.width));
  if (e.allocation || e.class !== 'untrackedFree') lines.push(site('allocated', e.allocation, o.width));
  if (e.firstFree) lines.push(site('first freed', e.firstFree, o.width));
  if (e.related) {
    const rel = e.related;
    lines.push(truncate(`    ${RELATED_LABEL[e.class]} buffer ${rel.id} (${rel.deviceKind ?? 'chip'} ${rel.device}, ${rel.block}, ${formatBytes(rel.size)})`, o.width));
  }
  return lines;
}

/** The most telling examples first: within a class, after-reuse double frees before plain ones. */
function examples(r: Report, o: Resolved): string[] {
  if (o.examples === 0) return [];
  const lines: string[] = [];
  for (const cls of SUSPICIOUS) {
    const list = r.anomalies.examples.filter((e) => e.class === cls);
    if (list.length === 0) continue;
    const ranked = [...list.filter((e) => e.subkind === 'afterReuse'), ...list.filter((e) => e.subkind !== 'afterReuse')];
    const shown = ranked.slice(0, o.examples);
    const more = r.anomalies[cls].count - shown.length;
    lines.push('', o.paint('bold', `${cls} examples (${shown.length} of ${r.anomalies[cls].count})`));
    for (const e of shown) lines.push(...example(e, o));
    if (more > 0) lines.push(`  … ${more} more in the JSON report`);
  }
  return lines;
}

function leaks(r: Report, o: Resolved): string[] {
  const s = r.leakSummary;
  if (s.buffers === 0) return [o.paint('green', 'Leaks: none (no owning allocation is live)')];
  const shown = r.leaks.slice(0, o.top);
  const lost = s.lostWithDevice ?? { buffers: 0, bytes: 0 };
  const lines = [o.paint('red', truncate(`Leaks: ${plural(s.buffers, 'buffer')}, ${formatBytes(s.bytes)} still allocated` +
    (lost.buffers > 0 ? `, of which ${plural(lost.buffers, 'buffer')} (${formatBytes(lost.bytes)}) lost with a closed device` : '') +
    (shown.length < s.buffers ? ` (largest ${shown.length} listed)` : ''), o.width))];
  if (shown.length === 0) return lines;
  lines.push(...table([
    { header: 'id', align: 'right' }, { header: 'device', align: 'right' }, { header: 'type', align: 'left' },
    { header: 'address', align: 'left' }, { header: 'size', align: 'right' }, { header: 'op / scope', align: 'left' },
    { header: 'state', align: 'left' },
  ], shown.map((l) => [
    String(l.id), `${l.deviceKind ?? 'chip'} ${l.device}`, l.type, l.block, formatBytes(l.size), `${l.op ?? '-'} / ${l.scope ?? '-'}`,
    l.lostWithDevice ? 'lost with closed device' : l.lifetime === 'trace' ? 'live, across a trace' : 'live',
  ]), o.width));
  return lines;
}

/** `L1 608 KiB on chip 3, DRAM 2 MiB on chip 0`: each type's figure with the chip it happened on. */
function peakBreakdown(peak: OpReport['peak'], where: DevicesByType | undefined): string {
  return MEM_TYPE_NAMES.filter((t) => (peak[t] ?? 0) > 0).map((t) => {
    const d = where?.[t];
    return `${t} ${formatBytes(peak[t])}${d ? ` on ${d.kind} ${d.id}` : ''}`;
  }).join(', ') || '-';
}

function byPeak(title: string, list: Report['ops'], o: Resolved): string[] {
  if (list.length === 0 || o.top === 0) return [];
  const shown = list.slice(0, o.top);
  // The suspicious-free column only when one of them has any: a clean run's table stays narrow.
  const suspicious = shown.some((op) => op.suspiciousFrees > 0);
  return [
    '',
    o.paint('bold', truncate(`${title} (${shown.length} of ${list.length}; bytes per chip, CB bytes per core)`, o.width)),
    ...table([
      { header: 'calls', align: 'right' }, ...(suspicious ? [{ header: 'suspicious frees', align: 'right' as const }] : []),
      { header: 'name', align: 'left' }, { header: 'peak: own allocations held at once', align: 'left' },
      { header: 'device peak while running', align: 'left' },
    ], shown.map((op) => [
      String(op.calls), ...(suspicious ? [String(op.suspiciousFrees)] : []), op.name, peakBreakdown(op.peak, op.peakDevice),
      peakBreakdown(op.devicePeak ?? op.peak, op.devicePeakDevice),
    ]), o.width),
  ];
}

/**
 * What was live at each peak (memory_viz's view): per group of devices with the same list and memory
 * type, the largest buffers with size, allocation sequence, op and scope (at most `top`).
 */
function liveAtPeak(r: Report, o: Resolved): string[] {
  const groups = groupLiveAtPeak(r.liveAtPeak ?? []);
  if (groups.length === 0 || o.top === 0) return [];
  const lines = ['', o.paint('bold', truncate('Live at the peak (owning buffers when usage first reached its peak; largest first; bytes per chip)', o.width))];
  for (const g of groups) {
    const e = g.entry;
    const shown = e.listed.slice(0, o.top);
    lines.push(truncate(`  ${g.label} ${e.type}: peak ${formatBytes(e.peak)} (${e.peak} B), ${plural(e.buffers, 'buffer')} live`, o.width));
    lines.push(...table([
      { header: 'id', align: 'right' }, { header: 'size', align: 'right' }, { header: 'alloc seq', align: 'right' },
      { header: 'freed since', align: 'left' }, { header: 'op / scope', align: 'left' },
    ], shown.map((b) => [String(b.id), formatBytes(b.size), String(b.seq), b.freedAfterPeak ? 'yes' : 'no', `${b.op ?? '-'} / ${b.scope ?? '-'}`]), o.width, '    '));
    const left = e.buffers - shown.length;
    if (left > 0) lines.push(truncate(`    … and ${plural(left, 'more buffer')}${e.omitted > 0 ? ` (${e.omitted} not in the report either)` : ''}`, o.width));
  }
  return lines;
}

/** The report as readable text (docs/harness.md#text-summary). */
export function formatReport(value: Report, options?: FormatOptions): string {
  const report = withTerminalSafeNames(checkReport(value, 'formatReport() report'));
  const o = resolve(options);
  return [
    ...header(report, o), '',
    ...memory(report, o), '',
    ...anomalyCounts(report, o),
    ...examples(report, o), '',
    ...leaks(report, o),
    ...lifetimeLines(report, o.width, o.top, o.paint),
    ...liveAtPeak(report, o),
    ...l1Lines(report, o.width, o.paint),
    ...byPeak('Top ops by peak', report.ops, o),
    ...byPeak('Top scopes by peak', report.scopes, o),
  ].join('\n');
}
