/** `recover <journal>`: the report of a recorded run that died, from its journal and its ring file. */
import type { Command } from 'commander';
import { recover } from '../../journal/replay';
import { writeText } from '../files';
import { asUserError, lostLine, reportLines } from '../journal-summary';
import { progress } from '../progress';

export function registerRecover(program: Command): void {
  program
    .command('recover')
    .description('rebuild the report of a recorded run that crashed or was killed: its journal plus what its ring file (<journal>.ring) still holds')
    .argument('<journal>', 'journal file')
    .option('-o, --output <file>', 'write the report as JSON')
    .action((journal: string, opts: { output?: string }) => {
      const bar = progress('recovering');
      let result;
      try {
        result = recover(journal, { onProgress: (done, total) => bar.update(done, total) });
      } catch (err) {
        throw asUserError(err);
      } finally {
        bar.finish();
      }
      const journalState = result.journalComplete
        ? 'journal: complete (the process finished it)'
        : result.journalError ? `journal: read up to the damage at ${result.journalError.message}` : 'journal: not finished (the process died)';
      console.log([
        journalState,
        `recovered: ${result.journalEvents} events from the journal, ${result.ringEvents} from ${result.ringFile ?? 'no ring file'}`,
        lostLine(result.lost),
        ...reportLines(result.report),
      ].join('\n'));
      if (opts.output) {
        writeText(opts.output, `${JSON.stringify(result.report, null, 2)}\n`);
        console.log(`report written to ${opts.output}`);
      }
    });
}
