/** `replay <journal>`: the report a recorded run produced, rebuilt from its journal. */
import type { Command } from 'commander';
import { replay } from '../../journal/replay';
import { writeText } from '../files';
import { asUserError, reportLines } from '../journal-summary';
import { progress } from '../progress';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('rebuild the report of a recorded run from its journal (enable({ record }) or TT_ALLOC_TRACKING_RECORD)')
    .argument('<journal>', 'journal file')
    .option('-o, --output <file>', 'write the report as JSON')
    .action((journal: string, opts: { output?: string }) => {
      const bar = progress('replaying');
      let report;
      try {
        report = replay(journal, { onProgress: (done, total) => bar.update(done, total) });
      } catch (err) {
        throw asUserError(err);
      } finally {
        bar.finish();
      }
      console.log(reportLines(report).join('\n'));
      if (opts.output) {
        writeText(opts.output, `${JSON.stringify(report, null, 2)}\n`);
        console.log(`report written to ${opts.output}`);
      }
    });
}
