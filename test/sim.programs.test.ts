import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { TrackerError } from '../lib/errors';
import { Flag, MemType } from '../lib/events/format';
import * as sim from '../lib/sim';
import { buf, drainOps, K, N150, resetSim, useRuntime, type Ev } from './helpers/sim-events';

// Circular buffers, track_program, program pools and caches, device close, per generation.
// Upstream sources: ProgramImpl::allocate_circular_buffers / validate_circular_buffer_region
// (tt_metal/impl/program/program.cpp), ttnn's device-operation launch (track_program before the enqueue),
// EnqueueProgram (2025-06: Program::release_buffers after the enqueue), PR #37218 (2026-04-19: CBs per
// chip, globally allocated CBs reported, track_deallocate_cb per chip at program destruction),
// Device::close / MeshDevice::close.
const { DRAM, CB, None } = MemType;
const MESH = Flag.MeshDevice;

beforeAll(() => enable());
afterEach(resetSim);

/** A CB allocation as the processor reports it after a track_program of `program` (HasProgram). */
function cbAlloc(device: number, program: number, address: number, size: number, cores: number, flags = 0): Ev {
  return { kind: K.CbAlloc, device, memType: CB, objectId: program, address, size, flags: flags | Flag.HasProgram, rootId: 0, aux: cores };
}
/** A CB allocation without its program fields (a raw launch sends no track_program, see proc's issue). */
function cbAllocRaw(device: number, address: number, size: number, cores: number, flags = 0) {
  return { kind: K.CbAlloc, device, address, size, cores, flags };
}
function rawCbs(events: Ev[]) {
  return events.filter((e) => e.kind === K.CbAlloc).map((e) => ({
    kind: e.kind, device: e.device, address: e.address, size: e.size, cores: e.aux, flags: e.flags & ~Flag.HasProgram,
  }));
}
const program = (device: number, id: number, flags = 0): Ev => ({ kind: K.Program, device, memType: None, objectId: id, address: 0, size: 0, flags, rootId: 0, aux: 0 });
const cbRelease = (device: number, flags = 0): Ev => ({ kind: K.CbRelease, device, memType: None, objectId: 0, address: 0, size: 0, flags, rootId: 0, aux: 0 });

/** A program with a 100 B CB and a 4096 B CB on all 64 cores, and a 2048 B CB globally allocated in `global`. */
function threeCbs(device: sim.SimDevice, global: sim.SimBuffer): sim.SimProgram {
  const p = sim.createProgram(device);
  p.addCircularBuffer({ size: 100, cores: 64 });
  p.addCircularBuffer({ size: 4096, cores: 64 });
  p.addCircularBuffer({ size: 2048, cores: 64, buffer: global });
  return p;
}

describe('circular buffers, 2025-06: once per program, globally allocated skipped, never released', () => {
  const B = N150.l1Base['2025-06'];

  it('reports the locally allocated CBs on the first enqueue only, and no track_deallocate_cb anywhere', () => {
    useRuntime('2025-06');
    const d = sim.openDevice();
    const global = sim.createBuffer(d, { size: 64 * 2048, type: 'L1', layout: 'HEIGHT_SHARDED', cores: 64 });
    const p1 = threeCbs(d, global);
    const p2 = sim.createProgram(d);
    p2.addCircularBuffer({ size: 2048, cores: 1 });
    drainOps();
    // The first CB at the L1 unreserved base; the next above it, aligned to the DRAM alignment (32):
    // B + 100 → B + 128. The global CB lives at its buffer's address.
    expect(p1.launch()).toEqual([B, B + 128, global.address]);
    p1.launch();
    p2.launch(); // its own CB allocator: from the base again
    p1.destroy();
    p2.destroy();
    const events = drainOps();
    expect(rawCbs(events)).toEqual([cbAllocRaw(d.id, B, 100, 64), cbAllocRaw(d.id, B + 128, 4096, 64), cbAllocRaw(d.id, B, 2048, 1)]);
    expect(events.filter((e) => e.kind !== K.CbAlloc)).toEqual([]); // no Program (raw enqueue), no CbRelease
  });

  it('reports them again after invalidate_circular_buffer_allocation()', () => {
    useRuntime('2025-06');
    const d = sim.openDevice();
    const p = sim.createProgram(d);
    p.addCircularBuffer({ size: 2048, cores: 8 });
    drainOps();
    p.launch();
    p.launch();
    p.invalidateCircularBuffers();
    p.launch();
    expect(rawCbs(drainOps())).toEqual([cbAllocRaw(d.id, B, 2048, 8), cbAllocRaw(d.id, B, 2048, 8)]);
  });

  it('a mesh workload reports its CBs once, on the mesh', () => {
    useRuntime('2025-06');
    const mesh = sim.openMesh({ shape: [1, 2] });
    const p = sim.createProgram(mesh);
    p.addCircularBuffer({ size: 4096, cores: 64 });
    drainOps();
    p.launchOperation();
    p.launchOperation();
    p.destroy();
    mesh.clearProgramCache(); // destroys the program: 2025-06 has no track_deallocate_cb
    expect(drainOps()).toEqual([program(mesh.id, p.id, MESH), cbAlloc(mesh.id, p.id, B, 4096, 64, MESH), program(mesh.id, p.id, MESH)]);
  });
});

describe('circular buffers, 2026-04 (PR #37218): per chip, globally allocated reported, released at destruction', () => {
  const B = N150.l1Base['2026-04'];

  it('reports every CB once per chip, the global one at its buffer\'s address, and releases per chip when the program goes', () => {
    useRuntime('2026-04');
    const d = sim.openDevice();
    const global = sim.createBuffer(d, { size: 64 * 2048, type: 'L1', layout: 'HEIGHT_SHARDED', cores: 64 });
    const p1 = threeCbs(d, global);
    const p2 = sim.createProgram(d);
    p2.addCircularBuffer({ size: 2048, cores: 1 });
    drainOps();
    expect(p1.launch()).toEqual([B, B + 128, global.address]);
    p1.launch();
    p2.launch();
    p1.destroy();
    p2.destroy();
    const events = drainOps();
    expect(rawCbs(events)).toEqual([
      cbAllocRaw(d.id, B, 100, 64),
      cbAllocRaw(d.id, B + 128, 4096, 64),
      cbAllocRaw(d.id, global.address, 2048, 64, Flag.GloballyAllocated),
      cbAllocRaw(d.id, B, 2048, 1),
    ]);
    expect(events.filter((e) => e.kind !== K.CbAlloc)).toEqual([cbRelease(d.id), cbRelease(d.id)]);
  });

  it('a mesh workload reports its CBs on each chip, and each chip gets its release when the cache lets the program go', () => {
    useRuntime('2026-04');
    const mesh = sim.openMesh({ shape: [1, 2] });
    const p = sim.createProgram(mesh);
    p.addCircularBuffer({ size: 4096, cores: 64 });
    drainOps();
    p.launchOperation();
    p.launchOperation();
    p.destroy(); // the mesh's program cache still holds it
    expect(drainOps()).toEqual([
      program(mesh.id, p.id, MESH),
      cbAlloc(mesh.chips[0], p.id, B, 4096, 64),
      cbAlloc(mesh.chips[1], p.id, B, 4096, 64),
      program(mesh.id, p.id, MESH),
    ]);
    mesh.clearProgramCache();
    expect(drainOps()).toEqual([cbRelease(mesh.chips[0]), cbRelease(mesh.chips[1])]);
  });
});

describe.each(sim.RUNTIMES)('programs, runtime %s', (runtime) => {
  const B = N150.l1Base[runtime];
  const l1Capacity = N150.l1Bank - B;

  it('the CB allocation is reported before the clash check throws; its message names the program and both addresses', () => {
    useRuntime(runtime);
    const d = sim.openDevice();
    // One page per bank of capacity − 1024 B, top-down: the lowest L1 address is B + 1024.
    const page = l1Capacity - 1024;
    sim.createBuffer(d, { size: 64 * page, type: 'L1', pageSize: page });
    const p = sim.createProgram(d);
    p.addCircularBuffer({ size: 4096, cores: 64 });
    drainOps();
    const clash = new TrackerError('ERR_SIM_CB_CLASH', `circular buffers of program ${p.id} end at ${B + 4096} B, above the lowest L1 buffer at ${B + 1024} B`);
    expect(() => p.launchOperation()).toThrow(clash);
    // track_program, then allocate_circular_buffers (reported), then validate_circular_buffer_region throws.
    expect(drainOps()).toEqual([program(d.id, p.id), cbAlloc(d.id, p.id, B, 4096, 64)]);
    // The allocation stays done: a second launch reports the program only, and throws again.
    expect(() => p.launchOperation()).toThrow(clash);
    expect(drainOps()).toEqual([program(d.id, p.id)]);
  });

  it.each([
    // part, L1 unreserved base of the generation, DRAM alignment (the CB address alignment)
    ['n150', N150.l1Base[runtime], 32],
    ['p150', runtime === '2025-06' ? 98304 : 111104, 64],
  ] as const)('CB addresses on %s: from the L1 unreserved base, each aligned to the DRAM alignment', (part, base, alignment) => {
    useRuntime(runtime);
    const d = sim.openDevice({ part });
    const p = sim.createProgram(d);
    p.addCircularBuffer({ size: 70, cores: 8 });
    p.addCircularBuffer({ size: 70, cores: 8 });
    // The second CB starts at base + 70 rounded up to the DRAM alignment: base + 96 (32) or base + 128 (64).
    expect(p.launch()).toEqual([base, base + Math.ceil(70 / alignment) * alignment]);
  });

  it('track_program comes only from the device-operation path: a raw enqueue sends none', () => {
    useRuntime(runtime);
    const d = sim.openDevice();
    const p = sim.createProgram(d);
    drainOps();
    p.launch();
    expect(drainOps()).toEqual([]);
    p.launchOperation();
    expect(drainOps()).toEqual([program(d.id, p.id)]);
  });

  it('the program pool: 2025-06 releases it right after the enqueue, 2026-04 when the program is destroyed', () => {
    useRuntime(runtime);
    const d = sim.openDevice();
    const p = sim.createProgram(d);
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    p.addBuffer(a);
    a.release(); // the pool is now its only holder
    drainOps();
    p.launch();
    const atEnqueue = drainOps();
    p.destroy();
    const atDestroy = drainOps();
    const free = buf(K.Free, d.id, DRAM, a.id, N150.dramBase, 4096);
    expect([atEnqueue, atDestroy]).toEqual(runtime === '2025-06' ? [[free], []] : [[], [free]]);
  });

  it('Device::close clears the program cache while initialized: the cached program\'s pool frees (and 2026 CB releases) are reported, nothing after', () => {
    useRuntime(runtime);
    const d = sim.openDevice();
    const p = sim.createProgram(d);
    p.addCircularBuffer({ size: 2048, cores: 64 });
    p.launchOperation(); // cached by the device-operation path
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    p.addBuffer(a); // after the enqueue: in 2025-06 too the pool holds it until the program goes
    a.release();
    const late = sim.createBuffer(d, { size: 2048, type: 'DRAM' });
    p.destroy(); // the cache keeps the program
    drainOps();
    d.close();
    const free = buf(K.Free, d.id, DRAM, a.id, N150.dramBase, 4096);
    expect(drainOps()).toEqual(runtime === '2025-06' ? [free] : [cbRelease(d.id), free]);
    late.deallocate(); // the device is closed: no event
    expect(drainOps()).toEqual([]);
  });

  it('MeshDevice::close does not clear the program cache: its programs go later without events', () => {
    useRuntime(runtime);
    const mesh = sim.openMesh({ shape: [1, 2] });
    const p = sim.createProgram(mesh);
    p.addCircularBuffer({ size: 2048, cores: 64 });
    p.launchOperation();
    const a = sim.createBuffer(mesh, { size: 4096, type: 'DRAM' });
    p.addBuffer(a);
    a.release();
    p.destroy();
    drainOps();
    mesh.close();
    expect(drainOps()).toEqual([]);
  });
});
