/** `demo`: the Llama-style workload on a simulated 2×4 mesh, then a summary of report(). */
import type { Command } from 'commander';
import { enable, report } from '../../tracker';
import { runWorkload } from '../../sim';
import type { Report } from '../../report/types';
import { MEM_TYPE_NAMES } from '../../events/format';
import { expectInteger } from '../../validate';

const MiB = 1024 * 1024;

function formatBytes(bytes: number): string {
  return bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** A readable summary; the full text formatter is a later issue. */
export function summarize(r: Report): string {
  const lines = [
    `events: ${r.events.total} (alloc ${r.events.alloc}, free ${r.events.free}, cb ${r.events.cbAlloc}, ` +
      `program ${r.events.program}, dropped ${r.events.dropped})${r.complete ? '' : ' INCOMPLETE'}`,
    '',
    `${'device'.padEnd(8)}${'type'.padEnd(10)}${'current'.padStart(14)}${'peak'.padStart(14)}${'allocs'.padStart(9)}`,
  ];
  for (const d of r.devices) {
    for (const type of MEM_TYPE_NAMES) {
      const u = d.memory[type];
      if (!u || (u.peak === 0 && u.allocated === 0)) continue;
      lines.push(`${String(d.id).padEnd(8)}${type.padEnd(10)}${formatBytes(u.current).padStart(14)}` +
        `${formatBytes(u.peak).padStart(14)}${String(u.allocated).padStart(9)}`);
    }
  }
  return lines.join('\n');
}

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
      console.log(Object.entries(counts).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', '));
      console.log('');
      console.log(summarize(report()));
    });
}
