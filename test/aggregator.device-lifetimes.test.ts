import { describe, expect, it } from 'vitest';
import { formatReport } from '../lib/output/text';
import { leaksTable } from '../lib/output/html/tables';
import { aggregate, alloc, deviceInfo, deviceOf, free, Flag, meshChip, MemType, onMesh } from './helpers/stream';

// Device lifetimes (lib/aggregator/aggregator.ts reopen()). Upstream `Device::close` reports the
// program cache's frees while still initialized, then nothing: a buffer freed after its device closed
// emits no event (docs/sim.md#device-close-devicecpp-deviceclose-mesh_devicecpp-meshdeviceclose-every-generation). The processor announces a device object with DeviceInfo per
// memory type (native/processor/alloc_processor.cpp `first_sighting`), and again when a new object
// appears under the same (id, kind): a memory type announced twice means the device was reopened.

const OWNING = Flag.Owning;
const GiB = 2 ** 30;
const announceChip = (id: number) => [deviceInfo(id, MemType.DRAM, 12 * GiB, 1), deviceInfo(id, MemType.L1, 64 * 1024 * 1024, 1)];

describe('Aggregator: a chip closed with live buffers, reopened and reused', () => {
  const { report } = aggregate([
    ...announceChip(0), //                                      t0-1: chip 0 opened
    alloc(1, 0x1000, 1000, { flags: OWNING }), //                 t2: DRAM 1000
    alloc(2, 0x20000, 2000, { flags: OWNING, memType: MemType.L1 }), // t3: L1 2000
    alloc(3, 0x8000, 500, { flags: OWNING }), //                  t4: DRAM 1500
    free(3, 0x8000, 500, { flags: OWNING }), //                   t5: DRAM 1000
    // closed with buffers 1 and 2 live (no event); reopened: a new device object under id 0
    ...announceChip(0), //                                      t6: DRAM 0 (1 lost), t7: L1 0 (2 lost)
    alloc(4, 0x1000, 300, { flags: OWNING }), //                  t8: same address as buffer 1: new memory
    alloc(5, 0x20000, 100, { flags: OWNING, memType: MemType.L1 }), // t9
    free(1, 0x1000, 1000, { flags: OWNING }), //                  t10: a late free of an old object
    free(4, 0x1000, 300, { flags: OWNING }), //                   t11: DRAM 0
  ]);

  it('counts usage after the reopen from the new buffers only', () => {
    // DRAM: allocated 1, 3, 4; freed 3, 4; lost 1. Peak 1500 (t4), before the close.
    expect(deviceOf(report, 0).memory.DRAM).toEqual({ current: 0, peak: 1500, allocated: 3, freed: 2, lost: 1, liveBuffers: 0 });
    // L1: 2 lost at the reopen; 5 live.
    expect(deviceOf(report, 0).memory.L1).toEqual({ current: 100, peak: 2000, allocated: 2, freed: 0, lost: 1, liveBuffers: 1 });
    expect(report.timeline.find((s) => s.type === 'DRAM')?.points).toEqual([[2, 1000], [4, 1500], [5, 1000], [6, 0], [8, 300], [11, 0]]);
    expect(deviceOf(report, 0).opens).toBe(2);
  });

  it('never matches the new allocations against the dead buffers', () => {
    expect(report.classes.alloc).toEqual({ ok: 5, alias: 0, overlap: 0, duplicateAlloc: 0, invalid: 0 });
    // Block 0x1000#2: the second owning allocation at that address (buffer 1 was #1).
    expect(report.leaks.find((l) => l.id === 5)).toMatchObject({ block: '0x20000#2' });
  });

  it('reports the lost buffers once, marked, with their device', () => {
    expect(report.leaks).toEqual([
      { id: 2, device: 0, deviceKind: 'chip', type: 'L1', address: 0x20000, block: '0x20000#1', size: 2000, seq: 3, op: null, scope: null, lostWithDevice: true, lifetime: 'deviceClose' },
      { id: 1, device: 0, deviceKind: 'chip', type: 'DRAM', address: 0x1000, block: '0x1000#1', size: 1000, seq: 2, op: null, scope: null, lostWithDevice: true, lifetime: 'deviceClose' },
      { id: 5, device: 0, deviceKind: 'chip', type: 'L1', address: 0x20000, block: '0x20000#2', size: 100, seq: 9, op: null, scope: null },
    ]);
    expect(report.leakSummary).toMatchObject({ buffers: 3, bytes: 3100, lostWithDevice: { buffers: 2, bytes: 3000 } });
  });

  it('classifies the late free of an old object without charging it', () => {
    expect(report.classes.free).toEqual({ ok: 2, aliasFree: 0, doubleFree: 0, staleFree: 1, untrackedFree: 0, invalid: 0 });
    expect(report.anomalies.staleFree).toEqual({ count: 1, deviceClosed: 1, displaced: 0 });
    // The example tells the lost buffer's story: allocated at seq 2, block 0x1000#1.
    expect(report.anomalies.examples.find((e) => e.class === 'staleFree')).toMatchObject({
      object: 1, subkind: 'deviceClosed', block: '0x1000#1', allocation: { seq: 2 }, offending: { seq: 10 },
    });
  });

  it('shows the marker in text and HTML', () => {
    const text = formatReport(report, { color: false, width: 140 });
    // 3100 B = 3.0 KiB; 3000 B = 2.9 KiB (formatBytes: one decimal).
    expect(text).toContain('Leaks: 3 buffers, 3.0 KiB still allocated, of which 2 buffers (2.9 KiB) lost with a closed device');
    expect(text.split('\n').filter((l) => l.includes('lost with closed device'))).toHaveLength(2);
    const html = leaksTable(report);
    expect(html.match(/<td>lost with closed device<\/td>/g)).toHaveLength(2);
    expect(html.match(/<td>live<\/td>/g)).toHaveLength(1);
  });
});

describe('Aggregator: a mesh closed with a live MeshBuffer, reopened and reused', () => {
  // Mesh 0 over chips 0 and 1; the mesh announces its DRAM, then its chips (MeshChip); the chip
  // objects are announced too. MeshDevice::close closes the chips: all three come back as new objects.
  const SIZE = 4096;
  const openMesh = [
    deviceInfo(0, MemType.DRAM, 12 * GiB, 1, { flags: Flag.MeshDevice }),
    meshChip(0, 0, 0, 2), meshChip(0, 1, 1, 2),
    deviceInfo(0, MemType.DRAM, 12 * GiB, 1), deviceInfo(1, MemType.DRAM, 12 * GiB, 1),
  ];
  const { report } = aggregate([
    ...openMesh, //                                                 t0-4
    alloc(1, 0x1000, SIZE, onMesh(0, { flags: OWNING })), //          t5: each chip 4096
    alloc(2, 0x9000, 100, { device: 1, flags: OWNING }), //           t6: chip 1's own buffer: 4196
    ...openMesh, //                                                 t7-11: reopened
    alloc(3, 0x1000, SIZE, onMesh(0, { flags: OWNING })), //          t12: each chip 4096 again
  ]);

  it('releases the old backing buffer from every chip and charges the new one', () => {
    expect(deviceOf(report, 0, 'mesh').memory.DRAM).toEqual({ current: SIZE, peak: SIZE, allocated: 2, freed: 0, lost: 1, liveBuffers: 1 });
    expect(deviceOf(report, 0, 'chip').memory.DRAM).toEqual({ current: SIZE, peak: SIZE, allocated: 2, freed: 0, lost: 1, liveBuffers: 1 });
    // Chip 1: backing 4096 + own 100 = 4196 peak; both lost; the new backing 4096.
    expect(deviceOf(report, 1, 'chip').memory.DRAM).toEqual({ current: SIZE, peak: SIZE + 100, allocated: 3, freed: 0, lost: 2, liveBuffers: 1 });
    expect(deviceOf(report, 0, 'mesh')).toMatchObject({ opens: 2, chips: [0, 1] });
  });

  it('lists the mesh and chip buffers lost with their devices, and the new one live', () => {
    expect(report.leaks.map((l) => [l.id, `${l.deviceKind} ${l.device}`, l.lostWithDevice ?? false])).toEqual([
      [1, 'mesh 0', true], [3, 'mesh 0', false], [2, 'chip 1', true],
    ]);
    expect(report.classes.alloc).toMatchObject({ ok: 3, overlap: 0, alias: 0 });
  });

  it('sees a reopen announced by MeshChip alone (a runtime without allocator statistics)', () => {
    const r = aggregate([
      meshChip(0, 0, 0, 1),
      alloc(1, 0x1000, SIZE, onMesh(0)),
      meshChip(0, 0, 0, 1), // the same chip announced again: a new mesh object
      alloc(2, 0x1000, SIZE, onMesh(0)),
    ]).report;
    expect(r.classes.alloc).toMatchObject({ ok: 2, alias: 0, overlap: 0 });
    expect(deviceOf(r, 0, 'chip').memory.DRAM).toEqual({ current: SIZE, peak: SIZE, allocated: 2, freed: 0, lost: 1, liveBuffers: 1 });
  });
});

describe('Aggregator: a mesh closed and a new mesh (a new id) opened over the same chips', () => {
  // Mesh ids are never reused (generate_unique_mesh_id()): mesh 0 closes with a live MeshBuffer, mesh 1
  // opens over chips 0 and 1, whose new objects the processor announces after mesh 1's chips.
  const SIZE = 4096;
  const open = (mesh: number) => [
    deviceInfo(mesh, MemType.DRAM, 12 * GiB, 1, { flags: Flag.MeshDevice }),
    meshChip(mesh, 0, 0, 2), meshChip(mesh, 1, 1, 2),
    deviceInfo(0, MemType.DRAM, 12 * GiB, 1), deviceInfo(1, MemType.DRAM, 12 * GiB, 1),
  ];
  const { report } = aggregate([
    ...open(0),
    alloc(1, 0x1000, SIZE, onMesh(0)), //  each chip 4096
    ...open(1), //                          chips 0 and 1 reopened: mesh 0 (announced before them) is gone
    alloc(2, 0x1000, 2 * SIZE, onMesh(1)), // each chip 8192
  ]);

  it('counts on the chips only the new mesh’s buffer', () => {
    for (const chip of [0, 1]) {
      expect(deviceOf(report, chip, 'chip').memory.DRAM).toEqual({ current: 2 * SIZE, peak: 2 * SIZE, allocated: 2, freed: 0, lost: 1, liveBuffers: 1 });
    }
    expect(deviceOf(report, 0, 'mesh').memory.DRAM).toMatchObject({ current: 0, lost: 1 });
    expect(deviceOf(report, 1, 'mesh')).toMatchObject({ chips: [0, 1], memory: { DRAM: { current: 2 * SIZE, liveBuffers: 1 } } });
    // Mesh 0's chips are forgotten: it no longer lists them.
    expect(deviceOf(report, 0, 'mesh').chips).toEqual([]);
    expect(report.classes.alloc).toMatchObject({ ok: 2, alias: 0, overlap: 0 });
    expect(report.leaks.map((l) => [l.id, `${l.deviceKind} ${l.device}`, l.lostWithDevice ?? false])).toEqual([[2, 'mesh 1', false], [1, 'mesh 0', true]]);
  });
});

describe('Aggregator: a reopen the processor could not announce', () => {
  it('relies on the Owning flag: the new owner over the dead one is an overlap that retires it', () => {
    // No DeviceInfo (a runtime without allocator statistics): rule 1 still keeps usage exact.
    const r = aggregate([
      alloc(1, 0x1000, 1000, { flags: OWNING }),
      alloc(2, 0x1000, 1000, { flags: OWNING }),
    ]).report;
    expect(r.classes.alloc).toMatchObject({ ok: 1, overlap: 1 });
    expect(deviceOf(r, 0).memory.DRAM).toEqual({ current: 1000, peak: 1000, allocated: 2, freed: 1, lost: 0, liveBuffers: 1 });
  });
});
