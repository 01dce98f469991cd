/**
 * report().liveAtPeak (lib/aggregator/live-at-peak.ts): per device × memory type, the owning buffers
 * live when usage first reached its peak, largest first, on hand-built streams whose peaks are
 * derived by hand.
 */
import { describe, expect, it } from 'vitest';
import { MemType, aggregate, alloc, deviceInfo, free, meshChip, onMesh, opEnd, opStart, scopeBegin, scopeEnd } from './helpers/stream';
import { checkReport } from '../lib/report/check';
import { formatReport } from '../lib/output/text';

const at = (seq: number, fields: object) => ({ ...fields, seq, time: 1000 + seq });

describe('report().liveAtPeak', () => {
  it('lists what was live at the first moment of the peak, including buffers freed after it', () => {
    const { report } = aggregate([
      at(1, scopeBegin(1, 2)),
      at(2, opStart(1)),
      at(3, alloc(1, 0x1000, 4096)),   // DRAM 4096: peak 4096
      at(4, alloc(2, 0x4000, 8192)),   // DRAM 12288: peak
      at(5, opEnd()),
      at(6, free(1, 0x1000, 4096)),    // DRAM 8192
      at(7, alloc(3, 0x8000, 16384)),  // DRAM 24576: the peak (buffers 2 and 3 live)
      at(8, free(2, 0x4000, 8192)),    // DRAM 16384: buffer 2 freed after the peak
      at(9, alloc(4, 0x1000, 2048)),   // DRAM 18432: below the peak, not listed
      at(10, alloc(5, 0x100, 1024, { memType: MemType.L1 })), // L1 1024: its peak
      at(11, free(5, 0x100, 1024, { memType: MemType.L1 })),
      at(12, alloc(6, 0x100, 1024, { memType: MemType.L1 })), // L1 1024 again: not a new peak (first moment kept)
      at(13, scopeEnd(1)),
    ], undefined, ['matmul', 'suite > test']);
    checkReport(report, 'report');
    expect(report.liveAtPeak).toEqual([
      {
        device: 0, deviceKind: 'chip', type: 'DRAM', peak: 24576, time: 1007, buffers: 2, omitted: 0,
        listed: [
          { id: 3, size: 16384, block: '0x8000#1', seq: 7, op: null, scope: 'suite > test', freedAfterPeak: false },
          { id: 2, size: 8192, block: '0x4000#1', seq: 4, op: 'matmul', scope: 'suite > test', freedAfterPeak: true },
        ],
      },
      {
        device: 0, deviceKind: 'chip', type: 'L1', peak: 1024, time: 1010, buffers: 1, omitted: 0,
        listed: [{ id: 5, size: 1024, block: '0x100#1', seq: 10, op: null, scope: 'suite > test', freedAfterPeak: true }],
      },
    ]);
    // The text summary tells the same, largest first.
    const text = formatReport(report, { color: false });
    expect(text.slice(text.indexOf('Live at the peak'), text.indexOf('\n\nTop ops'))).toBe([
      'Live at the peak (owning buffers when usage first reached its peak; largest first; bytes per chip)',
      '  chip 0 DRAM: peak 24.0 KiB (24576 B), 2 buffers live',
      '    id      size  alloc seq  freed since  op / scope',
      '     3  16.0 KiB          7  no           - / suite > test',
      '     2   8.0 KiB          4  yes          matmul / suite > test',
      '  chip 0 L1: peak 1.0 KiB (1024 B), 1 buffer live',
      '    id     size  alloc seq  freed since  op / scope',
      '     5  1.0 KiB         10  yes          - / suite > test',
    ].join('\n'));
    // The listed sizes add up to the peak when nothing is left out.
    expect(report.liveAtPeak![0].listed.reduce((n, b) => n + b.size, 0)).toBe(report.devices[0].memory.DRAM.peak);
  });

  it('is bounded: the 20 largest listed, how many were left out said', () => {
    // 25 buffers of 1 KiB x (1..25), then the largest 5 freed after the peak: all 25 were live at it.
    const records = [];
    for (let k = 1; k <= 25; k++) records.push(at(k, alloc(k, k * 0x10000, k * 1024)));
    for (let k = 21; k <= 25; k++) records.push(at(25 + k, free(k, k * 0x10000, k * 1024)));
    const { report } = aggregate(records);
    const [entry] = report.liveAtPeak!;
    // Peak: 1 KiB x (1 + ... + 25) = 325 KiB, at the 25th allocation.
    expect(entry).toMatchObject({ device: 0, type: 'DRAM', peak: 325 * 1024, time: 1025, buffers: 25, omitted: 5 });
    expect(entry.listed.map((b) => [b.id, b.freedAfterPeak])).toEqual(
      Array.from({ length: 20 }, (_, i) => [25 - i, 25 - i > 20]));
  });

  it('keeps the 20 largest of more live buffers, equal sizes by allocation order', () => {
    // 40 live buffers, none freed: sizes 1..10 KiB, each size four times (ids k, k+10, k+20, k+30 for
    // size k KiB), allocated in id order. The peak is the last allocation, with all 40 live. Largest
    // first, ties by allocation sequence: 10 KiB ids 10, 20, 30, 40; 9 KiB ids 9, 19, 29, 39; ... down
    // to 6 KiB: 5 sizes × 4 = 20 listed, 20 left out.
    const records = [];
    for (let id = 1; id <= 40; id++) records.push(at(id, alloc(id, id * 0x10000, (((id - 1) % 10) + 1) * 1024)));
    const [entry] = aggregate(records).report.liveAtPeak!;
    expect(entry).toMatchObject({ buffers: 40, omitted: 20 });
    expect(entry.listed.map((b) => b.id)).toEqual([10, 20, 30, 40, 9, 19, 29, 39, 8, 18, 28, 38, 7, 17, 27, 37, 6, 16, 26, 36]);
  });

  it('charges a mesh backing buffer to the mesh and to each of its chips', () => {
    // Mesh 0 of chips 0 and 1: a 4 KiB MeshBuffer is 4 KiB on each chip and on the mesh row.
    const { report } = aggregate([
      at(1, meshChip(0, 0, 0, 2)), at(2, meshChip(0, 1, 1, 2)),
      at(3, alloc(9, 0x2000, 4096, onMesh(0))),
    ]);
    expect(report.liveAtPeak!.map((e) => [e.deviceKind, e.device, e.type, e.peak, e.listed.map((b) => b.id)])).toEqual([
      ['chip', 0, 'DRAM', 4096, [9]], ['chip', 1, 'DRAM', 4096, [9]], ['mesh', 0, 'DRAM', 4096, [9]],
    ]);
  });

  it('keeps each chip apart once a chip holds a buffer of its own beside the mesh\'s', () => {
    // Mesh 0 of chips 0 and 1 (DRAM, bytes per chip):
    //   seq 3: MeshBuffer 9 (4 KiB)    mesh 4096, chip 0 4096, chip 1 4096
    //   seq 4: chip 1's own 10 (2 KiB) chip 1 6144
    //   seq 5: free 9                  mesh 0, chip 0 0, chip 1 2048
    //   seq 6: MeshBuffer 12 (8 KiB)   mesh 8192, chip 0 8192, chip 1 10240: every peak, at time 1006
    // Buffer 9 was freed before every final peak, so no list shows it; chip 1 also holds 10.
    const { report } = aggregate([
      at(1, meshChip(0, 0, 0, 2)), at(2, meshChip(0, 1, 1, 2)),
      at(3, alloc(9, 0x2000, 4096, onMesh(0))),
      at(4, alloc(10, 0x8000, 2048, { device: 1 })),
      at(5, free(9, 0x2000, 4096, onMesh(0))),
      at(6, alloc(12, 0x4000, 8192, onMesh(0))),
    ]);
    expect(report.liveAtPeak!.map((e) => [e.deviceKind, e.device, e.peak, e.time, e.buffers, e.listed.map((b) => [b.id, b.freedAfterPeak])])).toEqual([
      ['chip', 0, 8192, 1006, 1, [[12, false]]],
      ['chip', 1, 10240, 1006, 2, [[12, false], [10, false]]],
      ['mesh', 0, 8192, 1006, 1, [[12, false]]],
    ]);
  });

  it('charges the mesh alone once its chips are forgotten (a chip reopened closed the mesh)', () => {
    // Mesh 0 of chips 0 and 1, announced before chip 0's DeviceInfo; chip 0 announced again at seq 5
    // is a new object, which closes the mesh (MeshDevice::close closes its chips): buffer 9 is lost
    // with it and the mesh has no chips until MeshChip names them again. Buffer 12 is the mesh's only.
    //   seq 4: MeshBuffer 9 (4 KiB)   mesh 4096, chip 0 4096, chip 1 4096: the chips' peaks (time 1004)
    //   seq 5: chip 0 reopened        9 lost: released everywhere, listed as freed after those peaks
    //   seq 6: 12 on mesh 0 (8 KiB)   mesh 8192: its peak (time 1006); the chips stay at 0
    const { report } = aggregate([
      at(1, meshChip(0, 0, 0, 2)), at(2, meshChip(0, 1, 1, 2)),
      at(3, deviceInfo(0, MemType.DRAM, 1 << 30, 1)),
      at(4, alloc(9, 0x2000, 4096, onMesh(0))),
      at(5, deviceInfo(0, MemType.DRAM, 1 << 30, 1)),
      at(6, alloc(12, 0x8000, 8192, onMesh(0))),
    ]);
    expect(report.liveAtPeak!.map((e) => [e.deviceKind, e.device, e.peak, e.time, e.buffers, e.listed.map((b) => [b.id, b.freedAfterPeak])])).toEqual([
      ['chip', 0, 4096, 1004, 1, [[9, true]]],
      ['chip', 1, 4096, 1004, 1, [[9, true]]],
      ['mesh', 0, 8192, 1006, 1, [[12, false]]],
    ]);
  });
});
