/**
 * The script the HTML report runs in the browser: per process track (a picker when the report merges
 * several processes), one uPlot chart per memory type with a step line per group of devices with
 * identical usage (chart-model.ts), each line's peak marked and named exactly, y ticks at round
 * binary values, a read-out of every line's bytes at the hovered moment, zoom by dragging across a
 * chart (applied to every chart), sortable tables.
 *
 * Type-checked with the DOM library (tsconfig.client.json) and bundled with its imports into one
 * script by scripts/build-html-client.js (`npm run build:ts`); ../client.ts inlines the result.
 * `uPlot` is the global of uPlot's browser build, inlined before this script.
 */
import { bytesText as bytes, groupDigits as group } from '../../bytes';
import { binaryTickLabel, binaryTicks } from '../binary-ticks';
import type { ChartLine, TrackCharts, TypeChart } from '../chart-model';

declare global {
  interface Window {
    /** The charts, for scripting the page (and the browser test). */
    ttAllocCharts: uPlot[];
  }
}

const COLORS = ['#1f6feb', '#2da44e', '#8250df', '#d4730b', '#0598bc', '#bf3989', '#6e7781', '#953800'];
const MAX_TICKS = 5;

/** The element with this id; the page (lib/output/html.ts) always has it. */
function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`tt-alloc-tracker report page: no #${id}`);
  return element;
}

const modelEl = byId('chart-data');
const model = JSON.parse(modelEl.textContent ?? '[]') as TrackCharts[];
const reportOrigin = Number(modelEl.getAttribute('data-time-origin-ns'));
// Times are shown from the report's first event, or in a merged report from the shown process's.
let origin = reportOrigin;
function firstTime(track: TrackCharts): number {
  let first = Infinity;
  track.charts.forEach((c) => {
    c.lines.forEach((l) => { if (l.points.length > 0) first = Math.min(first, l.points[0][0]); });
  });
  return first === Infinity ? reportOrigin : first;
}
const container = byId('timelines');
const picker = document.getElementById('process-picker') as HTMLSelectElement | null;
const readout = byId('readout');

function ms(ns: number): number { return (ns - origin) / 1e6; }
function plural(n: number, word: string): string { return `${group(n)} ${word}${n === 1 ? '' : 's'}`; }

// The time range of one process track: from its first to its last point (processes of a merged
// report ran one after another on one clock; each is shown over its own range).
function rangeOf(track: TrackCharts): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  track.charts.forEach((c) => { c.lines.forEach((l) => {
    l.points.forEach((p) => { lo = Math.min(lo, ms(p[0])); hi = Math.max(hi, ms(p[0])); });
  }); });
  if (lo === Infinity) return [0, 1];
  const pad = Math.max((hi - lo) * 0.02, 0.001);
  return [Math.max(0, lo - pad), hi + pad];
}
let bounds: [number, number] = [0, 1];
let charts: uPlot[] = [];
let syncing = false;

function zoomAll(min: number, max: number, except: uPlot | null): void {
  if (syncing) return;
  syncing = true;
  charts.forEach((c) => { if (c !== except) c.setScale('x', { min, max }); });
  syncing = false;
}

// The bytes a step line holds at time t (ms): its last point at or before t.
function heldAt(line: ChartLine, t: number): number | null {
  let lo = 0;
  let hi = line.points.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ms(line.points[mid][0]) <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found < 0 ? null : line.points[found][1];
}

function describeMoment(u: uPlot, chart: TypeChart): string {
  const left = u.cursor.left;
  if (left == null || left < 0) return '';
  const t = u.posToVal(left, 'x');
  const parts = chart.lines.map((l) => {
    const v = heldAt(l, t);
    return `${l.label} ${v == null ? 'nothing yet' : bytes(v)}`;
  });
  return `${chart.type} at ${t.toFixed(3)} ms: ${parts.join('; ')}`;
}

function drawPeaks(chart: TypeChart): (u: uPlot) => void {
  return (u) => {
    const ctx = u.ctx;
    chart.lines.forEach((l, k) => {
      const x = u.valToPos(ms(l.peakTime), 'x', true);
      const y = u.valToPos(l.peak, 'y', true);
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
      ctx.save();
      ctx.fillStyle = '#cf222e';
      ctx.strokeStyle = COLORS[k % COLORS.length];
      ctx.lineWidth = 2 * devicePixelRatio;
      ctx.beginPath();
      ctx.arc(x, y, 4.5 * devicePixelRatio, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
      ctx.restore();
    });
  };
}

/** A line's legend: its peak, exactly, and a link to the list of what was live at that peak. */
function legendOf(chart: TypeChart, l: ChartLine, k: number): HTMLElement {
  const legend = document.createElement('p');
  legend.className = 'peak';
  legend.setAttribute('data-kind', l.kind);
  legend.setAttribute('data-devices', l.ids.join(','));
  legend.setAttribute('data-type', chart.type);
  legend.setAttribute('data-peak', String(l.peak));
  const swatch = document.createElement('span');
  swatch.className = 'swatch';
  swatch.style.background = COLORS[k % COLORS.length];
  legend.appendChild(swatch);
  legend.appendChild(document.createTextNode(`${l.label}: peak ${bytes(l.peak)} at ${ms(l.peakTime).toFixed(3)} ms; ${
    plural(l.points.length, 'point')} of ${plural(l.samples, 'sample')}`));
  const anchor = document.getElementById(`live-${l.kind === 'mesh' ? 'mesh' : 'chip'}-${l.ids[0]}-${chart.type}`);
  const targetId = anchor?.getAttribute('data-target');
  let live = targetId ? document.getElementById(targetId) : null;
  // Link only to the list of this very peak (a merged report keeps the highest process's lists).
  if (live && Number(live.getAttribute('data-peak')) !== l.peak) live = null;
  if (live) {
    const list = live;
    const link = document.createElement('a');
    link.href = `#${list.id}`;
    link.className = 'live-link';
    link.textContent = 'live at the peak';
    link.addEventListener('click', () => { if (list instanceof HTMLDetailsElement) list.open = true; });
    legend.appendChild(document.createTextNode(' · '));
    legend.appendChild(link);
  }
  return legend;
}

function render(index: number): void {
  charts.forEach((c) => { c.destroy(); });
  charts = [];
  container.textContent = '';
  const track = model[index];
  origin = model.length > 1 ? firstTime(track) : reportOrigin;
  bounds = rangeOf(track);
  if (track.charts.length === 0) {
    container.insertAdjacentHTML('beforeend',
      `<p class="empty">No memory changes were recorded${model.length > 1 ? ' in this process' : ''}.</p>`);
    window.ttAllocCharts = charts;
    return;
  }
  const full = container.clientWidth;
  const width = full >= 1100 ? Math.floor(full / 2) - 16 : Math.max(360, full - 8);
  const row = document.createElement('section');
  row.className = 'charts';
  container.appendChild(row);
  track.charts.forEach((chart) => {
    const box = document.createElement('div');
    box.className = 'chart';
    box.setAttribute('data-type', chart.type);
    const title = document.createElement('h4');
    const lines = chart.lines.length === 1 ? ' line' : ' lines';
    title.textContent = `${chart.type} (bytes per device; ${chart.lines.length}${lines})`;
    box.appendChild(title);
    chart.lines.forEach((l, k) => { box.appendChild(legendOf(chart, l, k)); });
    row.appendChild(box);
    // Each step line holds its last value to the end of the shown process's range.
    const end = track.charts.reduce((e, c) => c.lines.reduce((e2, l) =>
      (l.points.length > 0 ? Math.max(e2, ms(l.points[l.points.length - 1][0])) : e2), e), -Infinity);
    const data = uPlot.join(chart.lines.map((l): uPlot.AlignedData => {
      const xs = l.points.map((p) => ms(p[0]));
      const ys = l.points.map((p) => p[1]);
      if (xs.length > 0 && xs[xs.length - 1] < end) { xs.push(end); ys.push(ys[ys.length - 1]); }
      return [xs, ys];
    }));
    const uchart = new uPlot({
      width,
      height: 170,
      legend: { show: false },
      scales: {
        x: { time: false },
        y: {
          range: (_u, _min, max) => {
            const t = binaryTicks(Math.max(max, 1), MAX_TICKS);
            return [0, t[t.length - 1]];
          },
        },
      },
      axes: [
        { label: model.length > 1 ? "ms since this process's first event" : 'ms since the first event',
          labelSize: 20, space: 60,
          values: (_u, vals) => vals.map((v) => v.toFixed(3).replace(/\.?0+$/, '')) },
        {
          size: 80,
          splits: (u) => binaryTicks(Math.max(u.scales.y.max ?? 0, 1), MAX_TICKS),
          values: (u, vals) => { const top = u.scales.y.max ?? 0; return vals.map((v) => binaryTickLabel(v, top)); },
        },
      ],
      series: [{} as uPlot.Series].concat(chart.lines.map((l, k) => ({
        label: l.label, stroke: COLORS[k % COLORS.length], width: 1.5, spanGaps: true,
        paths: uPlot.paths.stepped?.({ align: 1 }), points: { show: false } }))),
      cursor: { sync: { key: 'tt-alloc-timeline' }, drag: { x: true, y: false } },
      hooks: {
        setScale: [(u, key) => { if (key === 'x') zoomAll(u.scales.x.min ?? 0, u.scales.x.max ?? 0, u); }],
        setCursor: [(u) => {
          const text = describeMoment(u, chart);
          if (text) readout.textContent = text;
        }],
        draw: [drawPeaks(chart)],
      },
    }, data, box);
    box.addEventListener('mouseleave', () => { readout.textContent = readout.getAttribute('data-idle'); });
    charts.push(uchart);
  });
  window.ttAllocCharts = charts;
  zoomAll(bounds[0], bounds[1], null);
}

// Sortable tables: a click on a header sorts by that column (numbers by their exact data-value),
// largest first, a second click reverses.
document.querySelectorAll<HTMLTableElement>('table[data-sortable]').forEach((t) => {
  const heads = t.querySelectorAll<HTMLTableCellElement>('thead th');
  heads.forEach((th, col) => {
    th.addEventListener('click', () => {
      const descending = th.getAttribute('data-sort') !== 'desc';
      heads.forEach((h) => { h.removeAttribute('data-sort'); });
      th.setAttribute('data-sort', descending ? 'desc' : 'asc');
      const body = t.tBodies[0];
      const rows = Array.from(body.rows);
      const key = (r: HTMLTableRowElement): string | number => {
        const c = r.cells[col];
        const v = c.getAttribute('data-value');
        return v === null ? c.textContent ?? '' : Number(v);
      };
      rows.sort((a, b) => {
        const x = key(a);
        const y = key(b);
        const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return descending ? -order : order;
      });
      rows.forEach((r) => { body.appendChild(r); });
    });
  });
});

if (picker) picker.addEventListener('change', () => { render(Number(picker.value)); });
render(0);
byId('reset-zoom').addEventListener('click', () => { zoomAll(bounds[0], bounds[1], null); });
