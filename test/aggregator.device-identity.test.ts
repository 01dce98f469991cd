import { describe, expect, it } from 'vitest';
import { usageTable } from '../lib/output/html/tables';
import { toChromeTrace } from '../lib/output/perfetto';
import { formatReport } from '../lib/output/text';
import { mergeReports } from '../lib/report/merge';
import { aggregate, alloc, deviceInfo, deviceOf, free, Flag, meshChip, MemType, onMesh } from './helpers/stream';

// A device is (id, kind): upstream chip ids come from the cluster (0..n-1) and MeshDevice ids from
// `generate_unique_mesh_id()` (mesh_device.cpp), both from 0, so mesh 0 over chips 0 and 1 shares
// its id with chip 0. Event format v2 sets MeshDevice on every event of a mesh (docs/events.md).

const OWNING = { flags: Flag.Owning };
const stream = [
  deviceInfo(0, MemType.DRAM, 1 << 30, 1, { flags: Flag.MeshDevice }), // mesh 0: 1 GiB
  meshChip(0, 0, 0, 2), meshChip(0, 1, 1, 2),
  deviceInfo(0, MemType.DRAM, 2 * 2 ** 30, 1), //                         chip 0: 2 GiB
  alloc(1, 0x1000, 1000, onMesh(0, OWNING)), //    t4: backing, 1000 on mesh 0 and on chips 0 and 1
  alloc(2, 0x5000, 300, { device: 0, ...OWNING }), // t5: chip 0's own
  alloc(3, 0x8000, 50, { device: 1, ...OWNING }), // t6: chip 1's own
  free(2, 0x5000, 300, { device: 0, ...OWNING }), //  t7
];

describe('Aggregator: mesh 0 and chip 0 in one process', () => {
  const { report } = aggregate(stream);

  it('keeps separate rows with exact figures', () => {
    expect(report.devices.map((d) => `${d.kind} ${d.id}`)).toEqual(['chip 0', 'chip 1', 'mesh 0']);
    expect(deviceOf(report, 0, 'mesh')).toMatchObject({ chips: [0, 1], capacity: { DRAM: 1 << 30 } });
    expect(deviceOf(report, 0, 'mesh').memory.DRAM).toEqual({ current: 1000, peak: 1000, allocated: 1, freed: 0, lost: 0, liveBuffers: 1 });
    // Chip 0: 1000 (mesh backing) + 300 (own) at t5, back to 1000 at t7.
    expect(deviceOf(report, 0, 'chip')).toMatchObject({ capacity: { DRAM: 2 * 2 ** 30 } });
    expect(deviceOf(report, 0, 'chip').memory.DRAM).toEqual({ current: 1000, peak: 1300, allocated: 2, freed: 1, lost: 0, liveBuffers: 1 });
    expect(deviceOf(report, 1, 'chip').memory.DRAM).toEqual({ current: 1050, peak: 1050, allocated: 2, freed: 0, lost: 0, liveBuffers: 2 });
  });

  it('classifies every allocation as ok: nothing of chip 0 is taken for mesh 0’s', () => {
    expect(report.classes.alloc).toEqual({ ok: 3, alias: 0, overlap: 0, duplicateAlloc: 0, invalid: 0 });
    expect(report.classes.free).toMatchObject({ ok: 1 });
  });

  it('sees a chip’s owning allocation over its mesh’s backing range as an overlap that retires it', () => {
    // mesh_buffer.cpp: the backing buffer's address is reserved on every chip of the mesh, so chip 0
    // owning the same range means the backing buffer is gone without a free (rule 1).
    const r = aggregate([...stream.slice(0, 5), alloc(9, 0x1000, 300, { device: 0, ...OWNING })]).report;
    expect(r.classes.alloc).toMatchObject({ ok: 1, overlap: 1, alias: 0 });
    expect(r.anomalies.examples.find((e) => e.class === 'overlap')?.related).toEqual({ id: 1, device: 0, deviceKind: 'mesh', block: '0x1000#1', size: 1000 });
    // Chip 0: 1000 (backing) → 0 (retired) → 300; chip 1: 0; mesh 0: 0.
    expect(deviceOf(r, 0, 'chip').memory.DRAM.current).toBe(300);
    expect(deviceOf(r, 1, 'chip').memory.DRAM.current).toBe(0);
    expect(deviceOf(r, 0, 'mesh').memory.DRAM.current).toBe(0);
  });

  it('keeps the timelines apart', () => {
    expect(report.timeline.map((s) => [s.deviceKind, s.device, s.points])).toEqual([
      ['chip', 0, [[4, 1000], [5, 1300], [7, 1000]]],
      ['chip', 1, [[4, 1000], [6, 1050]]],
      ['mesh', 0, [[4, 1000]]],
    ]);
  });

  it('names each device with its kind in leaks, text, HTML and Perfetto', () => {
    expect(report.leaks.map((l) => `${l.deviceKind} ${l.device}:${l.id}`)).toEqual(['mesh 0:1', 'chip 1:3']);
    const text = formatReport(report, { color: false, width: 140 });
    expect(text.split('\n').filter((l) => /^\s+0 {2}(chip|mesh)/.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 4))).toEqual([
      ['0', 'chip', 'DRAM', '1000'], ['0', 'mesh', 'DRAM', '1000'],
    ]);
    const html = usageTable(report);
    expect(html).toContain('<td>chip 0</td>');
    expect(html).toContain('<td>mesh 0</td>');
    const names = toChromeTrace(report).traceEvents.filter((e) => e.name === 'process_name').map((e) => [e.pid, (e.args as { name: string }).name]);
    // Chips at id + 1, meshes at 140000 + id + 1: mesh 0 and chip 0 are two processes.
    expect(names).toEqual([[1, 'chip 0'], [2, 'chip 1'], [140001, 'mesh 0']]);
  });

  it('merges reports of two processes by (id, kind)', () => {
    const merged = mergeReports([report, report]);
    expect(merged.devices.map((d) => `${d.kind} ${d.id}`)).toEqual(['chip 0', 'chip 1', 'mesh 0']);
    expect(deviceOf(merged, 0, 'chip').memory.DRAM).toEqual({ current: 2000, peak: 1300, allocated: 4, freed: 2, lost: 0, liveBuffers: 2 });
    expect(deviceOf(merged, 0, 'mesh').memory.DRAM).toEqual({ current: 2000, peak: 1000, allocated: 2, freed: 0, lost: 0, liveBuffers: 2 });
  });
});
