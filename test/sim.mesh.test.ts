import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { TrackerError } from '../lib/errors';
import { Flag, MemType } from '../lib/events/format';
import { drainRecords } from '../lib/testing';
import * as sim from '../lib/sim';
import { brief, buf, drainOps, K, N150, resetSim, useRuntime } from './helpers/sim-events';

const { DRAM, TRACE } = MemType;
const MESH = { flags: Flag.MeshDevice };

beforeAll(() => enable());
afterEach(resetSim);

describe.each(sim.RUNTIMES)('MeshDevice and MeshBuffer, runtime %s', (runtime) => {
  beforeEach(() => useRuntime(runtime));

  it('mesh ids come from a process-wide counter (generate_unique_mesh_id()): never reused after a close', () => {
    const first = sim.openMesh({ shape: [1, 2] });
    first.close();
    const second = sim.openMesh({ shape: [1, 2] });
    expect(second.id).toBe(first.id + 1);
    // Chip ids are physical: the lowest free ones, back after the close.
    expect(second.chips).toEqual(first.chips);
  });

  it('a MeshBuffer on 2×4 reports one allocate and one free of its backing buffer, on the mesh, of the per-chip size', () => {
    const mesh = sim.openMesh({ shape: [2, 4] });
    drainRecords();
    const a = sim.createBuffer(mesh, { size: 4096, type: 'DRAM' });
    const records = drainRecords();
    // First sighting of the mesh: MeshChip per chip (row-major index, 8 chips), flagged as the mesh's
    // (event format v2: MeshDevice on every event whose device is a mesh).
    expect(records.filter((r) => r.kind === K.MeshChip).map((r) => [r.device, r.objectId, r.aux, r.size, r.flags])).toEqual(
      mesh.chips.map((chip, i) => [mesh.id, chip, i, 8, Flag.MeshDevice]),
    );
    expect(records.at(-1)!.kind).toBe(K.Alloc);
    a.deallocate();
    expect([brief(records.at(-1)!), ...drainOps()]).toEqual([
      buf(K.Alloc, mesh.id, DRAM, a.id, N150.dramBase, 4096, MESH),
      buf(K.Free, mesh.id, DRAM, a.id, N150.dramBase, 4096, MESH),
    ]);
  });

  it('MeshBuffer::deallocate frees at once although a view of it lives (the owned state is the only holder of the backing buffer)', () => {
    const mesh = sim.openMesh({ shape: [1, 2] });
    const a = sim.createBuffer(mesh, { size: 4 * 2048, type: 'DRAM' });
    // A view of a MeshBuffer views its reference (first chip's) buffer: it holds that, not the backing.
    const v = a.view(2048, 2048);
    expect([v.device, v.address]).toEqual([mesh.chips[0], a.address]);
    drainOps();
    a.deallocate();
    expect(drainOps()).toEqual([buf(K.Free, mesh.id, DRAM, a.id, N150.dramBase, 4 * 2048, MESH)]);
    v.deallocate();
    expect(drainOps()).toEqual([]);
    // The memory is back: the next mesh buffer takes the same address.
    expect(sim.createBuffer(mesh, { size: 2048, type: 'DRAM' }).address).toBe(N150.dramBase);
  });

  it('with the mesh gone, MeshBuffer::deallocate only marks the backing buffer deallocated: no event', () => {
    const mesh = sim.openMesh({ shape: [1, 2] });
    const a = sim.createBuffer(mesh, { size: 2048, type: 'DRAM' });
    drainOps();
    mesh.close();
    a.deallocate();
    expect(drainOps()).toEqual([]);
  });

  it('a mesh and its chips share one allocator: one address on every chip', () => {
    const mesh = sim.openMesh({ shape: [2, 4] });
    const a = sim.createBuffer(mesh, { size: 4096, type: 'DRAM' });
    expect([a.address, a.device]).toEqual([N150.dramBase, mesh.id]);
    const onChip = sim.createBuffer(mesh.chip(3), { size: 12 * 2048, type: 'DRAM' });
    // 4096 B over 12 banks → 1 page per bank: the chip's buffer comes right after, on chip 3.
    expect([onChip.address, onChip.device]).toEqual([N150.dramBase + 2048, mesh.chips[3]]);
    expect(sim.allocatorStats(mesh, 'DRAM').current).toBe(4096 + 12 * 2048);
  });
});

// Trace buffers: 2025 trace capture allocates a TRACE MeshBuffer in the trace region; since 2026-02 (PR
// #36999), when the trace region size is 0 (DEFAULT_TRACE_REGION_SIZE), a DRAM buffer allocated top-down.
describe('trace buffers per generation', () => {
  const TRACE_REGION = 8 * 2 ** 20;

  it('2025-06: a TRACE MeshBuffer at the bottom of the trace region (bottom-up, as is_dram() says for TRACE)', () => {
    useRuntime('2025-06');
    const mesh = sim.openMesh({ shape: [2, 4], traceRegionSize: TRACE_REGION });
    drainOps();
    const t = sim.createTraceBuffer(mesh, 12 * 4096);
    expect(t.type).toBe('TRACE');
    t.deallocate();
    // The trace region is the top 8 MiB of each 1 GiB DRAM bank; 12 × 4096 B over 12 banks → 4096 per bank.
    const base = N150.dramBank - TRACE_REGION;
    expect(drainOps()).toEqual([
      buf(K.Alloc, mesh.id, TRACE, t.id, base, 12 * 4096, MESH),
      buf(K.Free, mesh.id, TRACE, t.id, base, 12 * 4096, MESH),
    ]);
  });

  it('2025-06 with the default trace region of 0: out of TRACE memory, nothing reported', () => {
    useRuntime('2025-06');
    const mesh = sim.openMesh({ shape: [1, 2] });
    drainOps();
    expect(() => sim.createTraceBuffer(mesh, 4096)).toThrow(
      new TrackerError('ERR_SIM_OUT_OF_MEMORY',
        'Out of TRACE memory: requested 4096 B (2048 B per bank over 12 banks), largest free block 0 B per bank, capacity 0 B per bank'),
    );
    expect(drainOps()).toEqual([]);
  });

  it('2026-04 with the default trace region of 0: a DRAM MeshBuffer at the top of the DRAM banks', () => {
    useRuntime('2026-04');
    const mesh = sim.openMesh({ shape: [2, 4] });
    drainOps();
    const t = sim.createTraceBuffer(mesh, 12 * 4096);
    expect(t.type).toBe('DRAM');
    t.deallocate();
    // Top-down: 4096 B per bank below the bank's end; the events say so (TopDown = !bottom_up()).
    const top = N150.dramBank - 4096;
    const flags = { flags: Flag.MeshDevice | Flag.TopDown };
    expect(drainOps()).toEqual([
      buf(K.Alloc, mesh.id, DRAM, t.id, top, 12 * 4096, flags),
      buf(K.Free, mesh.id, DRAM, t.id, top, 12 * 4096, flags),
    ]);
  });

  it('2026-04 with a trace region: still a TRACE buffer in it', () => {
    useRuntime('2026-04');
    const mesh = sim.openMesh({ shape: [1, 2], traceRegionSize: TRACE_REGION });
    drainOps();
    const t = sim.createTraceBuffer(mesh, 12 * 2048);
    expect([t.type, t.address]).toEqual(['TRACE', N150.dramBank - TRACE_REGION]);
  });
});
