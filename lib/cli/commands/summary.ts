/** `summary <report>`: the text summary of a report file (formatReport, whose colour default it keeps). */
import type { Command } from 'commander';
import { formatReport } from '../../output/text';
import { expectInteger } from '../../validate';
import { readReport } from '../files';

export function registerSummary(program: Command): void {
  program
    .command('summary')
    .description('print a readable summary of a report: usage, anomalies with examples, leaks, top ops')
    .argument('<report>', 'report JSON file (from report(), TT_ALLOC_TRACKING_REPORT or merge)')
    .option('--width <n>', 'longest line in characters (40-1000)', '100')
    .option('--top <n>', 'leaks and ops listed (0-1000)', '10')
    .option('--color', 'colour even when stdout is not a terminal or NO_COLOR is set')
    .option('--no-color', 'no colour even on a terminal')
    .action((file: string, opts: { width: string; top: string; color?: boolean }) => {
      const width = expectInteger('--width', Number(opts.width), 40, 1000);
      const top = expectInteger('--top', Number(opts.top), 0, 1000);
      process.stdout.write(`${formatReport(readReport(file), { width, top, color: opts.color })}\n`);
    });
}
