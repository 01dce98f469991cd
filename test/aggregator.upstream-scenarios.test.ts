import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as sim from '../lib/sim';
import { enable, report, reset } from '../lib/tracker';
import type { Report } from '../lib/report/types';
import { Aggregator } from '../lib/aggregator/aggregator';
import { EventBatch, EventKind, Flag, encodeRecords } from '../lib/events/format';
import { drainRecords } from '../lib/testing';

// What must hold on the embedded runtime's upstream streams (native/sim, docs/sim.md): the runtime →
// the graph-tracking processor → ring → aggregator. Every bug mode is off unless a test turns it on.
const OFF = { meshReplicaEvents: false, viewEvents: false, programPoolLateFree: false, doubleDeallocate: false };
const ALL_ON = { meshReplicaEvents: true, viewEvents: true, programPoolLateFree: true, doubleDeallocate: true };
const KiB = 1024;
const TILE = 2048; // the default page (sim DEFAULT_PAGE_SIZE: one 32×32 bf16 tile)

const row = (r: Report, id: number, kind: 'chip' | 'mesh') => {
  const d = r.devices.find((x) => x.id === id && x.kind === kind);
  if (!d) throw new Error(`${kind} ${id} not in the report`);
  return d;
};

function fresh(runtime: sim.SimRuntime = '2026-04', bugs = OFF): void {
  sim.close();
  sim.configure({ runtime, bugs });
  reset();
}

beforeAll(() => enable({ drainIntervalMs: 0 }));
afterEach(() => sim.close());

// First: mesh ids count from 0 per process (generate_unique_mesh_id()), and this must be mesh 0.
describe('mesh 0 and chip 0 in one process', () => {
  it('are separate rows with exact figures', () => {
    fresh();
    const mesh = sim.openMesh({ shape: [1, 2] });
    const chip0 = mesh.chip(0);
    sim.createBuffer(mesh, { size: 64 * KiB, type: 'DRAM' }); //  every chip: 64 KiB
    sim.createBuffer(chip0, { size: 8 * KiB, type: 'DRAM' }); //   chip 0 alone: + 8 KiB
    const r = report();
    // This file's first mesh in a fresh process (vitest forks: one process per file): mesh 0, over chips 0 and 1.
    expect([mesh.id, chip0.id]).toEqual([0, 0]);
    expect(r.devices.map((d) => `${d.kind} ${d.id}`)).toEqual(['chip 0', 'chip 1', 'mesh 0']);
    expect(row(r, mesh.id, 'mesh').memory.DRAM).toMatchObject({ current: 64 * KiB, allocated: 1 });
    expect(row(r, chip0.id, 'chip').memory.DRAM).toMatchObject({ current: 72 * KiB, allocated: 2 });
    expect(row(r, mesh.chips[1], 'chip').memory.DRAM).toMatchObject({ current: 64 * KiB, allocated: 1 });
  });
});

describe('views at page-aligned offsets (Buffer::view: non-owning, at the root’s address)', () => {
  // Root: 8 tiles of DRAM on a chip; views of tiles [1, 3) and [3, 7); then the views, then the root, go.
  const scenario = () => {
    const chip = sim.openDevice();
    const root = sim.createBuffer(chip, { size: 8 * TILE, type: 'DRAM' });
    const a = root.view(1 * TILE, 2 * TILE);
    const b = root.view(3 * TILE, 4 * TILE);
    a.deallocate();
    b.deallocate();
    root.deallocate();
    return chip;
  };

  it('upstream (no view events): one owning buffer, charged once', () => {
    fresh();
    const chip = scenario();
    const r = report();
    expect(r.events).toMatchObject({ alloc: 1, free: 1 });
    expect(r.anomalies.alias.count).toBe(0);
    expect(row(r, chip.id, 'chip').memory.DRAM).toMatchObject({ current: 0, peak: 8 * TILE, allocated: 1, freed: 1 });
  });

  it('with viewEvents: both views are view aliases of the root, never charged; their frees view aliasFrees', () => {
    fresh('2026-04', { ...OFF, viewEvents: true });
    const chip = scenario();
    const r = report();
    // 1 root + 2 views allocate and free; the views carry View + rootId at the root's address.
    expect(r.events).toMatchObject({ alloc: 3, free: 3 });
    expect(r.classes.alloc).toEqual({ ok: 1, alias: 2, overlap: 0, duplicateAlloc: 0, invalid: 0 });
    expect(r.anomalies.alias).toEqual({ count: 2, view: 2, replica: 0 });
    expect(r.anomalies.aliasFree).toEqual({ count: 2, view: 2, replica: 0 });
    expect(r.summary.suspiciousFrees).toBe(0);
    expect(row(r, chip.id, 'chip').memory.DRAM).toMatchObject({ current: 0, peak: 8 * TILE, allocated: 1, freed: 1 });
  });

  it('a MeshBuffer deallocated under a live view: memory back at once on every chip, the view’s free classified', () => {
    // mesh_buffer.cpp MeshBuffer::deallocate: with the mesh alive the backing buffer goes at once.
    fresh('2026-04', { ...OFF, viewEvents: true });
    const mesh = sim.openMesh({ shape: [1, 2] });
    const buffer = sim.createBuffer(mesh, { size: 64 * KiB, type: 'L1' });
    const view = buffer.view(16 * KiB, 16 * KiB);
    buffer.deallocate();
    const during = report();
    for (const chip of mesh.chips) expect(row(during, chip, 'chip').memory.L1).toMatchObject({ current: 0, peak: 64 * KiB });
    expect(row(during, mesh.id, 'mesh').memory.L1).toMatchObject({ current: 0, peak: 64 * KiB });
    view.deallocate();
    const r = report();
    expect(r.anomalies.aliasFree).toEqual({ count: 1, view: 1, replica: 0 });
    expect(r.summary.suspiciousFrees).toBe(0);
    for (const chip of mesh.chips) expect(row(r, chip, 'chip').memory.L1.current).toBe(0);
  });
});

describe('devices closed with live buffers, reopened and reused', () => {
  it('a chip: the old buffer is lost with it, the new object counts only its own', () => {
    fresh();
    const first = sim.openDevice();
    const kept = sim.createBuffer(first, { size: 32 * KiB, type: 'DRAM' });
    first.close(); // Device::close: no event for the live buffer
    const second = sim.openDevice(); // the lowest free id: the same chip id, a new object
    expect(second.id).toBe(first.id);
    const used = sim.createBuffer(second, { size: 8 * KiB, type: 'DRAM' });
    const r = report();
    expect(row(r, first.id, 'chip')).toMatchObject({ opens: 2 });
    expect(row(r, first.id, 'chip').memory.DRAM).toEqual({ current: 8 * KiB, peak: 32 * KiB, allocated: 2, freed: 0, lost: 1, liveBuffers: 1 });
    expect(r.classes.alloc).toEqual({ ok: 2, alias: 0, overlap: 0, duplicateAlloc: 0, invalid: 0 });
    expect(r.leaks.map((l) => [l.id, l.lostWithDevice ?? false])).toEqual([[kept.id, true], [used.id, false]]);
  });

  it('a mesh: its MeshBuffer is lost, the chips count only the new mesh’s buffers', () => {
    fresh();
    const first = sim.openMesh({ shape: [1, 2] });
    sim.createBuffer(first, { size: 64 * KiB, type: 'DRAM' });
    first.close();
    const second = sim.openMesh({ shape: [1, 2] }); // a new mesh id, the same chips (new objects)
    const b = sim.createBuffer(second, { size: 16 * KiB, type: 'DRAM' });
    b.deallocate();
    const c = sim.createBuffer(second, { size: 4 * KiB, type: 'DRAM' });
    const r = report();
    for (const chip of second.chips) {
      // 64 KiB (lost) → 16 KiB → 0 → 4 KiB: peak 64 KiB before the close.
      expect(row(r, chip, 'chip').memory.DRAM).toEqual({ current: 4 * KiB, peak: 64 * KiB, allocated: 3, freed: 1, lost: 1, liveBuffers: 1 });
    }
    expect(row(r, first.id, 'mesh').memory.DRAM).toMatchObject({ current: 0, lost: 1 });
    expect(r.leakSummary).toMatchObject({ buffers: 2, lostWithDevice: { buffers: 1, bytes: 64 * KiB } });
    expect(r.leaks.find((l) => l.id === c.id)).toMatchObject({ device: second.id, deviceKind: 'mesh' });
    expect(r.classes.alloc).toMatchObject({ ok: 3, alias: 0, overlap: 0 });
  });
});

describe('circular buffers of cached programs launched repeatedly, per generation', () => {
  // Program A: CBs of 4 and 2 tiles per core; program B: one of 8 tiles; each launched 3 times through
  // ttnn's device-operation path (cached), on a 1×2 mesh.
  const scenario = () => {
    const mesh = sim.openMesh({ shape: [1, 2] });
    const a = sim.createProgram(mesh);
    a.addCircularBuffer({ size: 4 * TILE, cores: 8 });
    a.addCircularBuffer({ size: 2 * TILE, cores: 8 });
    const b = sim.createProgram(mesh);
    b.addCircularBuffer({ size: 8 * TILE, cores: 8 });
    for (let k = 0; k < 3; k++) { a.launchOperation(); b.launchOperation(); }
    return { mesh, a, b };
  };

  it('2025-06: allocated once per program, never released: "allocated since program creation"', () => {
    fresh('2025-06');
    const { mesh } = scenario();
    const r = report();
    expect(r.events).toMatchObject({ cbAlloc: 3, cbRelease: 0 });
    // Reported once per program on the mesh: charged to each chip, 14 tiles per core.
    for (const chip of mesh.chips) expect(row(r, chip, 'chip').memory.CB).toMatchObject({ current: 14 * TILE, peak: 14 * TILE, liveBuffers: 3 });
    expect(r.circularBuffers).toEqual({ unit: 'bytes per core', basis: 'allocated since program creation' });
  });

  it('2026-04: per chip, both programs live at once, released per chip at destruction', () => {
    fresh('2026-04');
    const { mesh, a, b } = scenario();
    let r = report();
    expect(r.events).toMatchObject({ cbAlloc: 3 * mesh.chips.length, cbRelease: 0 });
    for (const chip of mesh.chips) expect(row(r, chip, 'chip').memory.CB).toMatchObject({ current: 14 * TILE, peak: 14 * TILE, liveBuffers: 3 });
    b.destroy();
    a.destroy();
    mesh.clearProgramCache(); // the device-operation path's cache held them too
    r = report();
    expect(r.events.cbRelease).toBe(2 * mesh.chips.length);
    for (const chip of mesh.chips) {
      expect(row(r, chip, 'chip').memory.CB).toEqual({ current: 0, peak: 14 * TILE, allocated: 3, freed: 3, lost: 0, liveBuffers: 0 });
    }
    expect(r.circularBuffers.basis).toBe('live');
  });
});

describe('an op that frees a fixture allocated before it and allocates its output', () => {
  it('peak = the output’s size per chip; devicePeak = the chip’s highest usage while it ran', () => {
    fresh();
    const mesh = sim.openMesh({ shape: [1, 2] });
    sim.createBuffer(mesh, { size: 32 * KiB, type: 'L1' }); //                  G, untouched: 32 KiB
    const fixture = sim.createBuffer(mesh, { size: 64 * KiB, type: 'L1' }); //  F: 96 KiB per chip
    sim.beginOp('ttnn.mul');
    fixture.deallocate(); //                                                    32 KiB
    sim.createBuffer(mesh, { size: 128 * KiB, type: 'L1' }); //                 160 KiB
    sim.endOp();
    const op = report().ops.find((o) => o.name === 'ttnn.mul')!;
    const first = { id: mesh.chips[0], kind: 'chip' };
    expect(op).toMatchObject({
      calls: 1, peak: { L1: 128 * KiB, DRAM: 0 }, peakDevice: { L1: first },
      devicePeak: { L1: 160 * KiB }, devicePeakDevice: { L1: first },
    });
  });
});

for (const runtime of sim.RUNTIMES) {
  describe(`the Llama-style workload on ${runtime}`, () => {
    const layers = 2, steps = 3;

    it('with no bug mode: no anomaly, no leak, peaks equal to the allocator’s own', () => {
      fresh(runtime);
      const counts = sim.runWorkload('llama-decode', { mesh: [2, 4], layers, steps });
      const r = report();
      expect(r.events).toMatchObject({ alloc: counts.buffers, free: counts.buffers, dropped: 0 });
      expect(r.classes.alloc).toEqual({ ok: counts.buffers, alias: 0, overlap: 0, duplicateAlloc: 0, invalid: 0 });
      expect(r.classes.free).toEqual({ ok: counts.buffers, aliasFree: 0, doubleFree: 0, staleFree: 0, untrackedFree: 0, invalid: 0 });
      expect(r.summary).toMatchObject({ suspiciousFrees: 0, affectedBuffers: 0, aliasFrees: 0 });
      expect(r.leakSummary.buffers).toBe(0);
      const chips = r.devices.filter((d) => d.kind === 'chip');
      expect(chips).toHaveLength(8);
      // The mesh's chips share one per-chip-identical allocator (docs/sim.md), whose peak counts the two
      // plain buffers of chip 0 too: chip 0 holds everything the allocator holds, so its peak is the
      // allocator's own; the other chips hold only MeshBuffers, exactly as the mesh's own row.
      const mesh = r.devices.find((d) => d.kind === 'mesh')!;
      const chip0 = Math.min(...chips.map((d) => d.id));
      for (const d of chips) {
        for (const type of ['DRAM', 'L1', 'TRACE'] as const) {
          expect(d.memory[type].current, `chip ${d.id} ${type}`).toBe(0);
          expect(d.memory[type].peak, `chip ${d.id} ${type} peak`).toBe(d.id === chip0 ? counts.allocatorPeaks[type] : mesh.memory[type].peak);
        }
      }
      // L1 and TRACE hold only MeshBuffers: the mesh row's peak is the allocator's own there too.
      expect(mesh.memory.L1.peak).toBe(counts.allocatorPeaks.L1);
      expect(mesh.memory.TRACE.peak).toBe(counts.allocatorPeaks.TRACE);
      // CBs: 2025-06 never releases them (each program's CBs once, 4 tiles per core each, charged on
      // every chip); 2026-04 releases every program's CBs per chip when the cache is cleared.
      const cbBytes = counts.circularBuffers * 4 * TILE;
      for (const d of chips) expect(d.memory.CB.current, `chip ${d.id} CB`).toBe(runtime === '2025-06' ? cbBytes : 0);
      expect(r.circularBuffers.basis).toBe(runtime === '2025-06' ? 'allocated since program creation' : 'live');
    });

    it('with every bug mode: each class count as the workload’s structure implies', () => {
      fresh(runtime, ALL_ON);
      const counts = sim.runWorkload('llama-decode', { mesh: [2, 4], layers, steps });
      // The stream itself, to locate the worst address independently of the classification (below).
      const records = drainRecords();
      const agg = new Aggregator();
      agg.consume(new EventBatch(encodeRecords(records)));
      const r = agg.report({ dropped: 0 });
      const B = counts.buffers; //                 owning buffers: one ok allocation and one ok free each
      const M = B - counts.chipBuffers; //         MeshBuffers: 8 replicas each (meshReplicaEvents)
      const V = counts.views; //                   Q, K, V views (viewEvents)
      const tracked = B + 8 * M + V; //            objects that allocate and free
      expect(r.classes.alloc).toEqual({ ok: B, alias: 8 * M + V, overlap: 0, duplicateAlloc: 0, invalid: 0 });
      expect(r.anomalies.alias).toEqual({ count: 8 * M + V, view: V, replica: 8 * M });
      // Each first free: ok (owners) or aliasFree (replicas, views). doubleDeallocate repeats every free
      // at once (Buffer::report_free): a plain doubleFree each, its holder (if any) an older owner.
      // programPoolLateFree replays the chip-0 pooled buffer's free once when its pool goes
      // (Program::release_buffers: 2025-06 at the enqueue, 2026-04 at destruction), after a new buffer
      // took its address: 1 doubleFree afterReuse. That buffer has two suspicious frees, every other one.
      expect(r.classes.free).toEqual({ ok: B, aliasFree: 8 * M + V, doubleFree: tracked + 1, staleFree: 0, untrackedFree: 0, invalid: 0 });
      expect(r.anomalies.doubleFree).toEqual({ count: tracked + 1, afterReuse: 1 });
      expect(r.anomalies.aliasFree).toEqual({ count: 8 * M + V, view: V, replica: 8 * M });
      expect(r.summary).toMatchObject({
        allocs: tracked, frees: 2 * tracked + 1, suspiciousFrees: tracked + 1, aliasFrees: 8 * M + V,
        affectedBuffers: tracked, excessFreeRate: (tracked + 1) / tracked,
      });
      expect(r.leakSummary.buffers).toBe(0);
      // Every object allocates once and frees twice (plus the pooled buffer's late free), each at its own
      // (device, type, address): an address's excess frees are its frees minus its allocations. The
      // worst address is one with the most.
      const excess = new Map<string, number>();
      for (const e of records) {
        if (e.kind !== EventKind.Alloc && e.kind !== EventKind.Free) continue;
        const key = `${e.flags & Flag.MeshDevice ? 'mesh' : 'chip'} ${e.device} ${e.memType} ${e.address}`;
        excess.set(key, (excess.get(key) ?? 0) + (e.kind === EventKind.Free ? 1 : -1));
      }
      const most = Math.max(...excess.values());
      const w = r.summary.worstAddress!;
      const type = ['DRAM', 'L1', 'SYSTEM_MEMORY', 'L1_SMALL', 'TRACE', 'CB'].indexOf(w.type);
      expect(w.excessFrees).toBe(most);
      expect(excess.get(`${w.deviceKind} ${w.device} ${type} ${w.address}`)).toBe(most);
    });
  });
}
