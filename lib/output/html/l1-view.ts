/**
 * The HTML report's L1 section: CB headroom per op and chip, an address-space map of each chip's L1 at
 * its tightest moment (static CBs, live L1 buffers, the buffers in the CB region's way highlighted), and
 * the failures explained with their blockers. Inline SVG, rendered here: no script needed.
 */
import type { Blocker, L1Snapshot, Report } from '../../report/types';
import { groupDigits } from '../bytes';
import { escapeHtml } from './escape';

const WIDTH = 1000;
const HEIGHT = 56;
const hex = (n: number) => `0x${n.toString(16)}`;

function rect(x0: number, x1: number, y: number, h: number, cls: string, title: string): string {
  const w = Math.max(1, x1 - x0);
  return `<rect class="${cls}" x="${x0.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${h}"><title>${escapeHtml(title)}</title></rect>`;
}

function bufferTitle(b: Blocker): string {
  const way = b.overlap.bytes > 0 ? `, ${groupDigits(b.overlap.bytes)} B in the CB region` : '';
  return `buffer ${b.id} [${hex(b.address)}, ${hex(b.end)}) ${groupDigits(b.size)} B, op ${b.op ?? '-'}, scope ${b.scope ?? '-'}${way}`;
}

/** One chip's L1 from the CB base to the highest buffer end: CBs on the top row, buffers below. */
function addressMap(s: L1Snapshot, top: number | null): string {
  const lo = s.cbRegionStart;
  const hi = Math.max(top ?? 0, s.cbRegionEnd, ...s.buffers.map((b) => b.end));
  const x = (a: number) => ((a - lo) / Math.max(1, hi - lo)) * WIDTH;
  const parts: string[] = [];
  for (const cb of s.circularBuffers) {
    parts.push(rect(x(cb.address), x(cb.address + cb.size), 4, 20, cb.globallyAllocated ? 'cb global' : 'cb',
      `CB of program ${cb.program ?? '?'} [${hex(cb.address)}, ${hex(cb.address + cb.size)}) ${groupDigits(cb.size)} B per core on ${cb.cores} cores`));
  }
  for (const b of s.buffers) parts.push(rect(x(b.address), x(b.end), 30, 20, b.overlap.bytes > 0 ? 'buf blocker' : 'buf', bufferTitle(b)));
  const endX = x(s.cbRegionEnd).toFixed(1);
  parts.push(`<line class="cb-end" x1="${endX}" x2="${endX}" y1="0" y2="${HEIGHT}"><title>CB region end ${hex(s.cbRegionEnd)}</title></line>`);
  return `<svg class="l1-map" id="l1-map-${s.deviceKind}-${s.device}" viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none" role="img" ` +
    `aria-label="L1 of ${s.deviceKind} ${s.device}">${parts.join('')}</svg>`;
}

const STYLE = `<style>
.l1-map { width: 100%; height: 56px; background: #f6f6f6; border: 1px solid #ccc; }
.l1-map .cb { fill: #4a7bd0; } .l1-map .cb.global { fill: #9ab3e0; }
.l1-map .buf { fill: #8a8a8a; } .l1-map .buf.blocker { fill: #d03a3a; }
.l1-map .cb-end { stroke: #000; stroke-width: 1.5; stroke-dasharray: 3 2; }
</style>`;

function row(cells: (string | number | null)[]): string {
  return `<tr>${cells.map((c) => (typeof c === 'number' ? `<td class="num">${groupDigits(c)}</td>` : `<td>${c === null ? '<span class="none">-</span>' : escapeHtml(c)}</td>`)).join('')}</tr>`;
}

/** The section, or '' when the report has no L1 picture. */
export function l1Section(report: Report): string {
  const l1 = report.l1;
  if (!l1 || (l1.headroom.length === 0 && l1.failures.length === 0 && l1.fragmentation.length === 0)) return '';
  const out: string[] = [STYLE, '<h2>L1: CB headroom, fragmentation, failures</h2>'];
  out.push(`<p class="note">CB headroom = lowest live L1 buffer address − end of the program's static CB region, per chip, the minimum over an op's launches; flagged under ${groupDigits(l1.marginBytes)} B.</p>`);
  out.push(`<table id="l1-headroom"><thead><tr><th>op</th><th>device</th><th>launches</th><th>headroom B</th><th>CB region end</th><th>lowest L1 buffer</th><th>flag</th></tr></thead><tbody>`);
  for (const h of l1.headroom) out.push(row([h.op, `${h.deviceKind} ${h.device}`, h.launches, h.headroom, hex(h.cbRegionEnd), h.lowestL1Address === null ? null : hex(h.lowestL1Address), h.flag]));
  out.push('</tbody></table>');
  for (const s of l1.tightest) {
    const frag = l1.fragmentation.find((f) => f.device === s.device && f.deviceKind === s.deviceKind && f.type === 'L1');
    const top = frag && frag.base !== null ? frag.base + frag.capacityPerBank : null;
    out.push(`<h3>${s.deviceKind === 'mesh' ? 'Mesh' : 'Chip'} ${s.device}: L1 at its tightest moment (op ${escapeHtml(s.op ?? '-')}, seq ${s.seq}, headroom ${groupDigits(s.headroom)} B)</h3>`);
    out.push(addressMap(s, top));
    if (s.omittedBuffers > 0) out.push(`<p class="note">${s.omittedBuffers} higher buffers not drawn.</p>`);
  }
  if (l1.fragmentation.length > 0) {
    out.push('<h3>Largest free block per bank</h3><table id="l1-fragmentation"><thead><tr><th>device</th><th>type</th><th>capacity / bank</th><th>free / bank</th><th>largest free block</th><th>lowest largest</th><th>at seq</th></tr></thead><tbody>');
    for (const f of l1.fragmentation) out.push(row([`${f.deviceKind} ${f.device}`, f.type, f.capacityPerBank, f.freePerBank, f.largestFreeBlock, f.lowestLargestFreeBlock?.bytes ?? null, f.lowestLargestFreeBlock?.seq ?? null]));
    out.push('</tbody></table>');
  }
  if (l1.failures.length > 0) {
    out.push('<h3>Failures explained</h3><table id="l1-failures"><thead><tr><th>failure</th><th>devices</th><th>buffer in the way</th><th>op / scope</th><th>range</th><th>overlap B</th></tr></thead><tbody>');
    for (const f of l1.failures) {
      const what = f.kind === 'cbClash' ? `CB clash, headroom ${f.headroom} B` : `out of ${f.type} memory (${f.cause ?? '?'})`;
      const blockers = f.blockers.length > 0 ? f.blockers : [null];
      for (const b of blockers) {
        out.push(row([what, f.devices.map((d) => `${d.kind} ${d.id}`).join(', '), b ? String(b.id) : null, b ? `${b.op ?? '-'} / ${b.scope ?? '-'}` : null,
          b ? `[${hex(b.address)}, ${hex(b.end)})` : null, b ? b.overlap.bytes : null]));
      }
    }
    out.push('</tbody></table>');
  }
  return out.join('\n');
}
