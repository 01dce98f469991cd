/**
 * explainFailure() on the REAL TT-Metal runtime's own failures (issue 19 item 2): ttnn 0.70.1's
 * libtt_metal.so on a mock Wormhole n150 (a chip: CreateDevice, Buffers) and a mock n300 (a 1x2
 * MeshDevice: MeshBuffers), slow dispatch, driven through native/tt-metal-mock by
 * scripts/tt-metal-mock/failure-scenario.js. TT-Metal's allocator runs out of L1 (fragmentation, then
 * exhaustion) and LaunchProgram refuses a program whose CBs reach an L1 buffer; each C++ exception
 * arrives as a JS Error whose message is the runtime's what() verbatim (header, message, backtrace),
 * and the package's Tracker over the addon's TT-Metal build explains it the moment it is caught.
 *
 * Every expected number is derived below from the runtime's allocator rules and the addresses the real
 * allocator handed out (asserted first), and cross-checked against what the runtime printed.
 * Run by `npm run test:tt-metal-mock` (not part of `npm test`).
 */
import { describe, expect, it } from 'vitest';
import type { Blocker, FailureExplanation } from '../lib/report/types';
import { runRealFailures } from './tt-metal-mock.helpers';

// --- Wormhole B0 L1 as TT-Metal 0.70.1 lays it out (test/tt-metal-mock.test.ts derives the same) -----
// MEM_L1_SIZE = 1464 KiB per Tensix core (tt_metal/hw/inc/internal/tt-1xx/wormhole/dev_mem_map.h); the
// scenario opens the device with a 32 KiB L1_SMALL region, carved from the top of every L1 bank.
const L1_SIZE = 1464 * 1024; // 1,499,136
const L1_SMALL = 32768;
// The L1 bank manager (l1_banking_allocator.cpp init_compute_and_storage_l1_bank_manager) spans
// [l1_unreserved_base, worker_l1_size − l1_small_size) = [103,712, 1,466,368); its interleaved address
// limit (worker_l1_size − l1_bank_size) is l1_unreserved_base itself, so the whole span is usable.
const L1_BASE = 103712;
const L1_TOP = L1_SIZE - L1_SMALL; // 1,466,368
const PER_BANK = L1_TOP - L1_BASE; // 1,362,656: "bank size is 1362656 B" in the runtime's message
// Every L1 buffer here has exactly one page per bank (size = banks × page), so its per-bank footprint is
// one page (calculate_bank_size_spread: ceil(banks / banks) pages × page size, all multiples of 32).
const PAGE = 262144; // the five fill buffers
const FRAG_PAGE = 327680; // the request that fits the total free space but no free block
const EXHAUST_PAGE = 589824; // the request that exceeds the total free space
const PIN_PAGE = 1048576; // the L1 buffer the program's CBs run into

// The runtime's message up to its backtrace (TT_FATAL / TT_THROW put "backtrace:" after the text).
const head = (message: string): string => message.slice(0, message.indexOf('\nbacktrace:'));
// "… (allocated: A B, free: F B, largest free block: L B)": the runtime's own statistics.
const printed = (message: string, what: 'allocated' | 'free' | 'largest free block'): number =>
  Number(new RegExp(`${what}: (\\d+) B`).exec(message)![1]);


// After ids 1 and 3 of the fill are freed, one bank of L1, by the addresses the allocator gave (asserted):
//   [103712, 155648)   free   51,936  (below the 5th: 1,362,656 − 5 · 262,144)
//   [155648, 417792)   5th fill buffer
//   [417792, 679936)   free  262,144  (the 4th's place)
//   [679936, 942080)   3rd fill buffer
//   [942080, 1204224)  free  262,144  (the 2nd's place)
//   [1204224, 1466368) 1st fill buffer
// Free per bank = 51,936 + 2 · 262,144 = 576,224 = 1,362,656 − 3 · 262,144; largest free block 262,144.
const FREE = 51936 + 2 * PAGE;
const LARGEST = PAGE;
const FILL_ADDRESSES = [1204224, 942080, 679936, 417792, 155648]; // L1_TOP − PAGE · k, k = 1..5

interface Platform {
  scenario: 'chip' | 'mesh';
  /** L1 banks: slow dispatch uses the whole logical grid, 8x9 on the n150, 8x8 on each n300 chip. */
  banks: number;
  /** Buffer ids of the five fill buffers (a MeshBuffer's backing buffer) and of the pinned one. */
  fillIds: number[];
  pinnedId: number;
  /** The device the allocations are made on and explained for; where the blockers live. */
  allocating: { id: number; kind: 'chip' | 'mesh' };
  /** seq of the clash explanation on chip 0: its launch's last CB event (0-based count of events before it). */
  clashSeq: number;
  events: Record<string, number>;
}

const PLATFORMS: Platform[] = [
  {
    // Buffer ids count from 0 per process; the two refused Buffer::create calls took ids 5 and 6 (the id
    // is assigned when the Buffer is made, before allocate_impl throws): the pinned buffer is 7.
    scenario: 'chip', banks: 72, fillIds: [0, 1, 2, 3, 4], pinnedId: 7, allocating: { id: 0, kind: 'chip' },
    // Before the launch's 2nd CB event: 9 marks, 3 op starts, 2 op ends, 4 DeviceInfo, 6 allocations,
    // 5 frees, the 1st CB event = 30.
    clashSeq: 30,
    // 6 allocations (5 fill + the pinned one; the refused requests throw before track_allocate), all
    // freed; both CBs, released as the refused program is destroyed while the exception leaves the
    // driver; 3 ops; 5 scopes (10 marks); 4 DeviceInfo (DRAM, L1, L1_SMALL, TRACE).
    events: { total: 35, alloc: 6, free: 6, cbAlloc: 2, cbRelease: 1, opStart: 3, opEnd: 3, mark: 10, deviceInfo: 4, meshChip: 0 },
  },
  {
    // MeshBuffer::create makes the backing Buffer on the mesh, then one Buffer per chip: 3 ids each
    // (test/tt-metal-mock.test.ts). The refused ones stop at the backing buffer (ids 15, 16): pinned 17.
    scenario: 'mesh', banks: 64, fillIds: [0, 3, 6, 9, 12], pinnedId: 17, allocating: { id: 0, kind: 'mesh' },
    // LaunchProgram on the MeshDevice allocates the CBs on each chip (CbAlloc per chip, no MeshDevice
    // flag): CB 0 on chips 0 and 1, then CB 1 on chips 0 and 1. Before chip 0's 2nd: 9 marks, 3 op
    // starts, 2 op ends, 12 DeviceInfo, 2 MeshChip, 6 allocations, 5 frees, 2 CB events = 41.
    clashSeq: 41,
    // DeviceInfo for the mesh and each of its 2 chips (4 each), 2 MeshChip; 2 CBs and a release per chip.
    events: { total: 48, alloc: 6, free: 6, cbAlloc: 4, cbRelease: 2, opStart: 3, opEnd: 3, mark: 10, deviceInfo: 12, meshChip: 2 },
  },
];

describe.each(PLATFORMS)('real TT-Metal 0.70.1, mock $scenario: its own allocation failures, explained', (p) => {
  const out = runRealFailures(p.scenario);
  const f = out.facts;
  const [fragmentation, exhaustion, clash] = [f.fragmentation, f.exhaustion, f.clash] as { message: string; explanation: FailureExplanation }[];
  const BANKS = p.banks;

  it('the real allocator placed the fill buffers top-down, one 256 KiB page per bank, from the L1 top', () => {
    // get_statistics(L1).total_allocatable_size_bytes and get_base_allocator_addr(HalMemType::L1).
    expect([f.device.bankBytes[1], f.device.baseAddresses[1], f.device.banks[1]]).toEqual([PER_BANK, L1_BASE, BANKS]);
    // Interleaved L1 is top-down (Buffer: bottom_up defaults to is_dram()); the free list gives the top
    // of the highest free block each time. On the mesh: the backing buffers, on mesh 0.
    expect(f.fill.map((b: { id: number; device: number; address: number; size: number }) => [b.id, b.device, b.address, b.size]))
      .toEqual(p.fillIds.map((id, k) => [id, 0, FILL_ADDRESSES[k], BANKS * PAGE]));
  });

  const fill = (k: number, overlap: { start: number; end: number }): Blocker => ({
    id: p.fillIds[k], device: 0, deviceKind: p.allocating.kind, type: 'L1', size: BANKS * PAGE, address: FILL_ADDRESSES[k],
    end: FILL_ADDRESSES[k] + PAGE, op: 'ttnn::fill_l1', scope: 'fill L1', overlap: { ...overlap, bytes: overlap.end - overlap.start },
  });

  it('a request that fits the free total but no free block: TT_FATAL in BankManager::allocate_buffer, cause fragmentation', () => {
    // Verbatim (tt_metal/impl/allocator/bank_manager.cpp BankManager::allocate_buffer, line 462 in 0.70.1).
    expect(head(fragmentation.message)).toBe(
      'TT_FATAL @ /project/tt_metal/impl/allocator/bank_manager.cpp:462: false\ninfo:\n' +
      `Out of Memory: Not enough space to allocate ${BANKS * FRAG_PAGE} B L1 buffer across ${BANKS} banks, where each bank needs to store 327680 B, ` +
      'but bank size is 1362656 B (allocated: 786432 B, free: 576224 B, largest free block: 262144 B)',
    );
    // what() keeps its backtrace: the regexes of lib/aggregator/explain-failure.ts are not anchored.
    expect(fragmentation.message).toContain('\n --- tt::tt_metal::BankManager::allocate_buffer(');
    // The runtime's statistics are the ones derived above from the allocator's own addresses.
    expect([printed(fragmentation.message, 'allocated'), printed(fragmentation.message, 'free'), printed(fragmentation.message, 'largest free block')])
      .toEqual([3 * PAGE, FREE, LARGEST]);
    // 327,680 per bank ≤ 576,224 free but > 262,144 largest: fragmentation. The cheapest 327,680-byte
    // window (fewest live bytes, lowest first) holds a whole 262,144 hole and 65,536 live bytes: the
    // lowest such window ends at the hole [417792, 679936)'s end: [679936 − 327680, 679936) =
    // [352256, 679936), whose live part is the top 65,536 B of the 5th fill buffer. (Around the other
    // hole it would be the 3rd's; a window holding the 51,936 block has only 65,536 B free.)
    expect(fragmentation.explanation).toEqual({
      kind: 'outOfMemory', source: 'error', message: fragmentation.message, devices: [p.allocating], type: 'L1',
      cause: 'fragmentation', requested: BANKS * FRAG_PAGE, requestedPerBank: FRAG_PAGE, banks: BANKS,
      freePerBank: FREE, largestFreeBlock: LARGEST, capacityPerBank: PER_BANK,
      program: null, op: null, seq: null, time: null,
      window: { start: 352256, end: 679936 },
      blockers: [fill(4, { start: 352256, end: 417792 })],
    });
    // The tracker's largest free block is the number the runtime printed.
    expect(fragmentation.explanation.largestFreeBlock).toBe(printed(fragmentation.message, 'largest free block'));
  });

  it('a request above the free total: the same TT_FATAL, cause exhaustion', () => {
    expect(head(exhaustion.message)).toBe(
      'TT_FATAL @ /project/tt_metal/impl/allocator/bank_manager.cpp:462: false\ninfo:\n' +
      `Out of Memory: Not enough space to allocate ${BANKS * EXHAUST_PAGE} B L1 buffer across ${BANKS} banks, where each bank needs to store 589824 B, ` +
      'but bank size is 1362656 B (allocated: 786432 B, free: 576224 B, largest free block: 262144 B)',
    );
    // 589,824 per bank > 576,224 free: exhaustion (13,600 B short even if nothing were fragmented).
    // Cheapest 589,824-byte window: one that starts in the hole [417792, …) and ends inside the hole
    // [942080, 1204224) holds (679936 − s) + (s + 589824 − 942080) = 327,680 free bytes for every
    // s in [417792, 614400], the most any window holds (the 51,936 block and a hole together: 314,080;
    // a window ending at the top: 262,144). Lowest: [417792, 1007616), whose live bytes are all of the
    // 3rd fill buffer.
    expect(exhaustion.explanation).toEqual({
      kind: 'outOfMemory', source: 'error', message: exhaustion.message, devices: [p.allocating], type: 'L1',
      cause: 'exhaustion', requested: BANKS * EXHAUST_PAGE, requestedPerBank: EXHAUST_PAGE, banks: BANKS,
      freePerBank: FREE, largestFreeBlock: LARGEST, capacityPerBank: PER_BANK,
      program: null, op: null, seq: null, time: null,
      window: { start: 417792, end: 1007616 },
      blockers: [fill(2, { start: 679936, end: 942080 })],
    });
    expect(exhaustion.explanation.largestFreeBlock).toBe(printed(exhaustion.message, 'largest free block'));
    expect(exhaustion.explanation.freePerBank).toBe(printed(exhaustion.message, 'free'));
  });

  // Static CBs start at the L1 base: CB 0 (262,144 B on cores (0,0)-(1,1)) at [103712, 365856), CB 1
  // (65,536 B on (0,0)) right after it at [365856, 431392): the region ends at 431,392. The pinned
  // buffer, one 1 MiB page per bank in an empty L1, sits at 1,466,368 − 1,048,576 = 417,792.
  const regionEnd = L1_BASE + 262144 + 65536; // 431,392
  const lowest = L1_TOP - PIN_PAGE; // 417,792
  const clashOn = (chip: number, seq: number, message: string | null): FailureExplanation => ({
    kind: 'cbClash', source: 'events', message, devices: [{ id: chip, kind: 'chip' }], type: 'L1',
    // The CB events name no program (no track_program on this path); the error's message names it.
    program: message === null ? null : 0, op: 'ttnn::clashing_op', seq, time: expect.any(Number),
    cbRegionEnd: regionEnd, lowestL1Address: lowest, headroom: lowest - regionEnd,
    window: { start: L1_BASE, end: regionEnd },
    blockers: [{
      id: p.pinnedId, device: 0, deviceKind: p.allocating.kind, type: 'L1', size: BANKS * PIN_PAGE, address: lowest, end: L1_TOP,
      op: 'ttnn::pin_l1', scope: 'pin', overlap: { start: lowest, end: regionEnd, bytes: 13600 },
    }],
  });

  it('CBs that reach an L1 buffer: TT_THROW in ProgramImpl::validate_circular_buffer_region, blocker and overlap exact', () => {
    expect(f.pinned).toMatchObject({ id: p.pinnedId, device: 0, type: 1, address: lowest, size: BANKS * PIN_PAGE, pageSize: PIN_PAGE });
    // 431,392 is above device->lowest_occupied_compute_l1_address() = 417,792. Verbatim
    // (tt_metal/impl/program/program.cpp ProgramImpl::validate_circular_buffer_region, line 1366 in
    // 0.70.1; slow-dispatch LaunchProgram reaches it through ConfigureDeviceWithProgram). Program 0: the
    // process's first program.
    expect(head(clash.message)).toBe(
      'TT_THROW @ /project/tt_metal/impl/program/program.cpp:1366: tt::exception\ninfo:\n' +
      'Statically allocated circular buffers in program 0 clash with L1 buffers on core range [0-0 - 1-1]. ' +
      'L1 buffer allocated at 417792 and static circular buffer region ends at 431392',
    );
    expect(clash.message).toContain('\n --- tt::tt_metal::detail::ProgramImpl::validate_circular_buffer_region(');
    // allocate_circular_buffers reported the CBs (track_allocate_cb) before the validation threw, so the
    // stream already showed the clash (source 'events', with the op the launch ran in); the error adds
    // its message to chip 0's explanation. Headroom 417,792 − 431,392 = −13,600; the blocker is the
    // pinned buffer (on the mesh for a MeshBuffer), overlapping the region over [417792, 431392) =
    // 13,600 B. Slow-dispatch LaunchProgram sends no track_program, so the CB events name no program;
    // the explanation takes program 0 from the message.
    expect(clash.explanation).toEqual(clashOn(0, p.clashSeq, clash.message));
    expect(clash.explanation.headroom).toBe(-13600);
  });

  it('the report lists each failure once, and no refused request reached GraphTracker', () => {
    // On the mesh both chips' launches clash; the error names no device and was matched to chip 0, so
    // chip 1's explanation (its last CB event right after chip 0's) keeps no message. It is listed
    // first: the program's destructor releases chip 1's CBs before chip 0's (track_deallocate_cb), and
    // a launch is evaluated when its CbRelease ends it.
    const clashes = p.scenario === 'chip' ? [clash.explanation] : [clashOn(1, p.clashSeq + 1, null), clash.explanation];
    expect(out.failures).toEqual([fragmentation.explanation, exhaustion.explanation, ...clashes]);
    expect(out.events).toEqual({ ...p.events, program: 0, unknown: 0, outOfOrder: 0, dropped: 0 });
  });
});
