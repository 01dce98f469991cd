/** `html`: a report file as one self-contained, interactive HTML page, next to its input by default. */
import * as path from 'node:path';
import type { Command } from 'commander';
import { renderHtmlReport } from '../../output/html';
import { plural } from '../../output/table';
import { readReport, writeText } from '../files';

/** `runs/report.json` → `runs/report.html`; any other name gets `.html` appended. */
export function defaultHtmlPath(input: string): string {
  const ext = path.extname(input);
  return ext.toLowerCase() === '.json' ? input.slice(0, -ext.length) + '.html' : `${input}.html`;
}

export function registerHtml(program: Command): void {
  program
    .command('html')
    .description('render a report as one self-contained HTML page: memory timelines per memory type (zoomable), usage, tests, anomaly and leak tables')
    .argument('<report.json>', 'a report written by report() / TT_ALLOC_TRACKING_REPORT')
    .option('-o, --output <file>', 'HTML file to write (opens offline in any browser) (default: next to the input, .json replaced by .html)')
    .option('--title <text>', 'page title', 'tt-alloc-tracker report')
    .action((file: string, opts: { output?: string; title: string }) => {
      const report = readReport(file);
      const output = opts.output ?? defaultHtmlPath(file);
      const html = renderHtmlReport(report, { title: opts.title });
      writeText(output, html);
      const series = report.processes ? report.processes.reduce((n, p) => n + p.timeline.length, 0) : report.timeline.length;
      console.log(`wrote ${output}: ${`${series} timeline series`}, ${plural(report.anomalies.examples.length, 'anomaly example')}, ` +
        `${plural(report.leaks.length, 'leak')} listed (${Buffer.byteLength(html)} bytes)`);
    });
}
