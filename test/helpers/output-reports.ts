/** Reports from the embedded runtime for the exporter tests (perfetto, html). */
import * as tracker from '../../lib/index';
import * as sim from '../../lib/sim';
import type { Report } from '../../lib/report/types';
import { ALL_BUGS_OFF, resetSim } from './sim-events';

function collect(run: () => void): Report {
  resetSim();
  tracker.enable({ drainIntervalMs: 0 });
  tracker.reset();
  run();
  const report = tracker.report();
  tracker.disable();
  return report;
}

/** The Llama-style workload on a 2×4 mesh: clean (no anomalies, no leaks). */
export function workloadReport(): Report {
  return collect(() => { sim.runWorkload('llama-decode', { mesh: [2, 4], layers: 2, steps: 3 }); });
}

export const LEAKED_SIZES = [1 << 20, 256 << 10, 64 << 10];

/**
 * The workload with every bug mode on (double frees, alias frees, late frees), then LEAKED_SIZES DRAM
 * buffers created on a chip and never freed: anomalies and exactly three leaks.
 */
export function anomalyReport(): Report {
  return collect(() => {
    sim.configure({ bugs: { meshReplicaEvents: true, viewEvents: true, programPoolLateFree: true, doubleDeallocate: true } });
    sim.runWorkload('llama-decode', { mesh: [2, 4], layers: 1, steps: 2 });
    sim.configure({ bugs: ALL_BUGS_OFF });
    const chip = sim.openDevice();
    for (const size of LEAKED_SIZES) sim.createBuffer(chip, { size, type: 'DRAM' });
  });
}
