import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { Flag, MEM_TYPE_NAMES, MemType } from '../lib/events/format';
import { drainRecords } from '../lib/testing';
import * as sim from '../lib/sim';
import { buf, drainOps, K, N150, resetSim, TOP_DOWN, useRuntime } from './helpers/sim-events';
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
    const infos = drainRecords().filter((r) => r.kind === K.DeviceInfo).map((r) => [r.device, r.memType, r.size, r.aux, r.flags, r.address]);
    // Upstream defaults DEFAULT_L1_SMALL_SIZE = DEFAULT_TRACE_REGION_SIZE = 0 (hostdevcommon/common_values.hpp):
    // DRAM is [32, 1 GiB) of each of 12 banks; L1 is [L1 unreserved base, 1,499,136) of each of 64 cores;
    // L1_SMALL and TRACE have no capacity, so no DeviceInfo. Each carries its bank's base with BaseKnown
    // (get_base_allocator_addr(HalMemType::DRAM / L1): the DRAM base 32, the L1 unreserved base).
    expect(infos).toEqual([
      [d.id, DRAM, 12 * (N150.dramBank - N150.dramBase), 12, Flag.BaseKnown, N150.dramBase],
      [d.id, L1, 64 * (N150.l1Bank - N150.l1Base[runtime]), 64, Flag.BaseKnown, N150.l1Base[runtime]],
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
      buf(K.Alloc, d.id, L1, b.id, l1, 4096, { flags: TOP_DOWN }),
      buf(K.Free, d.id, DRAM, a.id, N150.dramBase, 4096),
      buf(K.Alloc, d.id, DRAM, c.id, N150.dramBase, 4096),
      buf(K.Free, d.id, L1, b.id, l1, 4096, { flags: TOP_DOWN }),
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

// DeviceInfo's bank base (flag BaseKnown, `address`): the lowest allocatable address of one bank of the
// type, from the allocator (native/processor/alloc_processor.cpp emit_capacities). Upstream
// tt_metal/impl/allocator: the DRAM bank manager starts at dram_unreserved_base and the L1 one at
// l1_unreserved_base (Allocator::get_base_allocator_addr(HalMemType::DRAM / L1)); the trace bank
// manager at dram_bank_size + dram_unreserved_base, the top of the DRAM manager
// (init_one_bank_per_channel: "UNRESERVED | DRAM BANK | TRACE REGION"); the L1_SMALL one at
// small_alloc_offset = l1_unreserved_base + allocatable_l1_size, the top of the L1 manager
// (init_compute_and_storage_l1_bank_manager).
describe('DeviceInfo carries each bank type\'s base (BaseKnown)', () => {
  // Part constants (native/sim/part.hpp; docs/sim.md#parts): DRAM banks × bank bytes and the DRAM
  // unreserved base; L1 bytes per core, worker cores (L1 banks) and the L1 unreserved base per generation.
  const PARTS = {
    n150: { dramBanks: 12, dramBank: 1073741824, dramBase: 32, l1Bank: 1499136, l1Banks: 64, l1Base: { '2025-06': 97248, '2026-04': 103712 } },
    n300: { dramBanks: 12, dramBank: 1073741824, dramBase: 32, l1Bank: 1499136, l1Banks: 56, l1Base: { '2025-06': 97248, '2026-04': 103712 } },
    p150: { dramBanks: 8, dramBank: 4278190080, dramBase: 64, l1Bank: 1572864, l1Banks: 130, l1Base: { '2025-06': 98304, '2026-04': 111104 } },
  } as const;
  // Non-zero L1_SMALL and trace regions so all four types are announced: 32 KiB per L1 bank and 8 MiB
  // per DRAM bank (multiples of the L1 alignment 16 and of the DRAM alignments 32 and 64).
  const L1_SMALL_SIZE = 32768;
  const TRACE_SIZE = 8388608;
  const cases = sim.RUNTIMES.flatMap((runtime) => (['n150', 'n300', 'p150'] as const).map((part) => [part, runtime] as const));

  it.each(cases)('%s, runtime %s: DRAM and L1 at their unreserved bases, TRACE above DRAM, L1_SMALL above L1', (part, runtime) => {
    useRuntime(runtime);
    const p = PARTS[part];
    const d = sim.openDevice({ part, l1SmallSize: L1_SMALL_SIZE, traceRegionSize: TRACE_SIZE });
    sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    const infos = drainRecords().filter((r) => r.kind === K.DeviceInfo).map((r) => [r.memType, r.address, r.flags, r.size, r.aux]);
    const dramTop = p.dramBank - TRACE_SIZE; // where the trace region starts
    const l1Top = p.l1Bank - L1_SMALL_SIZE; // where the L1_SMALL region starts
    const base = p.l1Base[runtime];
    expect(infos).toEqual([
      [MemType.DRAM, p.dramBase, Flag.BaseKnown, p.dramBanks * (dramTop - p.dramBase), p.dramBanks],
      [MemType.L1, base, Flag.BaseKnown, p.l1Banks * (l1Top - base), p.l1Banks],
      [MemType.L1_SMALL, l1Top, Flag.BaseKnown, p.l1Banks * L1_SMALL_SIZE, p.l1Banks],
      [MemType.TRACE, dramTop, Flag.BaseKnown, p.dramBanks * TRACE_SIZE, p.dramBanks],
    ]);
    // The same bases as the allocator's own statistics say (allocatorStats().base).
    for (const [type, address] of infos) {
      expect(sim.allocatorStats(d, MEM_TYPE_NAMES[type] as sim.SimBufferType).base).toBe(address);
    }
  });

  it('exact values: n150 2026-04 L1_SMALL at 1,499,136 − 32,768 = 1,466,368; p150 TRACE at 4,278,190,080 − 8 MiB = 4,269,801,472', () => {
    useRuntime('2026-04');
    const n150 = sim.openDevice({ part: 'n150', l1SmallSize: L1_SMALL_SIZE });
    const p150 = sim.openDevice({ part: 'p150', traceRegionSize: TRACE_SIZE });
    sim.createBuffer(n150, { size: 4096, type: 'DRAM' });
    sim.createBuffer(p150, { size: 4096, type: 'DRAM' });
    const infos = drainRecords().filter((r) => r.kind === K.DeviceInfo).map((r) => [r.device, r.memType, r.address]);
    expect(infos).toEqual([
      [n150.id, MemType.DRAM, 32], [n150.id, MemType.L1, 103712], [n150.id, MemType.L1_SMALL, 1466368],
      [p150.id, MemType.DRAM, 64], [p150.id, MemType.L1, 111104], [p150.id, MemType.TRACE, 4269801472],
    ]);
  });

  it('a mesh announces the same bases as its chips (one per-chip-identical allocator), with MeshDevice', () => {
    useRuntime('2026-04');
    const mesh = sim.openMesh({ shape: [1, 2], part: 'n300' });
    sim.createBuffer(mesh, { size: 4096, type: 'DRAM' });
    const infos = drainRecords().filter((r) => r.kind === K.DeviceInfo).map((r) => [r.device, r.memType, r.address, r.flags]);
    const BOTH = Flag.BaseKnown | Flag.MeshDevice;
    expect(infos).toEqual([
      [mesh.id, MemType.DRAM, 32, BOTH], [mesh.id, MemType.L1, 103712, BOTH],
      [mesh.chips[0], MemType.DRAM, 32, Flag.BaseKnown], [mesh.chips[0], MemType.L1, 103712, Flag.BaseKnown],
      [mesh.chips[1], MemType.DRAM, 32, Flag.BaseKnown], [mesh.chips[1], MemType.L1, 103712, Flag.BaseKnown],
    ]);
  });
});

// TopDown (flag bit 7 on Alloc and Free) = !Buffer::bottom_up(); upstream Buffer::Buffer sets
// bottom_up_(bottom_up.value_or(is_dram())) in every generation, and MeshTrace::populate_mesh_buffer
// asks for top-down DRAM when the trace region is 0 since PR #36999 (2026-04 here).
describe('TopDown on buffer events', () => {
  it('L1 and L1_SMALL buffers carry it, DRAM and TRACE buffers do not (the default direction)', () => {
    useRuntime('2026-04');
    const d = sim.openDevice({ l1SmallSize: 32768, traceRegionSize: 8388608 });
    drainRecords();
    const dram = sim.createBuffer(d, { size: 2048, type: 'DRAM' });
    const l1 = sim.createBuffer(d, { size: 2048, type: 'L1' });
    const small = sim.createBuffer(d, { size: 2048, type: 'L1_SMALL', layout: 'HEIGHT_SHARDED', cores: 1 });
    const trace = sim.createBuffer(d, { size: 2048, type: 'TRACE' });
    for (const b of [dram, l1, small, trace]) b.deallocate();
    const flags = drainOps().map((e) => [e.kind, e.memType, e.flags]);
    expect(flags).toEqual([
      [K.Alloc, MemType.DRAM, 0], [K.Alloc, MemType.L1, Flag.TopDown], [K.Alloc, MemType.L1_SMALL, Flag.TopDown],
      [K.Alloc, MemType.TRACE, 0],
      [K.Free, MemType.DRAM, 0], [K.Free, MemType.L1, Flag.TopDown], [K.Free, MemType.L1_SMALL, Flag.TopDown],
      [K.Free, MemType.TRACE, 0],
    ]);
  });

  it('a trace buffer: 2026-04 with no trace region a top-down DRAM buffer (TopDown); 2025-06 a TRACE buffer, bottom-up', () => {
    useRuntime('2026-04');
    const d = sim.openDevice();
    drainRecords();
    sim.createTraceBuffer(d, 2048).deallocate();
    expect(drainOps().map((e) => [e.kind, e.memType, e.flags])).toEqual([
      [K.Alloc, MemType.DRAM, Flag.TopDown], [K.Free, MemType.DRAM, Flag.TopDown],
    ]);
    useRuntime('2025-06');
    const old = sim.openDevice({ traceRegionSize: 8388608 });
    drainRecords();
    sim.createTraceBuffer(old, 2048).deallocate();
    expect(drainOps().map((e) => [e.kind, e.memType, e.flags])).toEqual([[K.Alloc, MemType.TRACE, 0], [K.Free, MemType.TRACE, 0]]);
  });
});
