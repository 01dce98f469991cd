/**
 * `demo`: the Llama-style workload on a simulated 2×4 mesh, then a summary of report(). With
 * `--bugs` the simulator reproduces what the TT-Metal branch instrumented for the
 * socket-fed allocation server (docs/sim.md#bug-modes) reported (mesh replicas,
 * views, program-pool late frees, double frees) and the demo says what each suspicious free was.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { enable, report } from '../../tracker';
import { configure, runWorkload } from '../../sim';
import { formatReport } from '../../output/text';
import { formatBytes, plural } from '../../output/table';
import { writeReportFile } from '../../output/report-file';
import { ENV_REPORT } from '../../env';
import { expectInteger } from '../../validate';
import type { Report } from '../../report/types';
import { BUG_NAMES, BUG_STORY, bugModes, parseBugs, type BugName } from '../bug-modes';
import { UserError } from '../errors';


/** What the bug modes turned into: one line per mode, then the classes the report counted. */
export function bugStory(bugs: readonly BugName[], r: Report): string[] {
  const a = r.anomalies;
  if (bugs.length === 0) {
    const suspicious = r.summary.suspiciousFrees + a.overlap.count + a.duplicateAlloc.count;
    return [`No bug mode: the simulated runtime reports what upstream TT-Metal reports. ${suspicious === 0
      ? 'Every allocation and free is explained: no suspicious free, no alias.' : `${plural(suspicious, 'suspicious event')}: see below.`}`,
    `(Try --bugs all, or a list of ${BUG_NAMES.join(', ')}.)`];
  }
  const lines = [`Bug modes on: ${bugs.join(', ')}`];
  for (const b of bugs) lines.push(`  ${b}: ${BUG_STORY[b]}`);
  lines.push(`What the report made of them: alias ${a.alias.count} (view ${a.alias.view}, replica ${a.alias.replica}), ` +
    `aliasFree ${a.aliasFree.count} (view ${a.aliasFree.view}, replica ${a.aliasFree.replica}), ` +
    `doubleFree ${a.doubleFree.count} (afterReuse ${a.doubleFree.afterReuse}), staleFree ${a.staleFree.count}, untrackedFree ${a.untrackedFree.count}`);
  return lines;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run a Llama-style prefill + decode loop on a simulated 2x4 mesh (T3000) and summarise report()')
    .option('--layers <n>', 'decoder layers (1-80)', '4')
    .option('--steps <n>', 'decode steps (0-10000)', '8')
    .option('--bugs <modes>', `reproduce the socket-fed allocation server's reports: 'all' or a comma-separated list of ${BUG_NAMES.join(', ')}`)
    .option('-o, --output <file>', `also write the report (.json, .html or .txt by suffix; default: ${ENV_REPORT} when set)`)
    .action((opts: { layers: string; steps: string; bugs?: string; output?: string }) => {
      const layers = expectInteger('--layers', Number(opts.layers), 1, 80);
      const steps = expectInteger('--steps', Number(opts.steps), 0, 10000);
      const bugs = opts.bugs === undefined ? [] : parseBugs(opts.bugs);
      const output = opts.output ?? (process.env[ENV_REPORT] || undefined);
      configure({ bugs: bugModes(bugs) });
      enable();
      const counts = runWorkload('llama-decode', { mesh: [2, 4], layers, steps });
      const r = report();
      console.log(`llama-decode on a simulated 2x4 mesh: ${plural(layers, 'layer')}, ${plural(steps, 'decode step')}`);
      const { allocatorPeaks, ...operations } = counts;
      console.log(Object.entries(operations).map(([k, v]) => `${k} ${v}`).join(', '));
      console.log(`simulated allocator peaks: ${Object.entries(allocatorPeaks).map(([t, b]) => `${t} ${formatBytes(b as number)}`).join(', ')}`);
      for (const line of bugStory(bugs, r)) console.log(line);
      console.log('');
      console.log(formatReport(r));
      if (output !== undefined) {
        try {
          writeReportFile(output, r);
        } catch (err) {
          throw new UserError(`${output}: cannot write the report (${(err as Error).message})`);
        }
        console.log(`\nwrote the report to ${path.resolve(output)}`);
      }
    });
}
