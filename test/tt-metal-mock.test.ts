/**
 * The processor and the aggregator on the REAL TT-Metal runtime: ttnn 0.70.1's libtt_metal.so with
 * mock devices (our cluster descriptors, scripts/tt-metal-mock/cluster/; firmware and dispatch
 * skipped), driven through native/tt-metal-mock (CreateDevice, MeshDevice::create, Buffer::create,
 * Buffer::view, MeshBuffer::create, CreateCircularBuffer + detail::LaunchProgram). Every event here
 * comes from TT-Metal's own GraphTracker calling the addon's processor.
 *
 * Run by `npm run test:tt-metal-mock` (scripts/tt-metal-mock/run.sh fetches the pinned wheel, builds
 * the addon's TT-Metal flavour and the driver, then runs this file with its own vitest config); not
 * part of `npm test`, so a missing build here is a failure, not a skip.
 *
 * Expected values are derived from TT-Metal's allocator rules and Wormhole's memory map, each in a
 * comment; the driver's answers (what the runtime's Buffer objects say) are checked against the same
 * derivations, so a class-layout mismatch between the headers and the library shows as a wrong field.
 */
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../lib/aggregator/aggregator';
import { EventKind as K, Flag, MemType, type EventRecord } from '../lib/events/format';
import type { DeviceReport, MemoryUsage, Report } from '../lib/report/types';
import { batches, brief, decode, runReal, type RealRun, type Scenario } from './tt-metal-mock.helpers';

// --- Wormhole B0 memory map, as TT-Metal 0.70.1 sets it up ------------------------------------------
// L1 per Tensix core: MEM_L1_SIZE = 1464 KiB (tt_metal/hw/inc/internal/tt-1xx/wormhole/dev_mem_map.h).
const L1_SIZE = 1464 * 1024;
// DRAM: 12 banks of 1 GiB (TT-Metal's wormhole_b0 system descriptor: num_dram_channels 12,
// dram_channel_size 1073741824); the first 32 bytes of a bank are reserved (dram_unreserved_base 32).
const DRAM_BANKS = 12;
const DRAM_BANK = 1 << 30;
const DRAM_BASE = 32;
// Sizes we ask for when opening (scripts/tt-metal-mock/scenario.js): the L1_SMALL region is carved from
// the top of every L1 bank, the trace region from the top of every DRAM bank (Allocator config in
// tt_metal/impl/allocator/l1_banking_allocator.cpp).
const L1_SMALL = 32768;
const TRACE_REGION = 8 << 20;
// A Tensix grid of 8x10 with harvested rows removed; the mock n150 harvests 1 row (harvest_mask 32):
// 8x9 = 72 L1 banks. The mock n300's chips harvest 2 rows each (masks 65 and 5): 8x8 = 64.
const N150_L1_BANKS = 72;
const N300_L1_BANKS = 64;
// The lowest allocatable address of one bank per type, as DeviceInfo announces it (upstream
// tt_metal/impl/allocator, the rule of every generation; native/processor/alloc_processor.cpp):
// DRAM: get_base_allocator_addr(HalMemType::DRAM) = dram_unreserved_base = 32, where buffer A lands.
// TRACE: the trace bank manager sits at dram_bank_size + dram_unreserved_base (init_one_bank_per_channel,
//   "UNRESERVED | DRAM BANK | TRACE REGION"): 1 GiB − 8 MiB = 1,065,353,216, where TRACE buffer C lands.
// L1: get_base_allocator_addr(HalMemType::L1) = l1_unreserved_base = 103,712, where the first CB lands.
// L1_SMALL: small_alloc_offset = l1_unreserved_base + allocatable_l1_size
//   (init_compute_and_storage_l1_bank_manager) = L1 size − L1_SMALL = 1,466,368.
const DRAM_BASE_ADDR = DRAM_BASE;
const TRACE_BASE = DRAM_BANK - TRACE_REGION; // 1065353216
const L1_SMALL_BASE = L1_SIZE - L1_SMALL; // 1466368
// Flag TopDown on Alloc/Free = !Buffer::bottom_up(): Buffer::Buffer sets bottom_up_(bottom_up.value_or(
// is_dram())), so interleaved L1 and sharded L1_SMALL buffers are top-down, DRAM and TRACE bottom-up.
const TOP = Flag.TopDown;
// TensorMemoryLayout::INTERLEAVED = 0, HEIGHT_SHARDED = 2 (tt_metal/api/tt-metalium/buffer_types.hpp).
const INTERLEAVED = 0;
const HEIGHT_SHARDED = 2;

interface DeviceFacts { handle: number; id: number; mesh: boolean; chips: number[]; banks: number[]; bankBytes: number[] }

function run(scenario: Scenario): { out: RealRun; events: EventRecord[]; report: Report } {
  const out = runReal(scenario);
  const agg = new Aggregator();
  for (const batch of batches(out.records)) agg.consume(batch);
  return { out, events: decode(out.records), report: agg.report({ dropped: 0 }) };
}

const NONE = 255; // MemType.None / no layout
/** DeviceInfo as the processor announces it: capacity over all banks, banks, and the bank's base (BaseKnown). */
const info = (device: number, memType: number, bytes: number, banks: number, base: number, flags = 0) =>
  ({ kind: K.DeviceInfo, device, memType, layout: NONE, flags: flags | Flag.BaseKnown, objectId: 0, address: base, size: bytes, pageSize: 0, rootId: 0, aux: banks });
const bufferEvent = (kind: number, device: number, memType: number, id: number, address: number, size: number, pageSize: number, flags = 0, layout = INTERLEAVED) =>
  ({ kind, device, memType, layout, flags, objectId: id, address, size, pageSize, rootId: 0, aux: 0 });

/** Every anomaly counter that is not 0 (path: value) and the number of examples: zero anomalies is {}. */
function nonZeroAnomalies(report: Report): Record<string, number> {
  const found: Record<string, number> = {};
  const walk = (value: unknown, at: string): void => {
    if (typeof value === 'number') {
      if (value !== 0) found[at] = value;
    } else if (Array.isArray(value)) {
      if (value.length > 0) found[`${at}.length`] = value.length;
    } else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) walk(v, at ? `${at}.${key}` : key);
    }
  };
  walk(report.anomalies, '');
  // The classes other than ok are anomalies too (alias is a lifecycle fact, but none happens here).
  for (const side of ['alloc', 'free'] as const) {
    for (const [key, n] of Object.entries(report.classes[side])) if (key !== 'ok' && n !== 0) found[`classes.${side}.${key}`] = n;
  }
  return found;
}
// Everything allocated is freed again.
const usage = (peak: number, allocated: number) => ({ current: 0, peak, allocated, freed: allocated, liveBuffers: 0 });
const unused = usage(0, 0);
const device = (report: Report, id: number, kind: DeviceReport['kind']) => report.devices.find((d) => d.id === id && d.kind === kind);

/** Every field given is exact; `lost` (bytes of buffers a closing device took with it, where the report
 * has that field) must be 0 for every type: every buffer was freed before its device closed. */
// `lost` is checked on its own below, so the expected usages leave it out.
type ExpectedDevice = Partial<Omit<DeviceReport, 'memory'>> & { memory?: Record<string, Omit<MemoryUsage, 'lost'>> };

function expectDevice(actual: DeviceReport | undefined, expected: ExpectedDevice): void {
  expect(actual).toMatchObject(expected);
  for (const m of Object.values(actual!.memory)) expect((m as { lost?: number }).lost ?? 0).toBe(0);
}

describe('real TT-Metal 0.70.1, one mock Wormhole n150', () => {
  const { out, events, report } = run('chip');
  const f = out.facts;

  // Per-bank capacities: DRAM = bank - trace region - reserved base; L1 = L1 size - L1_SMALL - the L1
  // unreserved base (firmware, mailboxes: not a public constant, so taken from the runtime below and
  // checked against where the first CB lands).
  const DRAM_PER_BANK = DRAM_BANK - TRACE_REGION - DRAM_BASE; // 1065353184
  const L1_BASE = L1_SIZE - L1_SMALL - (f.device as DeviceFacts).bankBytes[1];

  it('registers the processor process-wide (processors are not thread_local before 2026-05)', () => {
    expect(out.registration).toBe('global');
    // 5 allocates + 5 deallocates + 2 CB allocations + 1 CB release reached the processor.
    expect(out.callbacks).toBe(13);
  });

  it("the runtime's own answers match Wormhole's map (headers and library agree on Buffer's layout)", () => {
    expect(f.device).toEqual({
      handle: 1, id: 0, mesh: false, chips: [],
      // get_num_banks per BufferType (DRAM, L1, SYSTEM_MEMORY, L1_SMALL, TRACE); SYSTEM_MEMORY has no
      // allocator ("Unsupported buffer type!", reported 0).
      banks: [DRAM_BANKS, N150_L1_BANKS, 0, N150_L1_BANKS, DRAM_BANKS],
      bankBytes: [DRAM_PER_BANK, f.device.bankBytes[1], 0, L1_SMALL, TRACE_REGION],
      // get_base_allocator_addr(HalMemType::DRAM), (HalMemType::L1): the unreserved bases.
      baseAddresses: [DRAM_BASE, 103712],
    });
    expect(L1_BASE).toBe(103712);
    // Buffer ids count from 0 per process (Buffer::next_unique_id); a view takes the next id too.
    // DRAM A: bottom-up from the base. L1 B: interleaved L1 allocates top-down from below L1_SMALL,
    // 4 pages over 72 banks = 1 page (2048 B) per bank. TRACE C: bottom of the trace region (top 8 MiB
    // of each DRAM bank). DRAM D: right after A, which holds ceil(4 / 12) = 1 page of 2048 B per bank.
    expect(f.dramA).toMatchObject({ id: 0, device: 0, type: 0, address: DRAM_BASE, size: 8192, pageSize: 2048 });
    expect(f.l1B).toMatchObject({ id: 1, device: 0, type: 1, address: L1_SIZE - L1_SMALL - 2048, size: 8192, pageSize: 2048 });
    expect(f.traceC).toMatchObject({ id: 2, device: 0, type: 4, address: DRAM_BANK - TRACE_REGION, size: 8192, pageSize: 2048 });
    expect(f.dramD).toMatchObject({ id: 3, device: 0, type: 0, address: DRAM_BASE + 2048, size: 4096, pageSize: 4096 });
    // Buffer::view: a new Buffer (next id) at the root's address, region size.
    expect(f.viewV).toMatchObject({ id: 4, device: 0, type: 0, address: DRAM_BASE, size: 4096, pageSize: 2048 });
    // L1_SMALL E, HEIGHT_SHARDED over 2 cores, 2 pages of 2048 B each: the L1_SMALL region is the top
    // 32 KiB of every L1 bank and allocates top-down, so each core's shard sits at L1 size - 4096.
    expect(f.shardedE).toMatchObject({ id: 5, device: 0, type: 3, address: L1_SIZE - 4096, size: 8192, pageSize: 2048 });
    // The first program of a process gets runtime id 0.
    expect(f.program.id).toBe(0);
  });

  it('emits exactly the events GraphTracker reported, field by field', () => {
    expect(events.map(brief)).toEqual([
      // First sighting of device 0: capacity per memory type over all banks, and each bank's base.
      info(0, MemType.DRAM, DRAM_BANKS * DRAM_PER_BANK, DRAM_BANKS, DRAM_BASE_ADDR),
      info(0, MemType.L1, N150_L1_BANKS * (L1_SIZE - L1_SMALL - L1_BASE), N150_L1_BANKS, L1_BASE),
      info(0, MemType.L1_SMALL, N150_L1_BANKS * L1_SMALL, N150_L1_BANKS, L1_SMALL_BASE),
      info(0, MemType.TRACE, DRAM_BANKS * TRACE_REGION, DRAM_BANKS, TRACE_BASE),
      // Buffer::allocate_impl -> GraphTracker::track_allocate. 2026-04 has no owns_data(): neither
      // Owning nor NonOwning. No event for the view: 0.70.1's Buffer::view allocates nothing and
      // GraphTracker is not told. L1 B and L1_SMALL E are top-down (TopDown), A, C and D bottom-up.
      bufferEvent(K.Alloc, 0, MemType.DRAM, 0, DRAM_BASE, 8192, 2048),
      bufferEvent(K.Alloc, 0, MemType.L1, 1, L1_SIZE - L1_SMALL - 2048, 8192, 2048, TOP),
      bufferEvent(K.Alloc, 0, MemType.TRACE, 2, DRAM_BANK - TRACE_REGION, 8192, 2048),
      bufferEvent(K.Alloc, 0, MemType.DRAM, 3, DRAM_BASE + 2048, 4096, 4096),
      bufferEvent(K.Alloc, 0, MemType.L1_SMALL, 5, L1_SIZE - 4096, 8192, 2048, TOP, HEIGHT_SHARDED),
      // LaunchProgram allocates the CBs (Program::allocate_circular_buffers -> track_allocate_cb): the
      // first at the L1 unreserved base on cores (0,0)-(1,1) = 4 cores, the second after it on (0,0).
      // Slow-dispatch LaunchProgram does not call track_program, so no program id (no HasProgram).
      { kind: K.CbAlloc, device: 0, memType: MemType.CB, layout: NONE, flags: 0, objectId: 0, address: L1_BASE, size: 4096, pageSize: 0, rootId: 0, aux: 4 },
      { kind: K.CbAlloc, device: 0, memType: MemType.CB, layout: NONE, flags: 0, objectId: 0, address: L1_BASE + 4096, size: 8192, pageSize: 0, rootId: 0, aux: 1 },
      // The program's destructor releases its CBs (track_deallocate_cb).
      { kind: K.CbRelease, device: 0, memType: NONE, layout: NONE, flags: 0, objectId: 0, address: 0, size: 0, pageSize: 0, rootId: 0, aux: 0 },
      // A goes when its view (the last other owner) is gone; B by DeallocateBuffer; C, D, E on release.
      bufferEvent(K.Free, 0, MemType.DRAM, 0, DRAM_BASE, 8192, 2048),
      bufferEvent(K.Free, 0, MemType.L1, 1, L1_SIZE - L1_SMALL - 2048, 8192, 2048, TOP),
      bufferEvent(K.Free, 0, MemType.TRACE, 2, DRAM_BANK - TRACE_REGION, 8192, 2048),
      bufferEvent(K.Free, 0, MemType.DRAM, 3, DRAM_BASE + 2048, 4096, 4096),
      bufferEvent(K.Free, 0, MemType.L1_SMALL, 5, L1_SIZE - 4096, 8192, 2048, TOP, HEIGHT_SHARDED),
    ]);
  });

  it('reports per-type usage with no anomaly', () => {
    expect(report.complete).toBe(true);
    expect(report.events).toMatchObject({ total: 17, alloc: 5, free: 5, cbAlloc: 2, cbRelease: 1, program: 0, deviceInfo: 4, meshChip: 0, dropped: 0 });
    expect(report.classes.alloc.ok).toBe(5);
    expect(report.classes.free.ok).toBe(5);
    expect(nonZeroAnomalies(report)).toEqual({});
    expect(report.leaks).toEqual([]);
    expect(report.devices).toHaveLength(1);
    expectDevice(device(report, 0, 'chip'), {
      id: 0, kind: 'chip',
      capacity: { DRAM: DRAM_BANKS * DRAM_PER_BANK, L1: N150_L1_BANKS * (L1_SIZE - L1_SMALL - L1_BASE), L1_SMALL: N150_L1_BANKS * L1_SMALL, TRACE: DRAM_BANKS * TRACE_REGION },
      memory: {
        // A and D live together: 8192 + 4096.
        DRAM: usage(12288, 2), L1: usage(8192, 1), SYSTEM_MEMORY: unused, L1_SMALL: usage(8192, 1), TRACE: usage(8192, 1),
        // Both CBs of the program live together: 4096 + 8192.
        CB: usage(12288, 2),
      },
    });
  });

  it('fragmentation starts from the announced bases (baseFrom deviceInfo), exact from the first allocation', () => {
    const rows = report.l1!.fragmentation.map((r) => [r.type, r.base, r.baseFrom, r.capacityPerBank, r.lowestLargestFreeBlock?.bytes]);
    // Lowest largest free block per type: DRAM after A (2048 B per bank) and D (4096) at the base:
    // DRAM_PER_BANK − 6144; L1 with B's 2048 B per bank at its top: L1 per bank − 2048; TRACE with C's
    // 2048 B per bank at its base: 8 MiB − 2048. L1_SMALL: events carry no core set, so E (4 pages)
    // counts 1 page per bank over all 72 banks at [L1 size − 4096, L1 size − 2048), leaving
    // [1466368, 1495040) = 28672 as the largest block (docs/l1.md: sharded buffers count on every bank).
    const l1PerBank = L1_SIZE - L1_SMALL - L1_BASE;
    expect(rows).toEqual([
      ['DRAM', DRAM_BASE_ADDR, 'deviceInfo', DRAM_PER_BANK, DRAM_PER_BANK - 6144],
      ['L1', L1_BASE, 'deviceInfo', l1PerBank, l1PerBank - 2048],
      ['L1_SMALL', L1_SMALL_BASE, 'deviceInfo', L1_SMALL, 28672],
      ['TRACE', TRACE_BASE, 'deviceInfo', TRACE_REGION, TRACE_REGION - 2048],
    ]);
  });
});

describe('real TT-Metal 0.70.1, a mock Wormhole n300 opened as a 1x2 mesh', () => {
  const { out, events, report } = run('mesh');
  const f = out.facts;
  const DRAM_PER_BANK = DRAM_BANK - TRACE_REGION - DRAM_BASE;
  const L1_PER_BANK = (f.mesh as DeviceFacts).bankBytes[1];
  const L1_TOP = L1_SIZE - L1_SMALL; // interleaved L1 allocates top-down from here
  const MESH = Flag.MeshDevice;

  it("the runtime's own answers: mesh 0 over chips 0 and 1, one address for every chip", () => {
    // MeshDevice ids come from a process-wide counter starting at 0: the mesh and chip 0 share id 0.
    expect(f.mesh).toEqual({
      handle: 1, id: 0, mesh: true, chips: [0, 1],
      banks: [DRAM_BANKS, N300_L1_BANKS, 0, N300_L1_BANKS, DRAM_BANKS],
      bankBytes: [DRAM_PER_BANK, L1_PER_BANK, 0, L1_SMALL, TRACE_REGION],
      baseAddresses: [DRAM_BASE, 103712],
    });
    // Same L1 unreserved base as the n150: L1 size - L1_SMALL - per-bank bytes.
    expect(L1_SIZE - L1_SMALL - L1_PER_BANK).toBe(103712);
    // MeshBuffer::create (replicated): one backing Buffer on the mesh (id 0), then one Buffer per chip at
    // the backing address (ids 1, 2), created with that address so they allocate nothing.
    const shard = (id: number, dev: number, type: number, address: number, size: number) => ({ handle: expect.any(Number), id, device: dev, type, address, size, pageSize: 2048 });
    expect(f.meshDram).toEqual({
      handle: 2, address: DRAM_BASE, size: 8192, deviceLocalSize: 8192,
      backing: shard(0, 0, 0, DRAM_BASE, 8192), shards: [shard(1, 0, 0, DRAM_BASE, 8192), shard(2, 1, 0, DRAM_BASE, 8192)],
    });
    // 4096 B = 2 pages over 64 banks: 1 page per bank, top-down.
    expect(f.meshL1).toEqual({
      handle: 3, address: L1_TOP - 2048, size: 4096, deviceLocalSize: 4096,
      backing: shard(3, 0, 1, L1_TOP - 2048, 4096), shards: [shard(4, 0, 1, L1_TOP - 2048, 4096), shard(5, 1, 1, L1_TOP - 2048, 4096)],
    });
    // Buffer::create on the MeshDevice itself: the mesh's allocator, next page down.
    expect(f.meshPlain).toMatchObject({ id: 6, device: 0, type: 1, address: L1_TOP - 4096, size: 4096, pageSize: 2048 });
  });

  it('emits exactly the events GraphTracker reported: mesh-level only, never the per-chip buffers', () => {
    // The same bases as the n150 (the same Wormhole map and open arguments); the mesh announces its
    // reference chip's allocator.
    const chipInfo = (chip: number) => [
      info(chip, MemType.DRAM, DRAM_BANKS * DRAM_PER_BANK, DRAM_BANKS, DRAM_BASE_ADDR),
      info(chip, MemType.L1, N300_L1_BANKS * L1_PER_BANK, N300_L1_BANKS, 103712),
      info(chip, MemType.L1_SMALL, N300_L1_BANKS * L1_SMALL, N300_L1_BANKS, L1_SMALL_BASE),
      info(chip, MemType.TRACE, DRAM_BANKS * TRACE_REGION, DRAM_BANKS, TRACE_BASE),
    ];
    expect(events.map(brief)).toEqual([
      // First sighting of the mesh: its capacities (MeshDevice flag), its chips in mesh order
      // (MeshChip: objectId chip, aux index, size chip count), then each chip's capacities.
      ...chipInfo(0).map((e) => ({ ...e, flags: e.flags | MESH })),
      { kind: K.MeshChip, device: 0, memType: NONE, layout: NONE, flags: MESH, objectId: 0, address: 0, size: 2, pageSize: 0, rootId: 0, aux: 0 },
      { kind: K.MeshChip, device: 0, memType: NONE, layout: NONE, flags: MESH, objectId: 1, address: 0, size: 2, pageSize: 0, rootId: 0, aux: 1 },
      ...chipInfo(0),
      ...chipInfo(1),
      // Only the backing buffers (and the Buffer made on the mesh) reach GraphTracker: the per-chip
      // Buffers are created at a given address and skip allocate_impl. L1 ones are top-down.
      bufferEvent(K.Alloc, 0, MemType.DRAM, 0, DRAM_BASE, 8192, 2048, MESH),
      bufferEvent(K.Alloc, 0, MemType.L1, 3, L1_TOP - 2048, 4096, 2048, MESH | TOP),
      bufferEvent(K.Alloc, 0, MemType.L1, 6, L1_TOP - 4096, 4096, 2048, MESH | TOP),
      bufferEvent(K.Free, 0, MemType.L1, 6, L1_TOP - 4096, 4096, 2048, MESH | TOP),
      bufferEvent(K.Free, 0, MemType.L1, 3, L1_TOP - 2048, 4096, 2048, MESH | TOP),
      bufferEvent(K.Free, 0, MemType.DRAM, 0, DRAM_BASE, 8192, 2048, MESH),
    ]);
  });

  it('charges the mesh and each of its chips (mesh 0 and chip 0 are two devices), with no anomaly', () => {
    expect(report.complete).toBe(true);
    expect(report.events).toMatchObject({ total: 20, alloc: 3, free: 3, deviceInfo: 12, meshChip: 2, dropped: 0 });
    expect(nonZeroAnomalies(report)).toEqual({});
    expect(report.leaks).toEqual([]);
    const capacity = { DRAM: DRAM_BANKS * DRAM_PER_BANK, L1: N300_L1_BANKS * L1_PER_BANK, L1_SMALL: N300_L1_BANKS * L1_SMALL, TRACE: DRAM_BANKS * TRACE_REGION };
    // docs/report.md#devices: a mesh allocation is charged to the mesh (bytes per chip) and to every
    // chip. DRAM: the 8192-B MeshBuffer. L1: the 4096-B MeshBuffer and the 4096-B mesh Buffer together.
    const memory = { DRAM: usage(8192, 1), L1: usage(8192, 2), SYSTEM_MEMORY: unused, L1_SMALL: unused, TRACE: unused, CB: unused };
    expect(report.devices).toHaveLength(3);
    expectDevice(device(report, 0, 'mesh'), { id: 0, kind: 'mesh', chips: [0, 1], capacity, memory });
    expectDevice(device(report, 0, 'chip'), { id: 0, kind: 'chip', capacity, memory });
    expectDevice(device(report, 1, 'chip'), { id: 1, kind: 'chip', capacity, memory });
  });
});
