/**
 * The embedded runtime against the real one: the scenarios of test/tt-metal-mock.test.ts run on the
 * simulator set to the closest generation ('2026-04', parts n150 / n300) and on real TT-Metal 0.70.1
 * mock devices; the two event streams are compared record by record, field by field. Every
 * difference must be listed below with its reason (docs/tt-metal.md, "Real runtime on mock devices"):
 * a new difference, or a listed one that went away, fails.
 * Needs the sim branch's generations (scripts/tt-metal-mock/sim-scenario.js says so otherwise).
 */
import { describe, expect, it } from 'vitest';
import { EventKind as K, MemType } from '../lib/events/format';
import { brief, decode, runReal, runSim, type Scenario } from './tt-metal-mock.helpers';

interface Difference { record: number; kind: number; field: string; real: number; sim: number }

function differences(scenario: Scenario): { count: [number, number]; diffs: Difference[] } {
  const real = decode(runReal(scenario).records).map(brief);
  const sim = decode(runSim(scenario).records).map(brief);
  const diffs: Difference[] = [];
  for (let i = 0; i < Math.min(real.length, sim.length); i++) {
    for (const field of Object.keys(real[i]) as (keyof (typeof real)[number])[]) {
      if (real[i][field] !== sim[i][field]) diffs.push({ record: i, kind: real[i].kind, field, real: real[i][field], sim: sim[i][field] });
    }
  }
  return { count: [real.length, sim.length], diffs };
}

// The one known difference: how many L1 banks a chip has. The real run uses slow dispatch
// (TT_METAL_SLOW_DISPATCH_MODE=1: fast dispatch compiles the command-queue kernels, which needs the
// SFPI toolchain, not on PyPI), and then TT-Metal makes the whole logical Tensix grid workers ("Slow
// dispatch mode: Using full logical grid", core_descriptor.cpp). The simulator models the default fast
// dispatch, where dispatch cores are taken off the worker grid. Per-bank bytes, every address, id and
// size agree, and so do the flags (TopDown on the L1 and L1_SMALL buffers) and DeviceInfo's bank bases
// (address, BaseKnown: the simulator's get_base_allocator_addr and layout give the real allocator's
// 32, 103,712, 1,466,368 and 1,065,353,216). L1 and L1_SMALL DeviceInfo records carry the bank count
// (aux) and the capacity over all banks (size).
const L1_PER_BANK = 1499136 - 32768 - 103712; // L1 size - L1_SMALL - L1 unreserved base (2026-04)
const L1_SMALL = 32768;
function bankCountDiffs(records: [number, number][], real: number, sim: number): Difference[] {
  return records.flatMap(([record, memType]) => {
    const perBank = memType === MemType.L1 ? L1_PER_BANK : L1_SMALL;
    return [
      { record, kind: K.DeviceInfo, field: 'size', real: real * perBank, sim: sim * perBank },
      { record, kind: K.DeviceInfo, field: 'aux', real, sim },
    ];
  });
}

describe('embedded runtime (2026-04) against real TT-Metal 0.70.1 on mock devices', () => {
  it('n150 chip: same records, ids, addresses and sizes; only the L1 bank count differs', () => {
    const { count, diffs } = differences('chip');
    // 4 DeviceInfo, 5 Alloc, 2 CbAlloc, 1 CbRelease, 5 Free.
    expect(count).toEqual([17, 17]);
    // Records 1 and 2: DeviceInfo L1 and L1_SMALL of chip 0. Real: our descriptor harvests 1 of 10
    // Tensix rows (harvest_mask 32): 8x9 = 72 workers. Simulator: an n150's 64 (a row for dispatch).
    expect(diffs).toEqual(bankCountDiffs([[1, MemType.L1], [2, MemType.L1_SMALL]], 72, 64));
  });

  it('n300 as a 1x2 mesh: same records, ids, addresses and sizes; only the L1 bank count differs', () => {
    const { count, diffs } = differences('mesh');
    // 4 DeviceInfo of the mesh, 2 MeshChip, 4 + 4 DeviceInfo of the chips, 3 Alloc, 3 Free.
    expect(count).toEqual([20, 20]);
    // Mesh (records 1, 2), chip 0 (7, 8), chip 1 (11, 12). Real: both chips harvest 2 rows (masks 65
    // and 5): 8x8 = 64. Simulator: an n300 chip's 56 (its dispatch cores off the grid too).
    expect(diffs).toEqual(
      bankCountDiffs([[1, MemType.L1], [2, MemType.L1_SMALL], [7, MemType.L1], [8, MemType.L1_SMALL], [11, MemType.L1], [12, MemType.L1_SMALL]], 64, 56),
    );
  });
});
