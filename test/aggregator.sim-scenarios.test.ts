import { describe, expect, it } from 'vitest';
import * as sim from '../lib/sim';
import { enable, report, reset } from '../lib/tracker';
import { ALL_BUGS_OFF } from './helpers/sim-events';

// End to end: the embedded runtime → the graph-tracking processor → ring → aggregator. Expected
// counts follow from each scenario: a 2×4 mesh has 8 chips; every bug mode is off unless set here.
const MB = 1 << 20;

describe('aggregator on the embedded runtime', () => {
  enable();

  it('classifies mesh replica events as replica aliases, with the size counted once per chip', () => {
    reset();
    sim.configure({ bugs: { ...ALL_BUGS_OFF, meshReplicaEvents: true } });
    const mesh = sim.openMesh({ shape: [2, 4] });
    const buffer = sim.createBuffer(mesh, { size: 8 * MB, type: 'DRAM' });
    buffer.deallocate();
    const r = report();
    expect(r.events.alloc).toBe(9);
    expect(r.events.free).toBe(9);
    expect(r.anomalies.aliasFree).toMatchObject({ count: 8, replica: 8, view: 0 });
    expect(r.anomalies.doubleFree.count + r.anomalies.staleFree.count + r.anomalies.untrackedFree.count).toBe(0);
    // Mesh ids count from 0 upstream (generate_unique_mesh_id()), so the mesh may share an id with one of
    // its chips: chips are the devices of kind 'chip'.
    const chips = r.devices.filter((d) => d.kind === 'chip' && mesh.chips.includes(d.id));
    expect(chips).toHaveLength(8);
    for (const chip of chips) expect(chip.memory.DRAM).toMatchObject({ current: 0, peak: 8 * MB });
  });

  it('classifies a genuine double deallocation as one doubleFree', () => {
    reset();
    sim.configure({ bugs: { ...ALL_BUGS_OFF, doubleDeallocate: true } });
    const device = sim.openDevice();
    sim.createBuffer(device, { size: 64 * 1024, type: 'DRAM' }).deallocate();
    const r = report();
    expect(r.events).toMatchObject({ alloc: 1, free: 2 });
    expect(r.anomalies.doubleFree.count).toBe(1);
    expect(r.devices.find((d) => d.id === device.id)!.memory.DRAM.current).toBe(0);
  });
});

describe('aggregator on the Llama-style workload with upstream semantics', () => {
  enable();

  it('finds no anomaly and no leak, returns every chip to 0, and matches the allocator\'s own peaks', () => {
    reset();
    sim.configure({ bugs: ALL_BUGS_OFF });
    const layers = 3, steps = 4;
    const counts = sim.runWorkload('llama-decode', { mesh: [2, 4], layers, steps });
    const r = report();
    // Upstream reports each owning MeshBuffer once and views not at all: one alloc and one free each.
    expect(counts.views).toBe((layers * (steps + 1)) * 3);
    expect(r.events).toMatchObject({ alloc: counts.buffers, free: counts.buffers, dropped: 0 });
    expect(r.classes.alloc).toEqual({ ok: counts.buffers, alias: 0, overlap: 0, duplicateAlloc: 0, invalid: 0 });
    expect(r.classes.free).toEqual({ ok: counts.buffers, aliasFree: 0, doubleFree: 0, staleFree: 0, untrackedFree: 0, invalid: 0 });
    expect(r.summary.suspiciousFrees).toBe(0);
    expect(r.leaks).toEqual([]);
    expect(r.leakSummary.buffers).toBe(0);
    const chips = r.devices.filter((d) => d.kind === 'chip');
    expect(chips).toHaveLength(8);
    for (const d of r.devices) {
      for (const type of ['DRAM', 'L1', 'L1_SMALL', 'TRACE', 'SYSTEM_MEMORY', 'CB'] as const) {
        expect(d.memory[type].current, `${d.kind} ${d.id} ${type}`).toBe(0);
        expect(d.memory[type].liveBuffers, `${d.kind} ${d.id} ${type}`).toBe(0);
      }
      for (const type of ['DRAM', 'L1', 'TRACE'] as const) {
        expect(d.memory[type].peak, `${d.kind} ${d.id} ${type} peak`).toBe(counts.allocatorPeaks[type]);
      }
    }
    expect(counts.allocatorPeaks.DRAM).toBeGreaterThan(0);
    expect(counts.allocatorPeaks.L1).toBeGreaterThan(0);
    // The default runtime (2026-04) with trace region 0 puts the 2 MiB trace buffer in DRAM (PR #36999,
    // docs/sim.md#meshbuffer): no TRACE allocation at all.
    expect(counts.allocatorPeaks.TRACE).toBe(0);
  });
});
