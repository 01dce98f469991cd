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
import { CLIENT_JS, PAGE_CSS } from './html/client';
import { bytesText, escapeHtml, groupDigits, jsonForScript, scriptText } from './html/escape';
import { anomalyCountsTable, anomalyExamplesTable, headline, leakGroupsTable, leaksTable, opsTable, usageTable } from './html/tables';
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
  const slicesNote = report.opSlices.omitted > 0 ? ` (${report.opSlices.omitted} op calls beyond the report's opSliceLimit are not listed)` : '';
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
<p class="note">Current bytes per device and memory type after every change (at most the report's timelinePoints per series; every peak is kept exactly).
Time axis: milliseconds since the first recorded event. Drag across a chart to zoom all charts to that time range. <button id="reset-zoom" type="button">Reset zoom</button></p>
<div id="timelines"></div>

<h2>Usage per device and memory type</h2>
${usageTable(report)}

<h2>Anomalies</h2>
${anomalyCountsTable(report)}
<h3>Examples</h3>
<p class="note">The first examples of every class (see docs/report.md); sites are #sequence number, thread, op and scope.</p>
${anomalyExamplesTable(report, origin)}

<h2>Leaks</h2>
<p class="note" id="leak-summary">${groupDigits(leaks.buffers)} live owning buffers, ${bytesText(leaks.bytes)}${(leaks.lostWithDevice?.buffers ?? 0) > 0 ? ` (${groupDigits(leaks.lostWithDevice.buffers)} of them lost with a closed device, ${bytesText(leaks.lostWithDevice.bytes)})` : ''}; ${groupDigits(leaks.listed)} listed, largest first.</p>
${leaksTable(report)}
<h3>By op and scope</h3>
${leakGroupsTable(report)}

<h2>Ops</h2>
<p class="note">Per memory type and over its calls, in bytes per chip (CB: per core): peak = the most bytes the op's own allocations held at once on one chip (frees of earlier memory do not offset it); device peak = the highest usage a chip reached while it ran${escapeHtml(slicesNote)}.</p>
${opsTable(report)}
${l1Section(report)}

<script type="application/json" id="report-data" data-time-origin-ns="${origin}">${jsonForScript(report)}</script>
<script>${scriptText(assets.js)}</script>
<script>${scriptText(CLIENT_JS)}</script>
</body>
</html>
`;
}
