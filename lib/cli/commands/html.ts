/** `html`: a report file as one self-contained, interactive HTML page. */
import type { Command } from 'commander';
import { renderHtmlReport } from '../../output/html';
import { readReport, writeText } from '../files';

export function registerHtml(program: Command): void {
  program
    .command('html')
    .description('render a report as one self-contained HTML page: memory timelines per device and type (zoomable), usage, anomaly and leak tables')
    .argument('<report.json>', 'a report written by report() / TT_ALLOC_TRACKING_REPORT')
    .requiredOption('-o, --output <file>', 'HTML file to write (opens offline in any browser)')
    .option('--title <text>', 'page title', 'tt-alloc-tracker report')
    .action((file: string, opts: { output: string; title: string }) => {
      const report = readReport(file);
      const html = renderHtmlReport(report, { title: opts.title });
      writeText(opts.output, html);
      console.log(`wrote ${opts.output}: ${report.timeline.length} timeline charts, ${report.anomalies.examples.length} anomaly examples, ` +
        `${report.leaks.length} leaks listed (${Buffer.byteLength(html)} bytes)`);
    });
}
