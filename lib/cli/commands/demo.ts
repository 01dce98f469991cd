/** `demo`: the Llama-style workload on a simulated 2×4 mesh, then a summary of report(). */
import type { Command } from 'commander';
import { enable, report } from '../../tracker';
import { runWorkload } from '../../sim';
import { formatReport } from '../../output/text';
import { formatBytes } from '../../output/table';
import { expectInteger } from '../../validate';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run a Llama-style prefill + decode loop on a simulated 2x4 mesh (T3000) and summarise report()')
    .option('--layers <n>', 'decoder layers (1-80)', '4')
    .option('--steps <n>', 'decode steps (0-10000)', '8')
    .action((opts: { layers: string; steps: string }) => {
      const layers = expectInteger('--layers', Number(opts.layers), 1, 80);
      const steps = expectInteger('--steps', Number(opts.steps), 0, 10000);
      enable();
      const counts = runWorkload('llama-decode', { mesh: [2, 4], layers, steps });
      console.log(`llama-decode on a simulated 2x4 mesh: ${layers} layers, ${steps} decode steps`);
      const { allocatorPeaks, ...operations } = counts;
      console.log(Object.entries(operations).map(([k, v]) => `${k} ${v}`).join(', '));
      console.log(`simulated allocator peaks: ${Object.entries(allocatorPeaks).map(([t, b]) => `${t} ${formatBytes(b as number)}`).join(', ')}`);
      console.log('');
      console.log(formatReport(report()));
    });
}
