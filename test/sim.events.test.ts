import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { MemType } from '../lib/events/format';
import { drainRecords } from '../lib/testing';
import * as sim from '../lib/sim';
import { buf, drainOps, K, N150, resetSim, useRuntime } from './helpers/sim-events';
import { runScript } from './helpers/child';

const { DRAM, L1 } = MemType;

beforeAll(() => enable());
afterEach(resetSim);

// Rules every modelled generation shares (tenstorrent/tt-metal buffer.cpp, 2025-06 and 2026-04 trees).
describe.each(sim.RUNTIMES)('sim events, runtime %s', (runtime) => {
  beforeEach(() => useRuntime(runtime));

  it('announces a device once: DeviceInfo per memory type with a non-zero capacity over all banks', () => {
    const d = sim.openDevice();
    drainRecords();
    sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    const infos = drainRecords().filter((r) => r.kind === K.DeviceInfo).map((r) => [r.device, r.memType, r.size, r.aux, r.flags]);
    // Upstream defaults DEFAULT_L1_SMALL_SIZE = DEFAULT_TRACE_REGION_SIZE = 0 (hostdevcommon/common_values.hpp):
    // DRAM is [32, 1 GiB) of each of 12 banks; L1 is [L1 unreserved base, 1,499,136) of each of 64 cores;
    // L1_SMALL and TRACE have no capacity, so no DeviceInfo.
    expect(infos).toEqual([
      [d.id, DRAM, 12 * (N150.dramBank - N150.dramBase), 12, 0],
      [d.id, L1, 64 * (N150.l1Bank - N150.l1Base[runtime]), 64, 0],
    ]);
  });

  it('reports allocate after the address is assigned and free before release (Buffer::allocate_impl / deallocate_impl)', () => {
    const d = sim.openDevice();
    drainOps();
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    const b = sim.createBuffer(d, { size: 4096, type: 'L1' });
    a.deallocate();
    const c = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    // Buffer::next_unique_id counts up by one per Buffer constructed.
    expect([b.id, c.id]).toEqual([a.id + 1, a.id + 2]);
    // DRAM bottom-up from the base: a's block is free again, c takes it.
    expect(c.address).toBe(N150.dramBase);
    b.deallocate();
    c.deallocate();
    // L1 top-down: 2 pages over 64 banks → 1 page (2048 B) per bank, at the top of the L1 bank.
    const l1 = N150.l1Bank - 2048;
    expect(drainOps()).toEqual([
      buf(K.Alloc, d.id, DRAM, a.id, N150.dramBase, 4096),
      buf(K.Alloc, d.id, L1, b.id, l1, 4096),
      buf(K.Free, d.id, DRAM, a.id, N150.dramBase, 4096),
      buf(K.Alloc, d.id, DRAM, c.id, N150.dramBase, 4096),
      buf(K.Free, d.id, L1, b.id, l1, 4096),
      buf(K.Free, d.id, DRAM, c.id, N150.dramBase, 4096),
    ]);
    expect(drainRecords()).toEqual([]);
  });

  it('reports nothing for zero-size buffers, buffers created at an address, and views', () => {
    const d = sim.openDevice();
    drainOps();
    const zero = sim.createBuffer(d, { size: 0, type: 'DRAM' }); // Buffer::create: size 0 → no allocate_impl
    const at = sim.createBuffer(d, { size: 4096, type: 'DRAM', address: 8192 }); // non-owning
    expect(at.address).toBe(8192);
    const root = sim.createBuffer(d, { size: 8192, type: 'DRAM' });
    const view = root.view(2048, 4096); // non-owning, Buffer::create(device, address, ...)
    zero.deallocate();
    at.deallocate();
    view.deallocate();
    root.deallocate();
    expect(drainOps()).toEqual([buf(K.Alloc, d.id, DRAM, root.id, N150.dramBase, 8192), buf(K.Free, d.id, DRAM, root.id, N150.dramBase, 8192)]);
  });

  it('reports nothing for a buffer freed after its device closed (deallocate_impl checks is_initialized)', () => {
    const d = sim.openDevice();
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    drainOps();
    d.close();
    a.deallocate();
    expect(drainOps()).toEqual([]);
  });

  it('op scopes become OpStart (interned name) and OpEnd', () => {
    drainOps();
    sim.beginOp('ttnn.add');
    sim.endOp();
    const [start, end] = drainOps();
    expect(start.kind).toBe(K.OpStart);
    expect(start.aux).toBeGreaterThan(0);
    expect(end.kind).toBe(K.OpEnd);
  });

  it('every event comes through the processor: detached, the runtime reports nothing', () => {
    const d = sim.openDevice();
    drainOps();
    const before = sim.processor.callbacks();
    expect(sim.processor.detach()).toBe(true);
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    a.deallocate();
    expect(drainOps()).toEqual([]);
    expect(sim.processor.callbacks()).toBe(before);
    sim.processor.attach();
    const b = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    expect(sim.processor.callbacks()).toBe(before + 1);
    expect(drainOps()).toEqual([buf(K.Alloc, d.id, DRAM, b.id, N150.dramBase, 4096)]);
  });
});

describe('sim ids start at 0 (Buffer::next_unique_id, the program counter, generate_unique_mesh_id())', () => {
  it('the first buffer, program and mesh of a process have id 0; a mesh and a chip share id 0, told apart by the MeshDevice flag', () => {
    // A fresh process: nothing has consumed an id yet.
    const child = runScript(`
      const t = require('.');
      const { drainRecords } = require('./dist/testing.js');
      t.enable();
      const chip = t.sim.openDevice();
      const mesh = t.sim.openMesh({ shape: [1, 1] });
      const a = t.sim.createBuffer(chip, { size: 2048, type: 'DRAM' });
      const m = t.sim.createBuffer(mesh, { size: 2048, type: 'DRAM' });
      const p = t.sim.createProgram(chip);
      const allocs = drainRecords().filter((r) => r.kind === 1).map((r) => [r.device, r.objectId, r.flags]);
      console.log(JSON.stringify({ chip: chip.id, mesh: mesh.id, chips: mesh.chips, a: a.id, m: m.id, p: p.id, allocs }));
    `);
    expect(child.stderr).toBe('');
    // chip 0 (lowest free chip id), mesh 0 (first mesh id) over chip 1; buffer 0 on chip 0; the mesh
    // buffer's backing is buffer 1 (its per-chip buffer on chip 1 is buffer 2); program 0. Event flags:
    // MeshDevice = bit 2 (4) on the mesh's allocation only.
    expect(JSON.parse(child.stdout)).toEqual({
      chip: 0, mesh: 0, chips: [1], a: 0, m: 1, p: 0,
      allocs: [[0, 0, 0], [0, 1, 4]],
    });
  });
});
