/** `perfetto`: a report file as a Chrome Trace Event Format file for ui.perfetto.dev and chrome://tracing. */
import type { Command } from 'commander';
import { toChromeTrace } from '../../output/perfetto';
import { readReport, writeText } from '../files';

export function registerPerfetto(program: Command): void {
  program
    .command('perfetto')
    .description('convert a report to a Chrome/Perfetto trace: memory counters per device and type, op slices per thread, anomaly instants')
    .argument('<report.json>', 'a report written by report() / TT_ALLOC_TRACKING_REPORT')
    .requiredOption('-o, --output <file>', 'trace file to write (open it in https://ui.perfetto.dev or chrome://tracing)')
    .action((file: string, opts: { output: string }) => {
      const report = readReport(file);
      const trace = toChromeTrace(report);
      writeText(opts.output, JSON.stringify(trace));
      // Memory counters and anomalies only: the L1 counters and clash instants (cat 'l1') are extra tracks.
      const count = (ph: string, cat?: string) => trace.traceEvents.filter((e) => e.ph === ph && (cat === undefined || e.cat === cat)).length;
      console.log(`wrote ${opts.output}: ${count('C', 'memory')} counter points on ${report.timeline.length} tracks, ` +
        `${count('X') + count('B')} op slices, ${count('i', 'anomaly')} anomaly instants`);
    });
}
