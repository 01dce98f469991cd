import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { Flag, MemType } from '../lib/events/format';
import { drainRecords } from '../lib/testing';
import * as sim from '../lib/sim';
import { brief, buf, drainOps, K, resetSim } from './helpers/sim-events';

const DRAM_BASE = 64;
const L1_BASE = 98304; // CBs grow up from the L1 unreserved base
const { DRAM, L1 } = MemType;

beforeAll(() => enable());
afterEach(resetSim);

describe('sim events: upstream semantics', () => {
  it('announces a device once: DeviceInfo per memory type with capacity over all banks', () => {
    const d = sim.openDevice();
    drainRecords();
    sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    const infos = drainRecords().filter((r) => r.kind === K.DeviceInfo).map((r) => [r.device, r.memType, r.size, r.aux, r.flags]);
    expect(infos).toEqual([
      [0, MemType.DRAM, 12 * (2 ** 30 - 8 * 2 ** 20 - 64), 12, 0],
      [0, MemType.L1, 64 * (1499136 - 32768 - 98304), 64, 0],
      [0, MemType.L1_SMALL, 64 * 32768, 64, 0],
      [0, MemType.TRACE, 12 * 8 * 2 ** 20, 12, 0],
    ]);
  });

  it('reports allocate after the address is assigned and free before release', () => {
    const d = sim.openDevice();
    drainOps();
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    const b = sim.createBuffer(d, { size: 4096, type: 'L1' });
    a.deallocate();
    const c = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    expect(c.address).toBe(DRAM_BASE);
    b.deallocate();
    c.deallocate();
    const l1 = 1499136 - 32768 - 2048;
    expect(drainOps()).toEqual([
      buf(K.Alloc, 0, DRAM, a.id, DRAM_BASE, 4096),
      buf(K.Alloc, 0, L1, b.id, l1, 4096),
      buf(K.Free, 0, DRAM, a.id, DRAM_BASE, 4096),
      buf(K.Alloc, 0, DRAM, c.id, DRAM_BASE, 4096),
      buf(K.Free, 0, L1, b.id, l1, 4096),
      buf(K.Free, 0, DRAM, c.id, DRAM_BASE, 4096),
    ]);
    expect(drainRecords()).toEqual([]);
  });

  it('reports nothing for zero-size buffers, buffers at an address, and views', () => {
    const d = sim.openDevice();
    drainOps();
    const zero = sim.createBuffer(d, { size: 0, type: 'DRAM' });
    const at = sim.createBuffer(d, { size: 4096, type: 'DRAM', address: 8192 });
    expect(at.address).toBe(8192);
    const root = sim.createBuffer(d, { size: 8192, type: 'DRAM' });
    const view = root.view(2048, 4096);
    expect(view.address).toBe(root.address + 2048);
    zero.deallocate();
    at.deallocate();
    view.deallocate();
    root.deallocate();
    expect(drainOps()).toEqual([buf(K.Alloc, 0, DRAM, root.id, DRAM_BASE, 8192), buf(K.Free, 0, DRAM, root.id, DRAM_BASE, 8192)]);
  });

  it('reports nothing for a buffer freed after its device closed', () => {
    const d = sim.openDevice();
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    drainOps();
    d.close();
    a.deallocate();
    expect(drainOps()).toEqual([]);
  });

  it('a view keeps its root alive: a mesh buffer viewed is freed when the view goes', () => {
    const mesh = sim.openMesh({ shape: [1, 2] });
    const a = sim.createBuffer(mesh, { size: 4096, type: 'DRAM' });
    const v = a.view(0, 2048);
    drainOps();
    a.deallocate();
    expect(drainOps()).toEqual([]);
    v.deallocate();
    expect(drainOps()).toEqual([buf(K.Free, 1000, DRAM, a.id, DRAM_BASE, 4096, { flags: Flag.MeshDevice })]);
  });

  it('a MeshBuffer on 2×4 reports one allocate and one free of the backing buffer on the mesh', () => {
    const mesh = sim.openMesh({ shape: [2, 4] });
    drainRecords();
    const a = sim.createBuffer(mesh, { size: 4096, type: 'DRAM' });
    const records = drainRecords();
    expect(records.filter((r) => r.kind === K.MeshChip).map((r) => [r.device, r.objectId, r.aux, r.size])).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((chip) => [1000, chip, chip, 8]),
    );
    expect(records.filter((r) => r.kind === K.DeviceInfo).map((r) => r.device)).toEqual([
      1000, 1000, 1000, 1000, ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap((c) => [c, c, c, c]),
    ]);
    expect(records.filter((r) => r.kind === K.DeviceInfo && r.device === 1000).every((r) => r.flags === Flag.MeshDevice)).toBe(true);
    // Announcements come before the allocation they precede.
    expect(records.at(-1)!.kind).toBe(K.Alloc);
    a.deallocate();
    expect([brief(records.at(-1)!), ...drainOps()]).toEqual([
      buf(K.Alloc, 1000, DRAM, a.id, DRAM_BASE, 4096, { flags: Flag.MeshDevice }),
      buf(K.Free, 1000, DRAM, a.id, DRAM_BASE, 4096, { flags: Flag.MeshDevice }),
    ]);
  });

  it('trace buffers are MeshBuffers of type TRACE at the bottom of the trace region', () => {
    const mesh = sim.openMesh({ shape: [2, 4] });
    drainOps();
    const t = sim.createBuffer(mesh, { size: 12 * 4096, type: 'TRACE' });
    expect(t.address).toBe(2 ** 30 - 8 * 2 ** 20);
    t.deallocate();
    expect(drainOps().map((e) => [e.kind, e.device, e.memType, e.address])).toEqual([
      [K.Alloc, 1000, MemType.TRACE, t.address],
      [K.Free, 1000, MemType.TRACE, t.address],
    ]);
  });

  it('programs: CBs on launch, released by the next program launched on the device', () => {
    const d = sim.openDevice();
    drainOps();
    const p1 = sim.createProgram(d);
    p1.addCircularBuffer({ size: 4096, cores: 64 });
    p1.addCircularBuffer({ size: 100, cores: 10, globallyAllocated: true });
    const p2 = sim.createProgram(d);
    p2.addCircularBuffer({ size: 2048, cores: 1 });
    expect(p1.launch()).toEqual([L1_BASE, L1_BASE + 4096]);
    p1.launch();
    p2.launch();
    const ev = (kind: number, objectId: number, address = 0, size = 0, aux = 0, flags = 0) =>
      ({ kind, device: 0, memType: kind === K.CbAlloc ? MemType.CB : MemType.None, objectId, address, size, flags, rootId: 0, aux });
    expect(drainOps()).toEqual([
      ev(K.Program, p1.id),
      ev(K.CbAlloc, p1.id, L1_BASE, 4096, 64, Flag.HasProgram),
      ev(K.CbAlloc, p1.id, L1_BASE + 4096, 100, 10, Flag.GloballyAllocated | Flag.HasProgram),
      ev(K.Program, p1.id),
      ev(K.CbRelease, 0),
      ev(K.Program, p2.id),
      ev(K.CbAlloc, p2.id, L1_BASE, 2048, 1, Flag.HasProgram),
    ]);
  });

  it('refuses CBs that would clash with L1 buffers (ERR_SIM_CB_CLASH), reporting nothing', () => {
    const d = sim.openDevice();
    sim.createBuffer(d, { size: 64 * (1499136 - 32768 - 98304 - 1024), type: 'L1', pageSize: 1499136 - 32768 - 98304 - 1024 });
    const p = sim.createProgram(d);
    p.addCircularBuffer({ size: 4096, cores: 64 });
    drainOps();
    expect(() => p.launch()).toThrow(expect.objectContaining({ code: 'ERR_SIM_CB_CLASH' }));
    expect(drainOps()).toEqual([]);
  });

  it('a program pool keeps a mesh buffer alive: its free comes when the program is destroyed', () => {
    const mesh = sim.openMesh({ shape: [2, 4] });
    const a = sim.createBuffer(mesh, { size: 4096, type: 'DRAM' });
    const p = sim.createProgram(mesh);
    p.addBuffer(a);
    drainOps();
    a.deallocate();
    expect(drainOps()).toEqual([]);
    p.destroy();
    expect(drainOps()).toEqual([buf(K.Free, 1000, DRAM, a.id, DRAM_BASE, 4096, { flags: Flag.MeshDevice })]);
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
    expect(sim.processor.registration).toBe('background');
    const before = sim.processor.callbacks();
    expect(sim.processor.detach()).toBe(true);
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    a.deallocate();
    expect(drainOps()).toEqual([]);
    expect(sim.processor.callbacks()).toBe(before);
    sim.processor.attach();
    const b = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    expect(sim.processor.callbacks()).toBe(before + 1);
    expect(drainOps()).toEqual([buf(K.Alloc, 0, DRAM, b.id, DRAM_BASE, 4096)]);
  });
});
