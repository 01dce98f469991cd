/**
 * The script the HTML report runs in the browser: one uPlot chart per timeline series (device ×
 * type), step lines of current bytes, the peak marked and named exactly, zoom by dragging across a
 * chart (applied to every chart, so devices stay comparable), a shared cursor. Plain ES2017 in a
 * string: it is inlined into the page as written, never transpiled.
 */
export const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var dataEl = document.getElementById('report-data');
  var report = JSON.parse(dataEl.textContent);
  var origin = Number(dataEl.getAttribute('data-time-origin-ns'));
  var container = document.getElementById('timelines');
  var COLORS = { DRAM: '#1f6feb', L1: '#2da44e', SYSTEM_MEMORY: '#6e7781', L1_SMALL: '#0598bc', TRACE: '#8250df', CB: '#d4730b' };
  var UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

  function group(n) { return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function human(n) {
    var v = Math.abs(n), u = 0;
    while (v >= 1024 && u < UNITS.length - 1) { v /= 1024; u++; }
    return (n < 0 ? '-' : '') + (u === 0 ? String(Math.round(v)) : v.toFixed(v >= 100 ? 0 : 2)) + ' ' + UNITS[u];
  }
  function ms(ns) { return (ns - origin) / 1e6; }

  // A device is (id, kind): mesh 0 and chip 0 are different devices.
  function deviceName(s) { return (s.deviceKind || 'chip') + ' ' + s.device; }

  if (report.timeline.length === 0) {
    container.insertAdjacentHTML('beforeend', '<p class="empty">No memory changes were recorded.</p>');
    return;
  }

  var endMs = 0;
  report.timeline.forEach(function (s) { s.points.forEach(function (p) { endMs = Math.max(endMs, ms(p[0])); }); });
  if (endMs === 0) endMs = 1;
  // Two charts per row on a wide page, one on a narrow one.
  var full = container.clientWidth;
  var width = full >= 1100 ? Math.floor(full / 2) - 16 : Math.max(360, full - 8);
  var charts = [];
  var syncing = false;

  function zoomAll(min, max, except) {
    if (syncing) return;
    syncing = true;
    charts.forEach(function (c) { if (c !== except) c.setScale('x', { min: min, max: max }); });
    syncing = false;
  }

  var sections = {};
  report.timeline.forEach(function (s) {
    var section = sections[deviceName(s)];
    if (!section) {
      section = document.createElement('section');
      section.className = 'device';
      var h = document.createElement('h3');
      h.textContent = deviceName(s);
      container.appendChild(h);
      container.appendChild(section);
      sections[deviceName(s)] = section;
    }
    var xs = [], ys = [], peak = [], top = 0;
    s.points.forEach(function (p, i) {
      xs.push(ms(p[0]));
      ys.push(p[1]);
      peak.push(null);
      if (p[1] > ys[top]) top = i;
    });
    peak[top] = ys[top];

    var box = document.createElement('div');
    box.className = 'chart';
    box.setAttribute('data-device', String(s.device));
    box.setAttribute('data-device-kind', s.deviceKind || 'chip');
    box.setAttribute('data-type', s.type);
    var title = document.createElement('h4');
    title.textContent = deviceName(s) + ' ' + s.type;
    var legend = document.createElement('p');
    legend.className = 'peak';
    legend.setAttribute('data-peak', String(ys[top]));
    legend.textContent = 'peak ' + group(ys[top]) + ' B (' + human(ys[top]) + ') at ' + xs[top].toFixed(3) + ' ms; ' +
      group(s.points.length) + ' points of ' + group(s.samples) + ' samples';
    box.appendChild(title);
    box.appendChild(legend);
    section.appendChild(box);

    var color = COLORS[s.type] || '#333';
    var chart = new uPlot({
      width: width,
      height: 150,
      scales: { x: { time: false } },
      axes: [
        { values: function (u, vals) { return vals.map(function (v) { return v.toFixed(3).replace(/\.?0+$/, ''); }); } },
        { size: 80, values: function (u, vals) { return vals.map(human); } },
      ],
      series: [
        { label: 'time', value: function (u, v) { return v == null ? '-' : v.toFixed(3) + ' ms'; } },
        {
          label: 'bytes', stroke: color, fill: color + '22', width: 1.5,
          paths: uPlot.paths.stepped({ align: 1 }),
          points: { show: false },
          value: function (u, v) { return v == null ? '-' : group(v) + ' B'; },
        },
        {
          label: 'peak', stroke: '#cf222e', fill: '#cf222e',
          paths: function () { return null; },
          points: { show: true, size: 9, stroke: '#cf222e', fill: '#cf222e' },
          value: function (u, v) { return v == null ? '-' : group(v) + ' B'; },
        },
      ],
      cursor: { sync: { key: 'tt-alloc-timeline' }, drag: { x: true, y: false } },
      hooks: {
        setScale: [function (u, key) {
          if (key === 'x') zoomAll(u.scales.x.min, u.scales.x.max, u);
        }],
      },
    }, [xs, ys, peak], box);
    charts.push(chart);
  });

  // The charts, for scripting the page (and the browser test).
  window.ttAllocCharts = charts;
  function resetZoom() { zoomAll(0, endMs, null); }
  resetZoom();
  document.getElementById('reset-zoom').addEventListener('click', resetZoom);
})();
`;

export const PAGE_CSS = `
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; padding: 16px 24px; max-width: 1280px; color: #1f2328; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 4px; }
h4 { font-size: 13px; margin: 8px 0 0; }
section.device { display: flex; flex-wrap: wrap; gap: 0 24px; }
.u-legend { font-size: 11px; }
p.peak { margin: 0 0 4px; color: #cf222e; font-size: 12px; }
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
