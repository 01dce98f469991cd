import { describe, expect, it } from 'vitest';
import { formatReport } from '../lib/output/text';
import { aggregate, alloc, free, Flag, meshChip, MemType, onMesh, opEnd, opStart, scopeBegin, scopeEnd } from './helpers/stream';

// Op and scope peaks per chip (lib/aggregator/ops-scopes.ts, docs/report.md#ops-and-scopes):
// `peak` = the most bytes that allocations made inside the op held at once on one chip (frees of
// memory allocated before it do not offset it); `devicePeak` = the highest usage a chip reached while
// the op ran (ttnn's peak-L1 extraction reads the device's usage the same way).

const L1 = { memType: MemType.L1, flags: Flag.Owning };
const zero = { DRAM: 0, L1: 0, SYSTEM_MEMORY: 0, L1_SMALL: 0, TRACE: 0, CB: 0 };
const chip = (id: number) => ({ id, kind: 'chip' });

describe('Aggregator: an op that frees a fixture allocated before it and allocates its output (one chip)', () => {
  // Before the op chip 0 holds G (8192 B, untouched) and the fixture F (1024 B): L1 9216.
  // ttnn.mul: frees F (→ 8192), allocates its output O (2048 B → 10240).
  const { report } = aggregate([
    alloc(1, 0x10000, 8192, L1),
    alloc(2, 0x20000, 1024, L1),
    opStart(1),
    free(2, 0x20000, 1024, L1),
    alloc(3, 0x30000, 2048, L1),
    opEnd(),
  ], {}, ['ttnn.mul']);

  it('peak is the output’s size, not the net change', () => {
    // Own allocations: O alone, 2048; F's free is earlier memory and does not offset it.
    expect(report.ops[0]).toMatchObject({ name: 'ttnn.mul', calls: 1, peak: { ...zero, L1: 2048 }, peakDevice: { L1: chip(0) } });
  });

  it('devicePeak is the chip’s highest usage while the op ran', () => {
    // 9216 at the start → 8192 → 10240.
    expect(report.ops[0]).toMatchObject({ devicePeak: { ...zero, L1: 10240 }, devicePeakDevice: { L1: chip(0) } });
  });

  it('counts the level at the op’s start when the op only frees', () => {
    // Chip 0 L1 is 9216 when ttnn.deallocate starts and only falls: devicePeak 9216, peak 0.
    const r = aggregate([
      alloc(1, 0x10000, 8192, L1), alloc(2, 0x20000, 1024, L1),
      opStart(1), free(2, 0x20000, 1024, L1), opEnd(),
    ], {}, ['ttnn.deallocate']).report;
    expect(r.ops[0]).toMatchObject({ peak: zero, peakDevice: {}, devicePeak: { ...zero, L1: 9216 }, devicePeakDevice: { L1: chip(0) } });
  });
});

describe('Aggregator: op peaks on a mesh are per chip, not summed', () => {
  // Mesh 0 over chips 0 and 1. A fixture MeshBuffer F (1024 B per chip) and chip 1's own buffer B
  // (500 B) exist before the op. The op frees F and allocates its output O (2048 B per chip).
  const { report } = aggregate([
    meshChip(0, 0, 0, 2), meshChip(0, 1, 1, 2),
    alloc(1, 0x20000, 1024, onMesh(0, L1)), //        chips 0 and 1: 1024
    alloc(2, 0x90000, 500, { device: 1, ...L1 }), //  chip 1: 1524
    opStart(1),
    free(1, 0x20000, 1024, onMesh(0, L1)), //         chip 0: 0, chip 1: 500
    alloc(3, 0x30000, 2048, onMesh(0, L1)), //        chip 0: 2048, chip 1: 2548
    opEnd(),
  ], {}, ['ttnn.mul']);

  it('peak is the output’s size per chip (2048), on the first chip that reached it', () => {
    expect(report.ops[0]).toMatchObject({ peak: { ...zero, L1: 2048 }, peakDevice: { L1: chip(0) } });
  });

  it('devicePeak names the chip that went highest', () => {
    // Chip 0: 1024 → 0 → 2048; chip 1: 1524 → 500 → 2548.
    expect(report.ops[0]).toMatchObject({ devicePeak: { ...zero, L1: 2548 }, devicePeakDevice: { L1: chip(1) } });
  });

  it('states units and chips in the text', () => {
    const text = formatReport(report, { color: false, width: 160 });
    expect(text).toContain('Top ops by peak (1 of 1; bytes per chip, CB bytes per core)');
    expect(text).toContain('L1 2.0 KiB on chip 0');
    expect(text).toContain('L1 2.5 KiB on chip 1');
  });
});

describe('Aggregator: op peaks when a chip of the mesh gets its own allocation mid-op', () => {
  it('keeps every chip’s figures exact (the mesh charge is applied once while the chips mirror the mesh)', () => {
    // Mesh 0 over chips 0 and 1, L1. In the op: mesh 1000 (each chip 1000), chip 1's own 500
    // (chip 1: 1500), mesh 200 (chip 0: 1200, chip 1: 1700), free of the mesh 1000 (chip 0: 200, chip 1: 700).
    const r = aggregate([
      meshChip(0, 0, 0, 2), meshChip(0, 1, 1, 2),
      opStart(1),
      alloc(1, 0x10000, 1000, onMesh(0, L1)),
      alloc(2, 0x90000, 500, { device: 1, ...L1 }),
      alloc(3, 0x20000, 200, onMesh(0, L1)),
      free(1, 0x10000, 1000, onMesh(0, L1)),
      opEnd(),
    ], {}, ['op']).report;
    expect(r.ops[0]).toMatchObject({
      peak: { ...zero, L1: 1700 }, peakDevice: { L1: chip(1) }, devicePeak: { ...zero, L1: 1700 }, devicePeakDevice: { L1: chip(1) },
    });
    expect(r.devices.find((d) => d.kind === 'chip' && d.id === 0)!.memory.L1).toMatchObject({ current: 200, peak: 1200 });
  });
});

describe('Aggregator: scope peaks', () => {
  it('count allocations on every thread made inside the scope, per chip', () => {
    // Scope "test": thread 1 allocates 100 on chip 0, thread 2 allocates 300 on chip 0 and 50 on
    // chip 1, then frees a buffer allocated before the scope (1000 on chip 0).
    const r = aggregate([
      alloc(1, 0x1000, 1000, { flags: Flag.Owning }),
      scopeBegin(9, 1),
      alloc(2, 0x2000, 100, { flags: Flag.Owning }),
      alloc(3, 0x3000, 300, { flags: Flag.Owning, thread: 2 }),
      alloc(4, 0x3000, 50, { flags: Flag.Owning, thread: 2, device: 1 }),
      free(1, 0x1000, 1000, { flags: Flag.Owning, thread: 2 }),
      scopeEnd(9),
    ], {}, ['test']).report;
    // Own on chip 0: 100 → 400 (the free is earlier memory); chip 0 level: 1000 → 1100 → 1400 → 400.
    expect(r.scopes[0]).toMatchObject({
      name: 'test', peak: { ...zero, DRAM: 400 }, peakDevice: { DRAM: chip(0) }, devicePeak: { ...zero, DRAM: 1400 }, devicePeakDevice: { DRAM: chip(0) },
    });
  });

  it('an op on one thread does not own another thread’s allocations but sees their device usage', () => {
    const r = aggregate([
      opStart(1, 1),
      alloc(1, 0x1000, 100, { flags: Flag.Owning, thread: 1 }),
      alloc(2, 0x2000, 700, { flags: Flag.Owning, thread: 2 }),
      opEnd(1),
    ], {}, ['op']).report;
    // Own: 100 (thread 1 only); chip 0 reached 800 while it ran.
    expect(r.ops[0]).toMatchObject({ peak: { ...zero, DRAM: 100 }, devicePeak: { ...zero, DRAM: 800 } });
  });
});
