import { describe, expect, it } from 'vitest';
import type { Report } from '../lib/report/types';
import { aggregate, alloc, deviceOf, feed, Flag, free, meshChip } from './helpers/stream';

// A mesh's chips are charged through the mesh while they have no usage of their own (usage.ts):
// these scenarios check that a chip's figures and timeline are exactly what charging it one by one
// gives, also once it gets its own allocations or the mesh's chip list changes.

const onMesh = { device: 100, flags: Flag.MeshDevice };
const timelineOf = (report: Report, device: number) => report.timeline.find((t) => t.device === device && t.deviceKind === (device === 100 ? 'mesh' : 'chip') && t.type === 'DRAM')?.points;

describe('Aggregator: mesh backing allocations charged to the chips', () => {
  it('keeps a chip exact when it allocates on its own during the mesh buffers’ lifetime', () => {
    const { report } = aggregate([
      meshChip(100, 0, 0, 2), meshChip(100, 1, 1, 2),
      alloc(1, 0x1000, 1000, onMesh), //  t2: mesh and both chips 1000
      alloc(2, 0x2000, 500, onMesh), //   t3: 1500
      free(1, 0x1000, 1000, onMesh), //   t4: 500
      alloc(3, 0x9000, 300, { device: 1 }), // t5: chip 1 alone: 800
      alloc(4, 0x3000, 2000, onMesh), //  t6: mesh and chip 0 2500, chip 1 2800
      free(2, 0x2000, 500, onMesh), //    t7: 2000 / 2300
      free(4, 0x3000, 2000, onMesh), //   t8: 0 / 300
    ]);
    expect(deviceOf(report, 100).memory.DRAM).toEqual({ current: 0, peak: 2500, allocated: 3, freed: 3, lost: 0, liveBuffers: 0 });
    expect(deviceOf(report, 0).memory.DRAM).toEqual({ current: 0, peak: 2500, allocated: 3, freed: 3, lost: 0, liveBuffers: 0 });
    expect(deviceOf(report, 1).memory.DRAM).toEqual({ current: 300, peak: 2800, allocated: 4, freed: 3, lost: 0, liveBuffers: 1 });
    expect(timelineOf(report, 0)).toEqual([[2, 1000], [3, 1500], [4, 500], [6, 2500], [7, 2000], [8, 0]]);
    expect(timelineOf(report, 1)).toEqual([[2, 1000], [3, 1500], [4, 500], [5, 800], [6, 2800], [7, 2300], [8, 300]]);
  });

  it('releases a mesh buffer from the chips it was charged to when a chip joins later', () => {
    const { report } = aggregate([
      meshChip(100, 0, 0, 2),
      alloc(1, 0x1000, 100, onMesh), // t1: mesh and chip 0 100
      meshChip(100, 1, 1, 2),
      alloc(2, 0x2000, 10, onMesh), //  t3: mesh and chip 0 110, chip 1 10
      free(1, 0x1000, 100, onMesh), //  t4: chip 1 was not charged for buffer 1
    ]);
    expect(deviceOf(report, 100).memory.DRAM).toEqual({ current: 10, peak: 110, allocated: 2, freed: 1, lost: 0, liveBuffers: 1 });
    expect(deviceOf(report, 0).memory.DRAM).toEqual({ current: 10, peak: 110, allocated: 2, freed: 1, lost: 0, liveBuffers: 1 });
    expect(deviceOf(report, 1).memory.DRAM).toEqual({ current: 10, peak: 10, allocated: 1, freed: 0, lost: 0, liveBuffers: 1 });
    expect(timelineOf(report, 0)).toEqual([[1, 100], [3, 110], [4, 10]]);
    expect(timelineOf(report, 1)).toEqual([[3, 10]]);
  });

  it('resets the chips’ peaks with the mesh’s', () => {
    const { agg } = aggregate([meshChip(100, 0, 0, 1), alloc(1, 0x1000, 1000, onMesh), free(1, 0x1000, 1000, onMesh)]);
    agg.resetPeak();
    feed(agg, [alloc(2, 0x1000, 200, onMesh)], 3);
    const report = agg.report({ dropped: 0 });
    expect(deviceOf(report, 0).memory.DRAM).toEqual({ current: 200, peak: 200, allocated: 2, freed: 1, lost: 0, liveBuffers: 1 });
    expect(timelineOf(report, 0)).toEqual([[1, 1000], [2, 0], [3, 200]]);
  });
});
