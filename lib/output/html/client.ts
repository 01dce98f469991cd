/**
 * The script the HTML report runs in the browser: per process track (a picker when the report merges
 * several processes), one uPlot chart per memory type with a step line per group of devices with
 * identical usage (chart-model.ts), each line's peak marked and named exactly, y ticks at round
 * binary values, a read-out of every line's bytes at the hovered moment, zoom by dragging across a
 * chart (applied to every chart). Plain JavaScript in a string, inlined as written (with the tick
 * functions of binary-ticks.ts).
 */
import { BINARY_TICKS_JS } from './binary-ticks';

export const CLIENT_JS = String.raw`
(function () {
  'use strict';
${BINARY_TICKS_JS}  var modelEl = document.getElementById('chart-data');
  var model = JSON.parse(modelEl.textContent);
  var reportOrigin = Number(modelEl.getAttribute('data-time-origin-ns'));
  // Times are shown from the report's first event, or in a merged report from the shown process's.
  var origin = reportOrigin;
  function firstTime(track) {
    var first = Infinity;
    track.charts.forEach(function (c) { c.lines.forEach(function (l) { if (l.points.length > 0) first = Math.min(first, l.points[0][0]); }); });
    return first === Infinity ? reportOrigin : first;
  }
  var container = document.getElementById('timelines');
  var picker = document.getElementById('process-picker');
  var readout = document.getElementById('readout');
  var COLORS = ['#1f6feb', '#2da44e', '#8250df', '#d4730b', '#0598bc', '#bf3989', '#6e7781', '#953800'];
  var UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  var MAX_TICKS = 5;

  function group(n) { return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function human(n) {
    var v = Math.abs(n), u = 0;
    while (v >= 1024 && u < UNITS.length - 1) { v /= 1024; u++; }
    return (n < 0 ? '-' : '') + (u === 0 ? String(Math.round(v)) : v.toFixed(2)) + ' ' + UNITS[u];
  }
  function bytes(n) { return Math.abs(n) < 1024 ? group(n) + ' B' : group(n) + ' B (' + human(n) + ')'; }
  function ms(ns) { return (ns - origin) / 1e6; }
  function plural(n, word) { return group(n) + ' ' + word + (n === 1 ? '' : 's'); }

  // The time range of one process track: from its first to its last point (processes of a merged
  // report ran one after another on one clock; each is shown over its own range).
  function rangeOf(track) {
    var lo = Infinity, hi = -Infinity;
    track.charts.forEach(function (c) { c.lines.forEach(function (l) {
      l.points.forEach(function (p) { lo = Math.min(lo, ms(p[0])); hi = Math.max(hi, ms(p[0])); });
    }); });
    if (lo === Infinity) return [0, 1];
    var pad = Math.max((hi - lo) * 0.02, 0.001);
    return [Math.max(0, lo - pad), hi + pad];
  }
  var bounds = [0, 1];
  var charts = [];
  var syncing = false;
  var current = 0;

  function zoomAll(min, max, except) {
    if (syncing) return;
    syncing = true;
    charts.forEach(function (c) { if (c !== except) c.setScale('x', { min: min, max: max }); });
    syncing = false;
  }

  // The bytes a step line holds at time t (ms): its last point at or before t.
  function heldAt(line, t) {
    var lo = 0, hi = line.points.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (ms(line.points[mid][0]) <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found < 0 ? null : line.points[found][1];
  }

  function describeMoment(u, chart) {
    if (u.cursor.left == null || u.cursor.left < 0) return '';
    var t = u.posToVal(u.cursor.left, 'x');
    var parts = chart.lines.map(function (l) {
      var v = heldAt(l, t);
      return l.label + ' ' + (v == null ? 'nothing yet' : bytes(v));
    });
    return chart.type + ' at ' + t.toFixed(3) + ' ms: ' + parts.join('; ');
  }

  function drawPeaks(chart) {
    return function (u) {
      var ctx = u.ctx;
      chart.lines.forEach(function (l, k) {
        var x = u.valToPos(ms(l.peakTime), 'x', true), y = u.valToPos(l.peak, 'y', true);
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

  function render(index) {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    container.textContent = '';
    current = index;
    var track = model[index];
    origin = model.length > 1 ? firstTime(track) : reportOrigin;
    bounds = rangeOf(track);
    if (track.charts.length === 0) {
      container.insertAdjacentHTML('beforeend', '<p class="empty">No memory changes were recorded' + (model.length > 1 ? ' in this process' : '') + '.</p>');
      window.ttAllocCharts = charts;
      return;
    }
    var full = container.clientWidth;
    var width = full >= 1100 ? Math.floor(full / 2) - 16 : Math.max(360, full - 8);
    var row = document.createElement('section');
    row.className = 'charts';
    container.appendChild(row);
    track.charts.forEach(function (chart) {
      var box = document.createElement('div');
      box.className = 'chart';
      box.setAttribute('data-type', chart.type);
      var title = document.createElement('h4');
      title.textContent = chart.type + ' (bytes per device; ' + chart.lines.length + (chart.lines.length === 1 ? ' line' : ' lines') + ')';
      box.appendChild(title);
      chart.lines.forEach(function (l, k) {
        var legend = document.createElement('p');
        legend.className = 'peak';
        legend.setAttribute('data-kind', l.kind);
        legend.setAttribute('data-devices', l.ids.join(','));
        legend.setAttribute('data-type', chart.type);
        legend.setAttribute('data-peak', String(l.peak));
        var swatch = document.createElement('span');
        swatch.className = 'swatch';
        swatch.style.background = COLORS[k % COLORS.length];
        legend.appendChild(swatch);
        legend.appendChild(document.createTextNode(l.label + ': peak ' + bytes(l.peak) + ' at ' + ms(l.peakTime).toFixed(3) + ' ms; ' +
          plural(l.points.length, 'point') + ' of ' + plural(l.samples, 'sample')));
        var anchor = document.getElementById('live-' + (l.kind === 'mesh' ? 'mesh' : 'chip') + '-' + l.ids[0] + '-' + chart.type);
        var live = anchor && document.getElementById(anchor.getAttribute('data-target'));
        // Link only to the list of this very peak (a merged report keeps the highest process's lists).
        if (live && Number(live.getAttribute('data-peak')) !== l.peak) live = null;
        if (live) {
          var link = document.createElement('a');
          link.href = '#' + live.id;
          link.className = 'live-link';
          link.textContent = 'live at the peak';
          link.addEventListener('click', function () { if (live.tagName === 'DETAILS') live.open = true; });
          legend.appendChild(document.createTextNode(' · '));
          legend.appendChild(link);
        }
        box.appendChild(legend);
      });
      row.appendChild(box);
      // Each step line holds its last value to the end of the shown process's range.
      var end = track.charts.reduce(function (e, c) { return c.lines.reduce(function (e2, l) {
        return l.points.length > 0 ? Math.max(e2, ms(l.points[l.points.length - 1][0])) : e2; }, e); }, -Infinity);
      var data = uPlot.join(chart.lines.map(function (l) {
        var xs = l.points.map(function (p) { return ms(p[0]); }), ys = l.points.map(function (p) { return p[1]; });
        if (xs.length > 0 && xs[xs.length - 1] < end) { xs.push(end); ys.push(ys[ys.length - 1]); }
        return [xs, ys];
      }));
      var uchart = new uPlot({
        width: width,
        height: 170,
        legend: { show: false },
        scales: {
          x: { time: false },
          y: { range: function (u, min, max) { var t = binaryTicks(Math.max(max, 1), MAX_TICKS); return [0, t[t.length - 1]]; } },
        },
        axes: [
          { label: model.length > 1 ? 'ms since this process\'s first event' : 'ms since the first event', labelSize: 20, space: 60,
            values: function (u, vals) { return vals.map(function (v) { return v.toFixed(3).replace(/\.?0+$/, ''); }); } },
          {
            size: 80,
            splits: function (u) { return binaryTicks(Math.max(u.scales.y.max, 1), MAX_TICKS); },
            values: function (u, vals) { var top = u.scales.y.max; return vals.map(function (v) { return binaryTickLabel(v, top); }); },
          },
        ],
        series: [{}].concat(chart.lines.map(function (l, k) {
          return { label: l.label, stroke: COLORS[k % COLORS.length], width: 1.5, spanGaps: true,
            paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } };
        })),
        cursor: { sync: { key: 'tt-alloc-timeline' }, drag: { x: true, y: false } },
        hooks: {
          setScale: [function (u, key) { if (key === 'x') zoomAll(u.scales.x.min, u.scales.x.max, u); }],
          setCursor: [function (u) {
            var text = describeMoment(u, chart);
            if (text) readout.textContent = text;
          }],
          draw: [drawPeaks(chart)],
        },
      }, data, box);
      box.addEventListener('mouseleave', function () { readout.textContent = readout.getAttribute('data-idle'); });
      charts.push(uchart);
    });
    // The charts, for scripting the page (and the browser test).
    window.ttAllocCharts = charts;
    zoomAll(bounds[0], bounds[1], null);
  }

  // Sortable tables: a click on a header sorts by that column (numbers by their exact data-value),
  // largest first, a second click reverses.
  Array.prototype.forEach.call(document.querySelectorAll('table[data-sortable]'), function (t) {
    var heads = t.querySelectorAll('thead th');
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener('click', function () {
        var descending = th.getAttribute('data-sort') !== 'desc';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('data-sort'); });
        th.setAttribute('data-sort', descending ? 'desc' : 'asc');
        var body = t.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        function key(r) { var c = r.cells[col]; var v = c.getAttribute('data-value'); return v === null ? c.textContent : Number(v); }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
          return descending ? -order : order;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  if (picker) picker.addEventListener('change', function () { render(Number(picker.value)); });
  render(0);
  document.getElementById('reset-zoom').addEventListener('click', function () { zoomAll(bounds[0], bounds[1], null); });
})();
`;

export const PAGE_CSS = `
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; padding: 16px 24px; max-width: 1280px; color: #1f2328; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 4px; }
h4 { font-size: 13px; margin: 8px 0 0; }
section.charts { display: flex; flex-wrap: wrap; gap: 0 24px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; }
p.readout { font-size: 12px; min-height: 1.4em; margin: 4px 0; font-variant-numeric: tabular-nums; color: #1f2328; background: #f6f8fa; border: 1px solid #d0d7de; padding: 4px 8px; }
th.sortable { cursor: pointer; }
th.sortable::after { content: ' \\2195'; color: #8c959f; }
.u-legend { font-size: 11px; }
p.peak { margin: 0 0 2px; font-size: 12px; }
table { border-collapse: collapse; font-size: 12px; margin: 4px 0 12px; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.none { color: #8c959f; }
.ok { color: #1a7f37; font-weight: 600; }
.bad { color: #cf222e; font-weight: 600; }
.empty { color: #57606a; font-style: italic; }
.note { color: #57606a; font-size: 12px; }
button { font: inherit; font-size: 12px; }
`;
