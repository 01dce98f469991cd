#!/usr/bin/env node
/** tt-alloc-tracker command line. `demo`: the Llama-style workload on a simulated 2×4 mesh, then a summary of report(). */
import { parseArgs } from 'node:util';
import { enable, report } from './tracker';
import { runWorkload } from './sim';
import type { Report } from './report/types';
import { MEM_TYPE_NAMES } from './events/format';
import { expectInteger } from './validate';

const USAGE = `Usage: tt-alloc-tracker demo [--layers N] [--steps N]

Commands:
  demo   run a Llama-style prefill + decode loop on a simulated 2x4 mesh (T3000) and summarise report()`;

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

function main(argv: string[]): number {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { layers: { type: 'string' }, steps: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals[0] !== 'demo') {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const layers = values.layers === undefined ? 4 : expectInteger('--layers', Number(values.layers), 1, 80);
  const steps = values.steps === undefined ? 8 : expectInteger('--steps', Number(values.steps), 0, 10000);
  enable();
  const counts = runWorkload('llama-decode', { mesh: [2, 4], layers, steps });
  console.log(`llama-decode on a simulated 2x4 mesh: ${layers} layers, ${steps} decode steps`);
  console.log(Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', '));
  console.log('');
  console.log(summarize(report()));
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    console.error(`tt-alloc-tracker: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
