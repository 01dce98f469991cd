import { describe, expect, it } from 'vitest';
import { aggregate, alloc, cbRelease, Flag, free, MemType, meshChip, onMesh, opEnd, opStart, scopeBegin, scopeEnd } from './helpers/stream';

// Lifetime classes (lib/aggregator/lifetimes.ts, docs/report.md#lifetimes-why-a-buffer-outlived-its-test)
// on hand-built streams. Upstream facts the rules rest on:
// - ProgramImpl::~ProgramImpl (program.cpp, 2026-04, PR #37218) releases its CBs (track_deallocate_cb
//   per chip) before its members go: kernels_buffer_ (kernel binaries, Buffer::create(..., DRAM, ...,
//   bottom_up = false) in ProgramImpl::populate_dispatch_data) and owned_buffer_pool.
// - A trace buffer comes from MeshTrace::populate_mesh_buffer at the end of a capture: TRACE, or since
//   PR #36999 a DRAM buffer allocated top down when the trace region is 0; release_trace frees it.
// Records are numbered from 0: seq = index in the array; a Mark ends a teardown window like any event.
const KiB = 1024;
const names = ['t1', 't2', 'ttnn.matmul', 'teardown', 'after'];
const [T1, T2, MATMUL, TEARDOWN, AFTER] = [1, 2, 3, 4, 5];

describe('lifetime classes of one test’s buffers', () => {
  const stream = [
    scopeBegin(1, T1), //                                                     0
    alloc(1, 0x1000, 8 * KiB), //                                             1  A
    alloc(2, 0x8000, 4 * KiB, { memType: MemType.L1 }), //                    2  B: pooled by a program
    opStart(MATMUL), //                                                       3
    alloc(3, 0x100000, 2 * KiB, { flags: Flag.TopDown }), //                  4  kernel binary: top-down DRAM inside an op
    opEnd(), //                                                               5
    alloc(4, 0x4000, 16 * KiB), //                                            6  C
    alloc(5, 0x200000, 32 * KiB, { memType: MemType.TRACE }), //              7  T: a trace captured while C lives
    alloc(6, 0x9000, 6 * KiB), //                                             8  D: after the capture
    scopeEnd(1), //                                                           9  t1 ends: A, B, kernel binary, C, T, D live
    scopeBegin(2, T2), free(1, 0x1000, 8 * KiB), scopeEnd(2), //              10-12: A freed in t2
    scopeBegin(3, TEARDOWN), //                                               13
    cbRelease(0), //                                                          14 the program's teardown on chip 0
    free(2, 0x8000, 4 * KiB, { memType: MemType.L1 }), //                     15 B: its pool
    free(3, 0x100000, 2 * KiB, { flags: Flag.TopDown }), //                   16 its kernel binaries
    scopeEnd(3), //                                                           17 ends the teardown window
    scopeBegin(4, AFTER), //                                                  18
    free(5, 0x200000, 32 * KiB, { memType: MemType.TRACE }), //               19 release_trace
    free(4, 0x4000, 16 * KiB), //                                             20 C
    scopeEnd(4), //                                                           21
  ];
  const { report } = aggregate(stream, {}, names);

  it('sums each class', () => {
    expect(report.lifetimes!.classes).toEqual({
      deviceClose: { buffers: 0, bytes: 0 },
      program: { buffers: 2, bytes: 6 * KiB }, //    B (4 KiB) and the kernel binary (2 KiB), freed right after the CB release
      // A (8 KiB) and C (16 KiB): live when T was captured (7 > 1, 7 > 6), T still held at t1's end (freed at 19).
      trace: { buffers: 2, bytes: 24 * KiB },
      laterFree: { buffers: 1, bytes: 32 * KiB }, // T itself, freed in 'after'
      live: { buffers: 1, bytes: 6 * KiB }, //       D: allocated after the capture, still live
    });
  });

  it('lists rows per scope and class, most bytes first, with examples', () => {
    const rows = report.lifetimes!.byScope;
    // 32, 24, 6 and 6 KiB: program (2 buffers) before live (1 buffer).
    expect(rows.map((r) => [r.scope, r.class, r.buffers, r.bytes])).toEqual([
      ['t1', 'laterFree', 1, 32 * KiB], ['t1', 'trace', 2, 24 * KiB], ['t1', 'program', 2, 6 * KiB], ['t1', 'live', 1, 6 * KiB],
    ]);
    expect(rows[0].examples).toEqual([
      { id: 5, device: 0, deviceKind: 'chip', type: 'TRACE', address: 0x200000, size: 32 * KiB, seq: 7, op: null, freed: { seq: 19, op: null, scope: 'after' } },
    ]);
    expect(rows[1].examples).toEqual([
      { id: 1, device: 0, deviceKind: 'chip', type: 'DRAM', address: 0x1000, size: 8 * KiB, seq: 1, op: null, freed: { seq: 11, op: null, scope: 't2' } },
      { id: 4, device: 0, deviceKind: 'chip', type: 'DRAM', address: 0x4000, size: 16 * KiB, seq: 6, op: null, freed: { seq: 20, op: null, scope: 'after' } },
    ]);
    expect(rows[2].examples.map((e) => [e.id, e.op, e.freed])).toEqual([
      [2, null, { seq: 15, op: null, scope: 'teardown' }],
      [3, 'ttnn.matmul', { seq: 16, op: null, scope: 'teardown' }],
    ]);
    expect(rows[3].examples).toEqual([
      { id: 6, device: 0, deviceKind: 'chip', type: 'DRAM', address: 0x9000, size: 6 * KiB, seq: 8, op: null, freed: null },
    ]);
  });

  it('marks the live leak', () => {
    expect(report.leaks.map((l) => [l.id, l.lifetime])).toEqual([[6, 'live']]);
  });
});

describe('what ends a teardown window, and which devices it covers', () => {
  it('another event on the thread ends it; events of other threads do not', () => {
    const { report } = aggregate([
      scopeBegin(1, T1),
      alloc(1, 0x1000, 1 * KiB), alloc(2, 0x2000, 2 * KiB), alloc(3, 0x3000, 4 * KiB),
      scopeEnd(1),
      cbRelease(0),
      alloc(10, 0x9000, 64, { thread: 2 }), // another thread's event: the window stays
      free(1, 0x1000, 1 * KiB), //           program
      alloc(11, 0xa000, 64), //               this thread's allocation ends the window
      free(2, 0x2000, 2 * KiB), //           laterFree
      cbRelease(0), opStart(MATMUL), //      a teardown, then an op on its thread
      free(3, 0x3000, 4 * KiB), //           laterFree
    ], {}, names);
    expect(report.lifetimes!.classes.program).toEqual({ buffers: 1, bytes: 1 * KiB });
    expect(report.lifetimes!.classes.laterFree).toEqual({ buffers: 2, bytes: 6 * KiB });
  });

  it('a CB release on a chip covers a mesh buffer of its mesh; one on another chip does not cover a chip buffer', () => {
    const { report } = aggregate([
      meshChip(0, 0, 0, 2), meshChip(0, 1, 1, 2),
      scopeBegin(1, T1),
      alloc(1, 0x1000, 8 * KiB, onMesh(0)), // a MeshBuffer in a mesh program's pool
      alloc(2, 0x10000, 2 * KiB, { device: 0 }), // past the mesh buffer's range on chip 0
      scopeEnd(1),
      cbRelease(1), //                        PR #37218: released per chip
      free(1, 0x1000, 8 * KiB, onMesh(0)), // program: chip 1 is a chip of mesh 0
      free(2, 0x10000, 2 * KiB, { device: 0 }), // chip 0's buffer, chip 1's CBs: laterFree
    ], {}, names);
    expect(report.lifetimes!.classes.program).toEqual({ buffers: 1, bytes: 8 * KiB });
    expect(report.lifetimes!.classes.laterFree).toEqual({ buffers: 1, bytes: 2 * KiB });
  });

  it('documented limit: an explicit free right after a teardown, with nothing between, counts as the teardown’s', () => {
    const { report } = aggregate([
      scopeBegin(1, T1), alloc(1, 0x1000, 1 * KiB), scopeEnd(1),
      cbRelease(0), free(1, 0x1000, 1 * KiB),
    ], {}, names);
    expect(report.lifetimes!.classes.program).toEqual({ buffers: 1, bytes: 1 * KiB });
  });
});

describe('which buffers are traces, and when a trace explains a lifetime', () => {
  it('a top-down DRAM buffer outside any op is a trace (PR #36999); inside an op it is a kernel binary', () => {
    const { report } = aggregate([
      scopeBegin(1, T1),
      alloc(1, 0x1000, 1 * KiB), //                                          X: live across both
      opStart(MATMUL), alloc(2, 0xf00000, 2 * KiB, { flags: Flag.TopDown }), opEnd(), // kernel binary
      scopeEnd(1),
      scopeBegin(2, T2),
      alloc(3, 0x2000, 1 * KiB), //                                          Y: live across the trace below
      alloc(4, 0xe00000, 4 * KiB, { flags: Flag.TopDown }), //               a trace buffer, held past t2
      scopeEnd(2),
    ], {}, names);
    const rows = report.lifetimes!.byScope.map((r) => [r.scope, r.class, r.buffers, r.bytes]);
    // X: only the kernel binary came after it in t1: live. Y: trace. The trace buffer itself: live.
    expect(rows).toEqual([['t2', 'live', 1, 4 * KiB], ['t1', 'live', 2, 3 * KiB], ['t2', 'trace', 1, 1 * KiB]]);
  });

  it('a trace captured and released inside the test explains nothing after it; an L1 top-down buffer is no trace', () => {
    const { report } = aggregate([
      scopeBegin(1, T1),
      alloc(1, 0x1000, 1 * KiB),
      alloc(2, 0x200000, 4 * KiB, { memType: MemType.TRACE }),
      free(2, 0x200000, 4 * KiB, { memType: MemType.TRACE }),
      alloc(3, 0x8000, 2 * KiB, { memType: MemType.L1, flags: Flag.TopDown }),
      scopeEnd(1),
    ], {}, names);
    expect(report.lifetimes!.classes).toMatchObject({ trace: { buffers: 0, bytes: 0 }, live: { buffers: 2, bytes: 3 * KiB } });
  });

  it('a trace on a mesh explains a buffer of one of its chips', () => {
    const { report } = aggregate([
      meshChip(0, 0, 0, 2), meshChip(0, 1, 1, 2),
      scopeBegin(1, T1),
      alloc(1, 0x1000, 1 * KiB, { device: 1 }),
      alloc(2, 0x200000, 4 * KiB, onMesh(0, { memType: MemType.TRACE })),
      scopeEnd(1),
    ], {}, names);
    expect(report.lifetimes!.classes.trace).toEqual({ buffers: 1, bytes: 1 * KiB });
  });
});

describe('buffers outside any scope and nested scopes', () => {
  it('outside any scope: classed only when lost with the device; in a nested scope: by the innermost', () => {
    const { report } = aggregate([
      alloc(1, 0x1000, 1 * KiB), //                  no scope: no class while live
      scopeBegin(1, T1), scopeBegin(2, T2),
      alloc(2, 0x2000, 2 * KiB), //                  innermost: t2
      scopeEnd(2), //                                t2 ended: outlived
      alloc(3, 0x3000, 4 * KiB), //                  t1, still open
    ], {}, names);
    expect(report.lifetimes!.byScope.map((r) => [r.scope, r.class, r.buffers])).toEqual([['t2', 'live', 1]]);
    expect(report.leaks.map((l) => [l.id, l.lifetime ?? null])).toEqual([[3, null], [2, 'live'], [1, null]]);
  });
});
