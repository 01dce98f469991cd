import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { drainRecords } from '../lib/testing';
import { Flag, MemType } from '../lib/events/format';
import * as sim from '../lib/sim';
import { buf, drainOps, K, N150, resetSim, useRuntime } from './helpers/sim-events';

// Bug modes: how the TT-Metal branch instrumented for the socket-fed allocation server reported the
// three lifecycle patterns (docs/sim.md#bug-modes), not upstream. Each is checked on every modelled generation.
const { DRAM } = MemType;
const BASE = N150.dramBase;

beforeAll(() => enable());
afterEach(resetSim);

describe.each(sim.RUNTIMES)('sim bug modes, runtime %s', (runtime) => {
  beforeEach(() => useRuntime(runtime));

  it('meshReplicaEvents: 9 allocations and 9 frees of one address, backing first on alloc, chips first on free', () => {
    expect(sim.configure({ bugs: { meshReplicaEvents: true } }).bugs).toEqual({
      meshReplicaEvents: true, viewEvents: false, programPoolLateFree: false, doubleDeallocate: false,
    });
    const mesh = sim.openMesh({ shape: [2, 4] });
    drainOps();
    const a = sim.createBuffer(mesh, { size: 4096, type: 'DRAM' });
    a.deallocate();
    // The per-chip buffers are constructed right after the backing buffer, one per chip in row-major
    // order: ids a.id + 1 … a.id + 8, at the backing buffer's address. Flags 0 (ownership unknown): no
    // TT-Metal tree has a public Buffer::owns_data() (buffer.hpp of every generation, docs/tt-metal.md),
    // so the processor cannot tell a replica from an owner.
    const replica = (i: number, kind: number) => buf(kind, mesh.chips[i], DRAM, a.id + 1 + i, BASE, 4096, { flags: 0 });
    const chips = [0, 1, 2, 3, 4, 5, 6, 7];
    expect(drainOps()).toEqual([
      buf(K.Alloc, mesh.id, DRAM, a.id, BASE, 4096, { flags: Flag.MeshDevice }),
      ...chips.map((i) => replica(i, K.Alloc)),
      ...chips.map((i) => replica(i, K.Free)),
      buf(K.Free, mesh.id, DRAM, a.id, BASE, 4096, { flags: Flag.MeshDevice }),
    ]);
  });

  it('programPoolLateFree: a pooled plain buffer freed explicitly frees again when the pool is released, after its address was reused', () => {
    sim.configure({ bugs: { programPoolLateFree: true } });
    const d = sim.openDevice();
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    const p = sim.createProgram(d);
    p.addBuffer(a);
    drainOps();
    a.deallocate();
    const b = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    expect(b.address).toBe(a.address); // first fit, bottom-up: a's block
    // The pool goes at the enqueue in 2025-06 (Program::release_buffers), at destruction since.
    p.launch();
    const atLaunch = drainOps();
    p.destroy();
    const atDestroy = drainOps();
    const late = buf(K.Free, d.id, DRAM, a.id, BASE, 4096);
    const before = [buf(K.Free, d.id, DRAM, a.id, BASE, 4096), buf(K.Alloc, d.id, DRAM, b.id, BASE, 4096)];
    expect([atLaunch, atDestroy]).toEqual(runtime === '2025-06' ? [[...before, late], []] : [before, [late]]);
  });

  it('programPoolLateFree off: the same sequence reports one free', () => {
    const d = sim.openDevice();
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    const p = sim.createProgram(d);
    p.addBuffer(a);
    drainOps();
    a.deallocate();
    p.launch();
    p.destroy();
    expect(drainOps()).toEqual([buf(K.Free, d.id, DRAM, a.id, BASE, 4096)]);
  });

  it('doubleDeallocate: every free is reported twice', () => {
    sim.configure({ bugs: { doubleDeallocate: true } });
    const d = sim.openDevice();
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    drainOps();
    a.deallocate();
    expect(drainOps()).toEqual([buf(K.Free, d.id, DRAM, a.id, BASE, 4096), buf(K.Free, d.id, DRAM, a.id, BASE, 4096)]);
  });
});

describe.each(sim.RUNTIMES)('llama-decode exercises every bug mode, runtime %s', (runtime) => {
  beforeEach(() => useRuntime(runtime));

  it('each mode adds its pattern to the event stream', () => {
    const run = () => {
      drainRecords();
      const counts = sim.runWorkload('llama-decode', { mesh: [2, 4], layers: 1, steps: 1 });
      return { counts, records: drainRecords() };
    };
    const kinds = (records: ReturnType<typeof drainRecords>, kind: number) => records.filter((r) => r.kind === kind);
    const base = run();
    const allocs = kinds(base.records, K.Alloc).length;
    const frees = kinds(base.records, K.Free).length;
    // Upstream: one allocate and one free per owning buffer.
    expect([allocs, frees]).toEqual([base.counts.buffers, base.counts.buffers]);

    sim.configure({ bugs: { meshReplicaEvents: true } });
    const replicas = run();
    // Every mesh buffer (all but the chip-0 ones) adds 8 replica allocations and frees.
    const meshBuffers = base.counts.buffers - base.counts.chipBuffers;
    expect(kinds(replicas.records, K.Alloc).length).toBe(allocs + 8 * meshBuffers);
    expect(kinds(replicas.records, K.Free).length).toBe(frees + 8 * meshBuffers);

    sim.configure({ bugs: { meshReplicaEvents: false, viewEvents: true } });
    const views = run();
    // Q, K and V views (non-empty, not the full range) allocate and free like owners: one more allocation
    // and one more free per view (counted, not told by flags: which flags mark a view is the processor's).
    expect(kinds(views.records, K.Alloc).length).toBe(allocs + base.counts.views);
    expect(kinds(views.records, K.Free).length).toBe(frees + base.counts.views);

    sim.configure({ bugs: { viewEvents: false, programPoolLateFree: true } });
    const late = run();
    // The chip-0 pooled buffer frees twice; the second time its address belongs to the buffer that reused it.
    const lateFrees = kinds(late.records, K.Free);
    expect(lateFrees.length).toBe(frees + 1);
    const byId = new Map<number, number>();
    for (const r of lateFrees) byId.set(r.objectId, (byId.get(r.objectId) ?? 0) + 1);
    const twice = [...byId].filter(([, n]) => n === 2).map(([id]) => id);
    expect(twice).toHaveLength(1);
    const stale = lateFrees.filter((r) => r.objectId === twice[0]);
    const reuse = kinds(late.records, K.Alloc).find((r) => r.objectId === twice[0] + 1)!;
    expect([stale[1].device, stale[1].address, stale[1].flags & Flag.MeshDevice]).toEqual([reuse.device, reuse.address, 0]);
    expect(late.records.indexOf(stale[1])).toBeGreaterThan(late.records.indexOf(reuse));

    sim.configure({ bugs: { programPoolLateFree: false, doubleDeallocate: true } });
    const doubled = run();
    expect(kinds(doubled.records, K.Free).length).toBe(2 * frees);
  });
});
