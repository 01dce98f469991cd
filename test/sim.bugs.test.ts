import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { Flag, MemType } from '../lib/events/format';
import * as sim from '../lib/sim';
import { buf, drainOps, K, resetSim } from './helpers/sim-events';

const DRAM_BASE = 64;
const { DRAM } = MemType;
const CHIPS = [0, 1, 2, 3, 4, 5, 6, 7];

beforeAll(() => enable());
afterEach(resetSim);

describe('sim bug modes (the earlier instrumented branch)', () => {
  it('meshReplicaEvents: 9 allocations and 9 frees of one address, backing first on alloc, chips first on free', () => {
    expect(sim.configure({ bugs: { meshReplicaEvents: true } })).toEqual({
      meshReplicaEvents: true, viewEvents: false, programPoolLateFree: false, doubleDeallocate: false,
    });
    const mesh = sim.openMesh({ shape: [2, 4] });
    drainOps();
    const a = sim.createBuffer(mesh, { size: 4096, type: 'DRAM' });
    a.deallocate();
    const events = drainOps();
    // Replica ids follow the backing id: created right after it, one per chip in row-major order.
    // Flags 0 (ownership unknown): no TT-Metal tree has a public Buffer::owns_data() (buffer.hpp of
    // every generation in docs/tt-metal.md), so the processor cannot tell a replica from an owner.
    const replica = (chip: number, kind: number) =>
      buf(kind, chip, DRAM, a.id + 1 + chip, DRAM_BASE, 4096, { flags: 0 });
    expect(events).toEqual([
      buf(K.Alloc, 1000, DRAM, a.id, DRAM_BASE, 4096, { flags: Flag.MeshDevice }),
      ...CHIPS.map((c) => replica(c, K.Alloc)),
      ...CHIPS.map((c) => replica(c, K.Free)),
      buf(K.Free, 1000, DRAM, a.id, DRAM_BASE, 4096, { flags: Flag.MeshDevice }),
    ]);
    expect(events.filter((e) => e.kind === K.Alloc).length).toBe(9);
    expect(events.filter((e) => e.kind === K.Free).length).toBe(9);
  });

  it('viewEvents: a view allocates and frees like an owner, naming its root and offset', () => {
    sim.configure({ bugs: { viewEvents: true } });
    const d = sim.openDevice();
    const root = sim.createBuffer(d, { size: 8192, type: 'DRAM' });
    drainOps();
    const v = root.view(1024, 2048);
    v.deallocate();
    root.deallocate();
    // A view is non-owning by construction (Buffer::view creates it with owns_data false), and its
    // nonzero offset in root_buffer_region() is what tells the processor it is one.
    const viewFields = { flags: Flag.NonOwning | Flag.View, rootId: root.id, aux: 1024 };
    expect(drainOps()).toEqual([
      buf(K.Alloc, 0, DRAM, v.id, DRAM_BASE + 1024, 2048, viewFields),
      buf(K.Free, 0, DRAM, v.id, DRAM_BASE + 1024, 2048, viewFields),
      buf(K.Free, 0, DRAM, root.id, DRAM_BASE, 8192),
    ]);
  });

  it('viewEvents: a view of a view names the first root and the summed offset', () => {
    sim.configure({ bugs: { viewEvents: true } });
    const d = sim.openDevice();
    const root = sim.createBuffer(d, { size: 8192, type: 'DRAM' });
    const v1 = root.view(1024, 4096);
    drainOps();
    const v2 = v1.view(512, 1024);
    expect(drainOps()).toEqual([
      buf(K.Alloc, 0, DRAM, v2.id, DRAM_BASE + 1536, 1024, { flags: Flag.NonOwning | Flag.View, rootId: root.id, aux: 1536 }),
    ]);
  });

  it('programPoolLateFree: the stale object frees again at program destroy, after its address was reused', () => {
    sim.configure({ bugs: { programPoolLateFree: true } });
    const d = sim.openDevice();
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    const p = sim.createProgram(d);
    p.addBuffer(a);
    drainOps();
    a.deallocate();
    const b = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    expect(b.address).toBe(a.address);
    p.destroy();
    expect(drainOps()).toEqual([
      buf(K.Free, 0, DRAM, a.id, DRAM_BASE, 4096),
      buf(K.Alloc, 0, DRAM, b.id, DRAM_BASE, 4096),
      buf(K.Free, 0, DRAM, a.id, DRAM_BASE, 4096),
    ]);
  });

  it('programPoolLateFree off: the same sequence reports one free', () => {
    const d = sim.openDevice();
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    const p = sim.createProgram(d);
    p.addBuffer(a);
    drainOps();
    a.deallocate();
    p.destroy();
    expect(drainOps()).toEqual([buf(K.Free, 0, DRAM, a.id, DRAM_BASE, 4096)]);
  });

  it('doubleDeallocate: every free is reported twice', () => {
    sim.configure({ bugs: { doubleDeallocate: true } });
    const d = sim.openDevice();
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    drainOps();
    a.deallocate();
    expect(drainOps()).toEqual([buf(K.Free, 0, DRAM, a.id, DRAM_BASE, 4096), buf(K.Free, 0, DRAM, a.id, DRAM_BASE, 4096)]);
  });
});
