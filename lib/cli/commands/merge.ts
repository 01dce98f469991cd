/** `merge <reports...> -o <file>`: one report for several processes (mergeReports). */
import type { Command } from 'commander';
import { rendererOf } from '../../output/report-file';
import { mergeReports } from '../../report/merge';
import { readReport, writeText } from '../files';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('merge reports of separate processes into one (sums, peak maxima; docs/report.md#merging-reports)')
    .argument('<reports...>', 'report JSON files')
    .requiredOption('-o, --output <file>', 'merged report to write (.json; .txt writes the text summary, .html the HTML report)')
    .action((files: string[], opts: { output: string }) => {
      const merged = mergeReports(files.map(readReport), files.map((label) => ({ label })));
      writeText(opts.output, rendererOf(opts.output)(merged));
      const leaks = merged.leakSummary.buffers;
      process.stdout.write(`merged ${files.length} report${files.length === 1 ? '' : 's'} into ${opts.output}: ` +
        `${merged.events.total} events, ${leaks} leaked buffer${leaks === 1 ? '' : 's'}\n`);
    });
}
