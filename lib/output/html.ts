/**
 * A report as one self-contained HTML file: no network at all. uPlot's JS and CSS are inlined from
 * the installed `uplot` package, the report itself sits in a `<script type="application/json">`,
 * tables are rendered here and the timeline charts by the inlined client script.
 */
import * as fs from 'node:fs';
import { checkReport } from '../report/check';
import type { Report } from '../report/types';
import { expectKnownKeys, expectObject } from '../validate';
import { invalidOption } from '../errors';
import { clientScript, PAGE_CSS } from './html/client';
import { bytesText, groupDigits } from './bytes';
import { escapeHtml, jsonForScript, scriptText } from './html/escape';
import { anomalyCountsTable, anomalyExamplesTable, headline, HTML_LEAK_ROWS, leakGroupsTable, leaksTable, lifetimesTable, opsTable, scopesTable, usageTable, liveAtPeakSection, counted } from './html/tables';
import { chartModel } from './html/chart-model';
import { l1Section } from './html/l1-view';
import { timeOrigin } from './time-origin';

interface UplotAssets {
  js: string;
  css: string;
  version: string;
}

let uplot: UplotAssets | undefined;

/** uPlot's browser build (IIFE, defines `uPlot`) and stylesheet, read once from node_modules. */
function uplotAssets(): UplotAssets {
  if (!uplot) {
    uplot = {
      js: fs.readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      css: fs.readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
      version: (require('uplot/package.json') as { version: string }).version,
    };
  }
  return uplot;
}

export interface HtmlReportOptions {
  /** Page title. @default 'tt-alloc-tracker report' */
  title?: string;
}

/**
 * Renders `report` as a complete HTML document (a string to write to a .html file). A value that is
 * not a report throws a TypeError with code ERR_INVALID_REPORT; bad options throw as enable()'s do.
 */
export function renderHtmlReport(value: Report, options: HtmlReportOptions = {}): string {
  const report = checkReport(value, 'renderHtmlReport() report');
  const o = expectObject('renderHtmlReport() options', options);
  expectKnownKeys('renderHtmlReport()', o, ['title']);
  if (o.title !== undefined && typeof o.title !== 'string') throw invalidOption('renderHtmlReport() title', 'a string', o.title, 'type');
  const title = (o.title as string | undefined) ?? 'tt-alloc-tracker report';
  const assets = uplotAssets();
  const origin = timeOrigin(report);
  const leaks = report.leakSummary;
  const leftOut = Math.max(0, report.leaks.length - HTML_LEAK_ROWS);
  const leftOutNote = leftOut > 0 ? ` The first ${groupDigits(HTML_LEAK_ROWS)} are shown; ${groupDigits(leftOut)} more are left out here (they are in the report file).` : '';
  // The page's script needs no leak list (the tables are rendered here): the embedded copy lists what the table does.
  const embedded = leftOut > 0 ? { ...report, leaks: report.leaks.slice(0, HTML_LEAK_ROWS) } : report;
  const slicesNote = report.opSlices.omitted > 0 ? ` (${counted(report.opSlices.omitted, 'op call')} beyond the report's opSliceLimit not listed)` : '';
  const tracks = chartModel(report);
  const picker = tracks.length > 1
    ? `<p><label for="process-picker">Process (${groupDigits(tracks.length)} merged; each has its own timeline):</label> <select id="process-picker">${
      tracks.map((t, i) => `<option value="${i}">${escapeHtml(t.label + (t.files.length > 0 ? ` — ${t.files.join(', ')}` : ''))}</option>`).join('')}</select></p>`
    : '';
  const idle = 'Hover over a chart to read every line\'s bytes at that moment.';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tt-alloc-tracker, uPlot ${escapeHtml(assets.version)}">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${assets.css.replace(/<\//g, '<\\/')}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${headline(report)}

<h2>Memory timeline</h2>
<p class="note">Current bytes per memory type after every change, one line per group of devices with identical usage (at most the report's timelinePoints per series; every peak is kept exactly and marked).
Time axis: milliseconds since ${tracks.length > 1 ? 'the shown process\'s first event' : 'the first recorded event'}. Drag across a chart to zoom all charts to that time range. <button id="reset-zoom" type="button">Reset zoom</button></p>
${picker}
<p class="readout" id="readout" data-idle="${escapeHtml(idle)}">${escapeHtml(idle)}</p>
<div id="timelines"></div>

<h2>Usage per device and memory type</h2>
${usageTable(report)}

<h2>Anomalies</h2>
${anomalyCountsTable(report)}
<h3>Examples</h3>
<p class="note">The first examples of every class (see docs/report.md); sites are #sequence number, thread, op and scope.</p>
${anomalyExamplesTable(report, origin)}

<h2>Leaks</h2>
<p class="note" id="leak-summary">${counted(leaks.buffers, 'live owning buffer')}, ${bytesText(leaks.bytes)}${(leaks.lostWithDevice?.buffers ?? 0) > 0 ? ` (${groupDigits(leaks.lostWithDevice.buffers)} of them lost with a closed device, ${bytesText(leaks.lostWithDevice.bytes)})` : ''}; ${groupDigits(leaks.listed)} listed, largest first.${leftOutNote}</p>
${leaksTable(report)}
<h3>By op and scope</h3>
${leakGroupsTable(report)}
<h3>Why buffers outlived their test</h3>
<p class="note">Owning buffers still live when the scope (test, hook) that allocated them ended, by what ended their life: a program's teardown (its pool or kernel binaries, freed right after the program's CB release), a trace captured while they lived and still held, a later free, nothing yet; and buffers freed only by their device's close. See docs/report.md.</p>
${lifetimesTable(report)}

<h2>What was live at the peak</h2>
<p class="note">Per memory type and group of devices with the same list: the owning buffers live when usage first reached its peak, largest first (CBs are not buffers: not listed). A chart's "live at the peak" link opens its list.</p>
${liveAtPeakSection(report, origin)}

<h2>Tests and scopes</h2>
<p class="note">One row per scope (tt-alloc-tracker/vitest opens one per test, named by its file and full name): peak bytes it allocated and still held, per memory type, and what it leaked. Click a header to sort.</p>
${scopesTable(report)}

<h2>Ops</h2>
<p class="note">Per memory type and over its calls, in bytes per chip (CB: per core): peak = the most bytes the op's own allocations held at once on one chip (frees of earlier memory do not offset it); device peak = the highest usage a chip reached while it ran${escapeHtml(slicesNote)}.</p>
${opsTable(report)}
${l1Section(report)}

<script type="application/json" id="report-data" data-time-origin-ns="${origin}">${jsonForScript(embedded)}</script>
<script type="application/json" id="chart-data" data-time-origin-ns="${origin}">${jsonForScript(tracks)}</script>
<script>${scriptText(assets.js)}</script>
<script>${scriptText(clientScript())}</script>
</body>
</html>
`;
}
