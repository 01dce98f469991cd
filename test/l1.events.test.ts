import { describe, expect, it } from 'vitest';
import { Aggregator } from '../lib/aggregator/aggregator';
import { mergeReports } from '../lib/report/merge';
import { aggregate, alloc, cbAlloc, EventKind, Flag, meshChip, MemType, opEnd, opStart, program, scopeBegin, scopeEnd } from './helpers/stream';

// Hand-built streams in upstream's order: ProgramImpl::allocate_circular_buffers reports every CB
// (track_allocate_cb) before validate_circular_buffer_region throws, so a clash is visible in the
// stream itself. A small L1: 2 banks, allocatable [1024, 4096) per bank (DeviceInfo carries the
// capacity over all banks, 2 · 3072 = 6144, and the bank count).
const NAMES = ['ttnn.matmul', 'ttnn.sdpa', 'test_decode', 'ttnn.add'];
const MATMUL = 1, SDPA = 2, TEST = 3, ADD = 4;
const info = (device: number, flags = 0) => ({ kind: EventKind.DeviceInfo, device, memType: MemType.L1, size: 6144, aux: 2, flags });
const l1 = (id: number, address: number, size: number, more = {}) => alloc(id, address, size, { memType: MemType.L1, pageSize: 512, ...more });
const cb = (device: number, programId: number, address: number, size: number, more: { flags?: number } = {}) =>
  cbAlloc(device, programId, size, { address, aux: 64, ...more, flags: Flag.HasProgram | (more.flags ?? 0) });

// Buffer 10: 1024 B = 2 pages of 512 → 1 page per bank: [3584, 4096). Buffer 11: 2048 B = 4 pages
// → 2 per bank: [2560, 3584). Both by ttnn.matmul in scope test_decode.
function expectError(fn: () => unknown, type: ErrorConstructor, message: string): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toBe(message);
}

const setup = [
  info(0),
  scopeBegin(7, TEST), opStart(MATMUL), l1(10, 3584, 1024), l1(11, 2560, 2048), opEnd(),
];
// Program 5 under ttnn.sdpa: CB 0 [1024, 2024) leaves 2560 − 2024 = 536 B; CB 1 [2032, 2832) ends
// 272 B past the lowest L1 buffer: headroom −272. Seq = position: setup is 0..5, the second CB 9.
const clash = [opStart(SDPA), program(0, 5), cb(0, 5, 1024, 1000), cb(0, 5, 2032, 800), opEnd(), scopeEnd(7)];

describe('l1: CB headroom and clashes from the event stream', () => {
  it('reports the clash: headroom, region end, lowest L1 buffer and the blocker with op, scope and overlap', () => {
    const { report } = aggregate([...setup, ...clash], undefined, NAMES);
    const l1r = report.l1!;
    expect(l1r.headroom).toEqual([{
      op: 'ttnn.sdpa', device: 0, deviceKind: 'chip', launches: 1, headroom: -272, cbRegionEnd: 2832, lowestL1Address: 2560, program: 5,
      seq: 9, time: 9, flag: 'clash',
    }]);
    expect(l1r.failures).toEqual([{
      kind: 'cbClash', source: 'events', message: null, devices: [{ id: 0, kind: 'chip' }], type: 'L1', program: 5, op: 'ttnn.sdpa', seq: 9, time: 9,
      cbRegionEnd: 2832, lowestL1Address: 2560, headroom: -272, window: { start: 1024, end: 2832 },
      blockers: [{
        id: 11, device: 0, deviceKind: 'chip', type: 'L1', size: 2048, address: 2560, end: 3584, op: 'ttnn.matmul', scope: 'test_decode',
        overlap: { start: 2560, end: 2832, bytes: 272 },
      }],
    }]);
    // The tightest moment: both CBs, both buffers lowest first; only buffer 11 overlaps the region.
    expect(l1r.tightest).toHaveLength(1);
    expect(l1r.tightest[0]).toMatchObject({ device: 0, headroom: -272, cbRegionStart: 1024, cbRegionEnd: 2832 });
    expect(l1r.tightest[0].circularBuffers).toEqual([
      { program: 5, address: 1024, size: 1000, cores: 64, globallyAllocated: false },
      { program: 5, address: 2032, size: 800, cores: 64, globallyAllocated: false },
    ]);
    expect(l1r.tightest[0].buffers.map((b) => [b.id, b.overlap.bytes])).toEqual([[11, 272], [10, 0]]);
  });

  it('keeps each op\'s minimum over its launches and flags near misses under the margin', () => {
    // ttnn.add launches program 6 twice (a Program event between them from program 5): regions end at
    // 1024 + 1536 = 2560 (headroom 0) and 1024 + 1000 = 2024 (headroom 536).
    const launches = [
      opStart(ADD), program(0, 6), cb(0, 6, 1024, 1536), opEnd(),
      opStart(SDPA), program(0, 5), cb(0, 5, 1024, 1000), opEnd(),
      opStart(ADD), program(0, 6), cb(0, 6, 1024, 1000), opEnd(),
    ];
    const rows = (margin: number) => aggregate([...setup, ...launches], { cbHeadroomMargin: margin }, NAMES).report.l1!.headroom
      .map((r) => [r.op, r.headroom, r.launches, r.flag]);
    expect(rows(65536)).toEqual([['ttnn.add', 0, 2, 'nearMiss'], ['ttnn.sdpa', 536, 1, 'nearMiss']]);
    // Strictly under the margin: 536 is not under 536; 0 is never a clash.
    expect(rows(536)).toEqual([['ttnn.add', 0, 2, 'nearMiss'], ['ttnn.sdpa', 536, 1, null]]);
    expect(rows(0)).toEqual([['ttnn.add', 0, 2, null], ['ttnn.sdpa', 536, 1, null]]);
  });

  it('evaluates a relaunch (track_program only) against the region the program\'s CBs were given', () => {
    // Upstream allocates a cached program's CBs once and validates at every enqueue. Program 6 under
    // ttnn.add: CBs [1024, 2024) while the lowest buffer is 2560 (536); buffer 12 [2048, 2560) then
    // lands below (2 banks × 512 B pages: 1 page per bank); the relaunch (its Program event, seq 12)
    // reports no CB: 2048 − 2024 = 24.
    const records = [
      ...setup, opStart(ADD), program(0, 6), cb(0, 6, 1024, 1000), opEnd(),
      l1(12, 2048, 1024), opStart(ADD), program(0, 6), opEnd(),
    ];
    const l1r = aggregate(records, undefined, NAMES).report.l1!;
    expect(l1r.headroom.map((r) => [r.op, r.headroom, r.launches, r.lowestL1Address, r.seq])).toEqual([['ttnn.add', 24, 2, 2048, 12]]);
    expect(l1r.tightest[0]).toMatchObject({ headroom: 24, cbRegionStart: 1024, cbRegionEnd: 2024, seq: 12 });
    expect(l1r.tightest[0].circularBuffers).toEqual([{ program: 6, address: 1024, size: 1000, cores: 64, globallyAllocated: false }]);
  });

  it('leaves a globally allocated CB out of the static region (it lives in an L1 buffer)', () => {
    const records = [...setup, opStart(SDPA), program(0, 5), cb(0, 5, 1024, 1000), cb(0, 5, 2560, 1024, { flags: Flag.GloballyAllocated }), opEnd()];
    const [row] = aggregate(records, undefined, NAMES).report.l1!.headroom;
    expect(row).toMatchObject({ headroom: 536, cbRegionEnd: 2024 });
  });

  it('gives a null headroom when no L1 buffer is live (upstream skips the check)', () => {
    const [row] = aggregate([info(0), opStart(SDPA), program(0, 5), cb(0, 5, 1024, 1000), opEnd()], undefined, NAMES).report.l1!.headroom;
    expect(row).toMatchObject({ op: 'ttnn.sdpa', headroom: null, lowestL1Address: null, cbRegionEnd: 2024, flag: null });
  });

  it('computes headroom per chip of a mesh: a chip\'s own L1 buffers and its mesh\'s backing buffers', () => {
    // Mesh 100 over chips 0 and 1. The mesh's backing buffer [3584, 4096) is on both chips; chip 1
    // also has its own buffer 21 [2560, 3584). CBs of program 9 on the mesh end at 2024:
    // chip 0: 3584 − 2024 = 1560; chip 1: 2560 − 2024 = 536.
    const records = [
      meshChip(100, 0, 0, 2), meshChip(100, 1, 1, 2), info(100, Flag.MeshDevice), info(0), info(1),
      l1(20, 3584, 1024, { device: 100, flags: Flag.MeshDevice }), l1(21, 2560, 2048, { device: 1 }),
      opStart(SDPA), program(100, 9, { flags: Flag.MeshDevice }), cb(100, 9, 1024, 1000, { flags: Flag.MeshDevice }), opEnd(),
    ];
    const rows = aggregate(records, undefined, NAMES).report.l1!.headroom.map((r) => [r.device, r.headroom, r.lowestL1Address]);
    expect(rows).toEqual([[1, 536, 2560], [0, 1560, 3584]]);
  });
});

describe('l1: a mesh whose chips see only its L1, then a chip with its own buffer', () => {
  it('gives every chip the mesh\'s headroom, then each chip its own, launches added', () => {
    // Mesh 100 over chips 0 and 1; mesh buffer 20 [3584, 4096). Program 9's CBs end at 2024: both
    // chips 3584 − 2024 = 1560 (seq 8, its position). Chip 1 then allocates 21 [2560, 3584); program 10's CBs end
    // at 2024 again: chip 0 1560, chip 1 2560 − 2024 = 536 (seq 13).
    const records = [
      meshChip(100, 0, 0, 2), meshChip(100, 1, 1, 2), info(100, Flag.MeshDevice), info(0), info(1),
      l1(20, 3584, 1024, { device: 100, flags: Flag.MeshDevice }),
      opStart(SDPA), program(100, 9, { flags: Flag.MeshDevice }), cb(100, 9, 1024, 1000, { flags: Flag.MeshDevice }), opEnd(),
      l1(21, 2560, 2048, { device: 1 }),
      opStart(SDPA), program(100, 10, { flags: Flag.MeshDevice }), cb(100, 10, 1024, 1000, { flags: Flag.MeshDevice }), opEnd(),
    ];
    const l1r = aggregate(records, undefined, NAMES).report.l1!;
    expect(l1r.headroom.map((r) => [r.device, r.headroom, r.launches, r.program, r.seq])).toEqual([[1, 536, 2, 10, 13], [0, 1560, 2, 9, 8]]);
    // Chip 0's tightest moment is the first launch (the earlier of two equal headrooms).
    expect(l1r.tightest.map((t) => [t.device, t.headroom, t.seq, t.buffers.map((b) => b.id)])).toEqual([[0, 1560, 8, [20]], [1, 536, 13, [21, 20]]]);
    // One counter for the mesh: its tightest chip at each launch.
    expect(l1r.headroomSeries).toEqual([{ device: 100, deviceKind: 'mesh', samples: 2, points: [[8, 1560], [13, 536]] }]);
  });
});

describe('l1: CBs per chip (since PR #37218), relaunched on the mesh', () => {
  it('evaluates the first launch per chip and a relaunch once for the mesh, rows per chip', () => {
    // Mesh 100 over chips 0 and 1; mesh buffer 20 [3584, 4096). Program 9 launched on the mesh
    // (seq 7) allocates its CBs on each chip: [1024, 2024): 3584 − 2024 = 1560 on both. Mesh buffer
    // 22 [2560, 3584) (seq 11), then the relaunch (Program only, seq 13): 2560 − 2024 = 536 on both.
    const records = [
      meshChip(100, 0, 0, 2), meshChip(100, 1, 1, 2), info(100, Flag.MeshDevice), info(0), info(1),
      l1(20, 3584, 1024, { device: 100, flags: Flag.MeshDevice }),
      opStart(SDPA), program(100, 9, { flags: Flag.MeshDevice }), cb(0, 9, 1024, 1000), cb(1, 9, 1024, 1000), opEnd(),
      l1(22, 2560, 2048, { device: 100, flags: Flag.MeshDevice }),
      opStart(SDPA), program(100, 9, { flags: Flag.MeshDevice }), opEnd(),
    ];
    const l1r = aggregate(records, undefined, NAMES).report.l1!;
    expect(l1r.headroom.map((r) => [r.device, r.deviceKind, r.headroom, r.launches, r.seq])).toEqual([[0, 'chip', 536, 2, 13], [1, 'chip', 536, 2, 13]]);
    // Chip 0 announced again (a new object after the mesh closed) clears the mesh's membership: the
    // mesh's launches still count on the chips they ran on.
    const reopened = aggregate([...records, info(0)], undefined, NAMES).report.l1!;
    expect(reopened.headroom.map((r) => [r.device, r.headroom, r.launches])).toEqual([[0, 536, 2], [1, 536, 2]]);
    expect(l1r.tightest.map((t) => [t.device, t.headroom, t.cbRegionEnd, t.buffers.map((b) => [b.id, b.deviceKind])])).toEqual([
      [0, 536, 2024, [[22, 'mesh'], [20, 'mesh']]], [1, 536, 2024, [[22, 'mesh'], [20, 'mesh']]],
    ]);
  });
});

describe('l1: merging reports', () => {
  it('keeps the minimum headroom per op and device, adds launches and leaves the time series out', () => {
    const one = aggregate([...setup, opStart(ADD), program(0, 6), cb(0, 6, 1024, 1000), opEnd()], undefined, NAMES).report; // 536
    const two = aggregate([...setup, opStart(ADD), program(0, 6), cb(0, 6, 1024, 1536), opEnd()], undefined, NAMES).report; // 0
    const merged = mergeReports([one, two]).l1!;
    expect(merged.headroom.map((r) => [r.op, r.device, r.headroom, r.launches, r.flag])).toEqual([['ttnn.add', 0, 0, 2, 'nearMiss']]);
    expect(merged.headroomSeries).toEqual([]);
    expect(merged.fragmentation.map((f) => [f.device, f.type, f.largestFreeBlock, f.points])).toEqual([[0, 'L1', 1536, []]]);
  });
});

describe('l1: fragmentation per device × memory type', () => {
  it('tracks the largest free block at each change, its lowest value and when', () => {
    // Base from the first L1 allocation (top-down: it ends at base + 3072): 4096 − 3072 = 1024.
    // After 10 (seq 3): free [1024, 3584) = 2560. After 11 (seq 4): [1024, 2560) = 1536. Freeing 10
    // (seq 6) adds [3584, 4096) = 512 beside it: the largest stays 1536 and two blocks are free.
    const records = [...setup, { kind: EventKind.Free, objectId: 10, address: 3584, size: 1024, memType: MemType.L1, pageSize: 512 }];
    const [f] = aggregate(records, undefined, NAMES).report.l1!.fragmentation;
    expect(f).toMatchObject({
      device: 0, type: 'L1', capacityPerBank: 3072, base: 1024, baseFrom: 'firstAllocation', freePerBank: 2048, largestFreeBlock: 1536,
      freeBlocks: 2, lowestLargestFreeBlock: { bytes: 1536, seq: 4, time: 4 },
    });
    expect(f.points).toEqual([[3, 2560], [4, 1536], [6, 1536]]);
  });

  it('takes the L1 base from a program\'s first CB when no allocation revealed it, carving what is live', () => {
    // The CB at 1024 comes first and gives the base; buffer 30 [2560, 3584) then leaves free
    // [1024, 2560) and [3584, 4096): 2048 B, largest 1536.
    const stream = [
      info(0), cb(0, 5, 1024, 1000),
      l1(30, 2560, 2048),
    ];
    const [f] = aggregate(stream, undefined, NAMES).report.l1!.fragmentation;
    expect(f).toMatchObject({ base: 1024, baseFrom: 'circularBuffer', largestFreeBlock: 1536, freeBlocks: 2, freePerBank: 2048 });
  });
});

describe('Aggregator#explainFailure()', () => {
  const clashing = () => aggregate(setup, undefined, NAMES).agg;

  it('explains TT-Metal\'s clash message (wrapped in TT_THROW\'s header and backtrace)', () => {
    const agg = clashing();
    const message = 'TT_THROW @ tt_metal/impl/program/program.cpp:941: tt::exception\ninfo:\nStatically allocated circular buffers in program 287 clash with L1 buffers on core range [(x=0,y=0) - (x=7,y=7)]. L1 buffer allocated at 2560 and static circular buffer region ends at 2832\nbacktrace:\n --- foo';
    const e = agg.explainFailure(new Error(message))!;
    expect(e).toMatchObject({ kind: 'cbClash', source: 'error', devices: [{ id: 0, kind: 'chip' }], program: 287, cbRegionEnd: 2832, lowestL1Address: 2560, headroom: -272, window: { start: 1024, end: 2832 } });
    expect(e.blockers.map((b) => [b.id, b.op, b.scope, b.overlap])).toEqual([[11, 'ttnn.matmul', 'test_decode', { start: 2560, end: 2832, bytes: 272 }]]);
    expect(agg.report({ dropped: 0 }).l1!.failures).toEqual([e]);
  });

  it('explains the embedded runtime\'s clash message (ERR_SIM_CB_CLASH) when the stream did not show it', () => {
    const e = clashing().explainFailure(Object.assign(new Error('circular buffers of program 3 end at 2832 B, above the lowest L1 buffer at 2560 B'), { code: 'ERR_SIM_CB_CLASH' }))!;
    expect(e).toMatchObject({ kind: 'cbClash', source: 'error', devices: [{ id: 0, kind: 'chip' }], program: 3, op: null, cbRegionEnd: 2832, lowestL1Address: 2560, headroom: -272 });
    expect(e.blockers.map((b) => [b.id, b.overlap.bytes])).toEqual([[11, 272]]);
  });

  it('adds the error\'s message to the clash the stream already explained, instead of a second entry', () => {
    const { agg } = aggregate([...setup, ...clash], undefined, NAMES);
    const message = 'circular buffers of program 5 end at 2832 B, above the lowest L1 buffer at 2560 B';
    const e = agg.explainFailure(message)!;
    expect(e).toMatchObject({ source: 'events', message, op: 'ttnn.sdpa', program: 5, headroom: -272 });
    expect(agg.report({ dropped: 0 }).l1!.failures).toHaveLength(1);
  });

  it('takes the program from the error\'s message when the stream named none (slow-dispatch LaunchProgram sends no track_program)', () => {
    // The same clash with CB events that carry no HasProgram flag and no Program event before them.
    const unnamed = [opStart(SDPA), cbAlloc(0, 0, 1000, { address: 1024, aux: 64 }), cbAlloc(0, 0, 800, { address: 2032, aux: 64 }), opEnd(), scopeEnd(7)];
    const { agg } = aggregate([...setup, ...unnamed], undefined, NAMES);
    expect(agg.report({ dropped: 0 }).l1!.failures[0]).toMatchObject({ source: 'events', program: null, headroom: -272 });
    const e = agg.explainFailure('Statically allocated circular buffers in program 9 clash with L1 buffers on core range [(x=0,y=0) - (x=7,y=7)]. L1 buffer allocated at 2560 and static circular buffer region ends at 2832')!;
    expect(e).toMatchObject({ source: 'events', program: 9, op: 'ttnn.sdpa', headroom: -272 });
    expect(agg.report({ dropped: 0 }).l1!.failures).toHaveLength(1);
  });

  it('explains TT-Metal\'s out-of-memory message: exhaustion when the request exceeds the free total', () => {
    // 2048 B per bank requested, 1536 B free ([1024, 2560)): exhaustion. Cheapest 2048 B window:
    // [1024, 3072), 512 B of it buffer 11's ([2560, 3072)); [2048, 4096) would hold 1536 live bytes.
    const e = clashing().explainFailure('Out of Memory: Not enough space to allocate 4096 B L1 buffer across 2 banks, where each bank needs to store 2048 B, but bank size is 3072 B (allocated: 1536 B, free: 1536 B, largest free block: 1536 B)')!;
    expect(e).toMatchObject({
      kind: 'outOfMemory', cause: 'exhaustion', type: 'L1', devices: [{ id: 0, kind: 'chip' }], requested: 4096, requestedPerBank: 2048, banks: 2,
      freePerBank: 1536, largestFreeBlock: 1536, capacityPerBank: 3072, window: { start: 1024, end: 3072 },
    });
    expect(e.blockers.map((b) => [b.id, b.overlap])).toEqual([[11, { start: 2560, end: 3072, bytes: 512 }]]);
  });

  it('reads the older out-of-memory message ("bank size is only") and labels fragmentation from the model', () => {
    // Freeing 10 leaves [1024, 2560) and [3584, 4096) free: 2048 B in all, largest 1536. 1792 B per
    // bank fit the total only: fragmentation (the older message carries neither figure).
    const { agg: a } = aggregate([...setup, { kind: EventKind.Free, objectId: 10, address: 3584, size: 1024, memType: MemType.L1, pageSize: 512 }], undefined, NAMES);
    const e = a.explainFailure('Out of Memory: Not enough space to allocate 3584 B L1 buffer across 2 banks, where each bank needs to store 1792 B, but bank size is only 3072 B')!;
    expect(e).toMatchObject({ kind: 'outOfMemory', cause: 'fragmentation', freePerBank: 2048, largestFreeBlock: 1536, requestedPerBank: 1792 });
  });

  it('returns null for an error that reports no allocation failure', () => {
    expect(clashing().explainFailure(new Error('device timeout'))).toBeNull();
    expect(clashing().report({ dropped: 0 }).l1!.failures).toEqual([]);
  });

  it('rejects what is not an error or a message, and a bad device, with exact messages', () => {
    const agg = clashing();
    expectError(() => agg.explainFailure(42), TypeError, 'Expected an Error or a message string for explainFailure() error but received 42 of type number');
    expectError(() => agg.explainFailure(null), TypeError, 'Expected an Error or a message string for explainFailure() error but received null');
    expectError(() => agg.explainFailure('x', 70000), RangeError, 'Expected an integer between 0 and 65535 for explainFailure() device but received 70000 of type number');
  });
});

describe('Aggregator options: cbHeadroomMargin', () => {
  it('defaults to 65536 and accepts 0', () => {
    expect(aggregate([]).report.l1!.marginBytes).toBe(65536);
    expect(aggregate([], { cbHeadroomMargin: 0 }).report.l1!.marginBytes).toBe(0);
  });

  it('rejects a value outside 0..2^31 or not an integer, naming the option and the value', () => {
    expectError(() => new Aggregator({ cbHeadroomMargin: -1 }), RangeError, 'Expected an integer between 0 and 2147483648 for cbHeadroomMargin but received -1 of type number');
    expectError(() => new Aggregator({ cbHeadroomMargin: '64' as unknown as number }), TypeError, "Expected an integer between 0 and 2147483648 for cbHeadroomMargin but received '64' of type string");
    expect(() => new Aggregator({ cbHeadroomMargn: 1 } as never)).toThrow("Unknown option 'cbHeadroomMargn' for Aggregator (did you mean 'cbHeadroomMargin'?)");
  });
});
