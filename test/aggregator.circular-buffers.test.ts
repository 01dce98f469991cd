import { describe, expect, it } from 'vitest';
import { formatReport } from '../lib/output/text';
import { aggregate, cbAlloc, cbRelease, deviceInfo, deviceOf, feed, Flag, meshChip, MemType, program } from './helpers/stream';

// Circular buffers as each TT-Metal generation reports them (lib/aggregator/circular-buffers.ts).
// A CB's size is per core (`track_allocate_cb(core_range_set, addr, size, ...)`), so every CB figure
// is bytes per core. ttnn's device-operation path sends `track_program` before the program's CBs;
// program ids start at 0; CbAlloc names its program with the HasProgram flag.

const named = (id: number) => ({ flags: Flag.HasProgram, objectId: id });

describe('Aggregator: CBs before 2026-04-19 (no track_deallocate_cb; allocate once per program)', () => {
  // Two cached programs on chip 0, launched repeatedly: program 0 has CBs of 4096 and 2048 B per
  // core, program 1 one of 8192 B. Each allocates its CBs once (ProgramImpl::allocate_circular_buffers
  // only when not yet allocated), so relaunches send only track_program.
  const first = [
    program(0, 0), cbAlloc(0, 0, 4096, named(0)), cbAlloc(0, 0, 2048, named(0)),
    program(0, 1), cbAlloc(0, 1, 8192, named(1)),
  ];
  const relaunches = [program(0, 0), program(0, 1), program(0, 0), program(0, 1)];
  const { report } = aggregate([...first, ...relaunches]);

  it('counts every CB allocated since program creation: 4096 + 2048 + 8192 B per core', () => {
    expect(deviceOf(report, 0).memory.CB).toEqual({ current: 14336, peak: 14336, allocated: 3, freed: 0, lost: 0, liveBuffers: 3 });
    expect(report.events).toMatchObject({ cbAlloc: 3, cbRelease: 0, program: 6 });
  });

  it('says the CB figures are allocated since program creation, per core', () => {
    expect(report.circularBuffers).toEqual({ unit: 'bytes per core', basis: 'allocated since program creation' });
    expect(formatReport(report, { color: false, width: 160 })).toContain(
      '  CB: bytes per core, allocated since program creation (the stream never reports CB releases), not live');
  });

  it('grows when an invalidated program allocates its CBs again', () => {
    // Program 0 invalidated (a CB added), relaunched: its 2 CBs are reported again: 14336 + 6144.
    const r = aggregate([...first, ...relaunches, program(0, 0), cbAlloc(0, 0, 4096, named(0)), cbAlloc(0, 0, 2048, named(0))]).report;
    expect(deviceOf(r, 0).memory.CB).toMatchObject({ current: 20480, peak: 20480, allocated: 5 });
  });
});

describe('Aggregator: CBs since 2026-04-19 (PR #37218: per chip, released per chip at program destruction)', () => {
  // Mesh 0 over chips 0 and 1 (mesh ids and chip ids both start at 0). A launch on the mesh sends
  // track_program with the mesh, then track_allocate_cb once per program per chip; ~ProgramImpl calls
  // track_deallocate_cb once per chip. Program 0: 4096 + 2048 B per core on each chip; program 1: 8192.
  const { report, agg } = aggregate([
    meshChip(0, 0, 0, 2), meshChip(0, 1, 1, 2),
    program(0, 0, { flags: Flag.MeshDevice }),
    cbAlloc(0, 0, 4096, named(0)), cbAlloc(0, 0, 2048, named(0)), cbAlloc(1, 0, 4096, named(0)), cbAlloc(1, 0, 2048, named(0)),
    program(0, 1, { flags: Flag.MeshDevice }),
    cbAlloc(0, 1, 8192, named(1)), cbAlloc(1, 1, 8192, named(1)),
    // cached: relaunches send only track_program; CBs of both programs stay live
    program(0, 0, { flags: Flag.MeshDevice }), program(0, 1, { flags: Flag.MeshDevice }), program(0, 0, { flags: Flag.MeshDevice }),
  ]);

  it('keeps the CBs of several programs live at once, per chip', () => {
    for (const chip of [0, 1]) {
      expect(deviceOf(report, chip, 'chip').memory.CB).toEqual({ current: 14336, peak: 14336, allocated: 3, freed: 0, lost: 0, liveBuffers: 3 });
    }
    // Reported per chip, so nothing is charged to the mesh itself.
    expect(deviceOf(report, 0, 'mesh').memory.CB.allocated).toBe(0);
  });

  it('releases one program per chip per track_deallocate_cb, the newest first, to exactly 0', () => {
    // Program 1 destroyed: one release per chip takes its 8192 B → 6144; then program 0 → 0.
    const start = report.events.total;
    feed(agg, [cbRelease(0), cbRelease(1)], start);
    let r = agg.report({ dropped: 0 });
    for (const chip of [0, 1]) expect(deviceOf(r, chip, 'chip').memory.CB).toMatchObject({ current: 6144, freed: 1, liveBuffers: 2 });
    feed(agg, [cbRelease(0), cbRelease(1)], start + 2);
    r = agg.report({ dropped: 0 });
    for (const chip of [0, 1]) {
      expect(deviceOf(r, chip, 'chip').memory.CB).toEqual({ current: 0, peak: 14336, allocated: 3, freed: 3, lost: 0, liveBuffers: 0 });
    }
    expect(r.circularBuffers).toEqual({ unit: 'bytes per core', basis: 'live' });
    expect(r.leaks).toEqual([]);
  });
});

describe('Aggregator: CB releases for CBs that name no program', () => {
  it('releases the newest run between launches', () => {
    // Runs: [100, 200] before the launch of program 5, [50] after it.
    const { report } = aggregate([cbAlloc(0, 0, 100), cbAlloc(0, 0, 200), program(0, 5), cbAlloc(0, 0, 50), cbRelease(0)]);
    expect(deviceOf(report, 0).memory.CB).toMatchObject({ current: 300, peak: 350, freed: 1, liveBuffers: 2 });
    const r2 = aggregate([cbAlloc(0, 0, 100), cbAlloc(0, 0, 200), program(0, 5), cbAlloc(0, 0, 50), cbRelease(0), cbRelease(0)]).report;
    expect(deviceOf(r2, 0).memory.CB).toMatchObject({ current: 0, freed: 3, liveBuffers: 0 });
  });

  it('loses a closed device’s CBs with it', () => {
    // Chip 0 announced, program 3's CB of 1000 B, chip 0 announced again (a new object): the CB goes.
    const { report } = aggregate([
      deviceInfo(0, MemType.L1, 1 << 20, 1), program(0, 3), cbAlloc(0, 3, 1000, named(3)), deviceInfo(0, MemType.L1, 1 << 20, 1),
    ]);
    expect(deviceOf(report, 0).memory.CB).toEqual({ current: 0, peak: 1000, allocated: 1, freed: 0, lost: 1, liveBuffers: 0 });
  });
});
