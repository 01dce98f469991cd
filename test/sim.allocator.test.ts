import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { TrackerError } from '../lib/errors';
import * as sim from '../lib/sim';
import { drainOps } from './helpers/sim-events';

// Layout rules (docs/sim.md): DRAM bank [64, 1 GiB − trace), bottom-up, 32 B aligned, 12 banks;
// L1 bank [98304, 1499136 − l1Small), top-down, 16 B aligned, 64 banks.
const DRAM_BASE = 64;
const L1_TOP = 1499136 - 32768;
const MiB = 1024 * 1024;

beforeAll(() => enable());
afterEach(() => {
  sim.close();
  drainOps();
});

describe('sim allocator', () => {
  it('stripes an interleaved buffer over the banks: size per bank = ceil(pages / banks) × page, aligned', () => {
    const d = sim.openDevice();
    const a = sim.createBuffer(d, { size: 25 * 2048, type: 'DRAM' }); // 25 pages over 12 banks → 3 per bank
    expect(a.sizePerBank).toBe(3 * 2048);
    const b = sim.createBuffer(d, { size: 100, type: 'DRAM', pageSize: 100 }); // 1 page → 100 → 128 (32 B)
    expect(b.sizePerBank).toBe(128);
    const c = sim.createBuffer(d, { size: 100, type: 'L1', pageSize: 100 }); // 16 B alignment → 112
    expect(c.sizePerBank).toBe(112);
    expect([a.address, b.address, c.address]).toEqual([DRAM_BASE, DRAM_BASE + 3 * 2048, L1_TOP - 112]);
  });

  it('allocates DRAM bottom-up and L1 top-down', () => {
    const d = sim.openDevice();
    const dram = [1, 2, 3].map(() => sim.createBuffer(d, { size: 12 * 2048, type: 'DRAM' }).address);
    const l1 = [1, 2, 3].map(() => sim.createBuffer(d, { size: 64 * 2048, type: 'L1' }).address);
    expect(dram).toEqual([DRAM_BASE, DRAM_BASE + 2048, DRAM_BASE + 4096]);
    expect(l1).toEqual([L1_TOP - 2048, L1_TOP - 4096, L1_TOP - 6144]);
  });

  it('reuses a freed block first fit, and skips a hole too small', () => {
    const d = sim.openDevice();
    const a = sim.createBuffer(d, { size: 12 * 2048, type: 'DRAM' });
    const b = sim.createBuffer(d, { size: 12 * 2048, type: 'DRAM' });
    a.deallocate();
    const big = sim.createBuffer(d, { size: 24 * 2048, type: 'DRAM' }); // 4096 per bank: a's hole is 2048
    expect(big.address).toBe(b.address + 2048);
    const again = sim.createBuffer(d, { size: 12 * 2048, type: 'DRAM' });
    expect(again.address).toBe(a.address);
    // L1 top-down: the highest hole that fits wins.
    const x = sim.createBuffer(d, { size: 64 * 2048, type: 'L1' });
    const y = sim.createBuffer(d, { size: 64 * 2048, type: 'L1' });
    x.deallocate();
    expect(sim.createBuffer(d, { size: 64 * 2048, type: 'L1' }).address).toBe(x.address);
    void y;
  });

  it('coalesces neighbours when freeing', () => {
    const d = sim.openDevice();
    const parts = [1, 2, 3].map(() => sim.createBuffer(d, { size: 12 * 2048, type: 'DRAM' }));
    parts[0].deallocate();
    parts[2].deallocate();
    parts[1].deallocate();
    const all = sim.createBuffer(d, { size: 12 * 3 * 2048, type: 'DRAM' });
    expect(all.address).toBe(DRAM_BASE);
    expect(sim.allocatorStats(d, 'DRAM').largestFreePerBank).toBe(1024 * MiB - 8 * MiB - DRAM_BASE - 3 * 2048);
  });

  it('raises out-of-memory as TrackerError ERR_SIM_OUT_OF_MEMORY with requested, largest free and capacity', () => {
    const d = sim.openDevice();
    const capacity = 1024 * MiB - 8 * MiB - DRAM_BASE; // 1 GiB bank minus the 8 MiB trace region and the base
    sim.createBuffer(d, { size: 12 * 512 * MiB, type: 'DRAM' });
    let error: unknown;
    try {
      sim.createBuffer(d, { size: 12 * 768 * MiB, type: 'DRAM' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrackerError);
    expect((error as TrackerError).code).toBe('ERR_SIM_OUT_OF_MEMORY');
    expect((error as TrackerError).message).toBe(
      `Out of DRAM memory: requested ${12 * 768 * MiB} B (${768 * MiB} B per bank over 12 banks), ` +
        `largest free block ${capacity - 512 * MiB} B per bank, capacity ${capacity} B per bank`,
    );
    expect(drainOps().length).toBe(1); // the failed allocation reported nothing
  });

  it('reports current and peak bytes as the allocator sees them', () => {
    const d = sim.openDevice();
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    const b = sim.createBuffer(d, { size: 10000, type: 'DRAM' });
    a.deallocate();
    sim.createBuffer(d, { size: 1000, type: 'DRAM' });
    expect(sim.allocatorStats(d, 'DRAM')).toMatchObject({ current: 11000, peak: 14096, buffers: 2, banks: 12, alignment: 32, base: 64 });
    expect(sim.allocatorStats(d, 'L1')).toMatchObject({ current: 0, peak: 0, banks: 64, alignment: 16, capacityPerBank: L1_TOP - 98304 });
    void b;
  });

  it('gives a mesh and its chips one allocator: one address on every chip', () => {
    const mesh = sim.openMesh({ shape: [2, 4] });
    expect(mesh.id).toBe(1000);
    expect(mesh.chips).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const a = sim.createBuffer(mesh, { size: 4096, type: 'DRAM' });
    expect(a.address).toBe(DRAM_BASE);
    expect(a.device).toBe(1000);
    const onChip = sim.openDevice(); // the next free chip id
    expect(onChip.id).toBe(8);
    expect(sim.allocatorStats(mesh, 'DRAM').current).toBe(4096);
  });
});
