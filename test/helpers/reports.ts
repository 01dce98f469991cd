/** Real reports from the embedded runtime, for merge, text and CLI tests. */
import { report, reset } from '../../lib/tracker';
import { scope } from '../../lib/scopes';
import * as sim from '../../lib/sim';
import type { Report } from '../../lib/report/types';
import { ALL_BUGS_OFF } from './sim-events';

/**
 * "Process A": the Llama workload on a 2x4 mesh with mesh replicas and views reported (aliases and
 * alias frees), then one 1 MiB DRAM buffer left allocated inside scope 'suite > keeps cache'.
 */
export function reportA(): Report {
  reset();
  sim.configure({ bugs: { ...ALL_BUGS_OFF, meshReplicaEvents: true, viewEvents: true } });
  sim.runWorkload('llama-decode', { mesh: [2, 4], layers: 1, steps: 2 });
  const d = sim.openDevice();
  scope('suite > keeps cache', () => sim.createBuffer(d, { size: 1024 * 1024, type: 'DRAM' }));
  const r = report();
  sim.configure({ bugs: ALL_BUGS_OFF });
  sim.close();
  return r;
}

/**
 * "Process B": one chip; a 64 KiB DRAM buffer whose free is reported twice (one doubleFree), and
 * inside scope 'suite > keeps cache' a 4 KiB L1 buffer and a 2 MiB DRAM buffer left allocated.
 */
export function reportB(): Report {
  reset();
  sim.configure({ bugs: { ...ALL_BUGS_OFF, doubleDeallocate: true } });
  const d = sim.openDevice();
  sim.createBuffer(d, { size: 64 * 1024, type: 'DRAM' }).deallocate();
  sim.configure({ bugs: ALL_BUGS_OFF });
  scope('suite > keeps cache', () => {
    sim.createBuffer(d, { size: 4096, type: 'L1' });
    sim.createBuffer(d, { size: 2 * 1024 * 1024, type: 'DRAM' });
  });
  const r = report();
  sim.close();
  return r;
}
