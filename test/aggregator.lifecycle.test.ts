import { describe, expect, it } from 'vitest';
import { aggregate, alloc, deviceOf, EventKind, free, Flag, meshChip, MemType, otherAnomalyCounts } from './helpers/stream';

const MESH = 100;
const CHIPS = [0, 1, 2, 3, 4, 5, 6, 7];
const SIZE = 4096;
const ADDR = 0x1000;

describe('Aggregator: MeshBuffer replicas as the socket-fed allocation server saw them (8 chips)', () => {
  // backing buffer on the mesh id, then one non-owning buffer per chip at the same address;
  // frees chips first, then the backing buffer.
  const records = [
    ...CHIPS.map((chip, index) => meshChip(MESH, chip, index, CHIPS.length)),
    alloc(1, ADDR, SIZE, { device: MESH, flags: Flag.MeshDevice }),
    ...CHIPS.map((chip) => alloc(10 + chip, ADDR, SIZE, { device: chip, flags: Flag.NonOwning })),
    ...CHIPS.map((chip) => free(10 + chip, ADDR, SIZE, { device: chip, flags: Flag.NonOwning })),
    free(1, ADDR, SIZE, { device: MESH, flags: Flag.MeshDevice }),
  ];
  const { report } = aggregate(records);

  it('classifies the 8 per-chip allocations as replica aliases and their frees as replica aliasFree', () => {
    expect(report.anomalies.alias).toEqual({ count: 8, view: 0, replica: 8 });
    expect(report.anomalies.aliasFree).toEqual({ count: 8, view: 0, replica: 8 });
    expect(report.classes.alloc).toEqual({ ok: 1, alias: 8, overlap: 0, duplicateAlloc: 0, invalid: 0 });
    expect(report.classes.free).toEqual({ ok: 1, aliasFree: 8, doubleFree: 0, staleFree: 0, untrackedFree: 0, invalid: 0 });
  });

  it('finds no other anomaly', () => {
    expect(otherAnomalyCounts(report, ['alias', 'aliasFree'])).toEqual({ doubleFree: 0, staleFree: 0, untrackedFree: 0, overlap: 0, duplicateAlloc: 0 });
    expect(report.summary.suspiciousFrees).toBe(0);
    expect(report.summary.aliasFrees).toBe(8);
    expect(report.summary.worstAddress).toBeNull();
  });

  it('charges the backing size on every chip: peak = size, current back to 0', () => {
    for (const chip of CHIPS) {
      expect(deviceOf(report, chip).memory.DRAM).toEqual({ current: 0, peak: SIZE, allocated: 1, freed: 1, lost: 0, liveBuffers: 0 });
    }
    const mesh = deviceOf(report, MESH);
    expect(mesh.kind).toBe('mesh');
    expect(mesh.chips).toEqual(CHIPS);
    expect(mesh.memory.DRAM).toEqual({ current: 0, peak: SIZE, allocated: 1, freed: 1, lost: 0, liveBuffers: 0 });
    expect(report.leaks).toEqual([]);
  });

  it('names the owner in replica examples', () => {
    const ex = report.anomalies.examples.filter((e) => e.class === 'aliasFree');
    expect(ex).toHaveLength(8);
    expect(ex[0]).toMatchObject({ subkind: 'replica', object: 10, device: 0, type: 'DRAM', block: '0x1000#1', related: { id: 1, device: MESH, block: '0x1000#1', size: SIZE } });
    expect(ex[0].allocation).toEqual({ seq: 9, thread: 1, op: null, scope: null });
    expect(ex[0].offending).toEqual({ seq: 17, thread: 1, op: null, scope: null, time: 17 });
  });

  it('charges a mesh allocation made with the MeshDevice flag but no known chips to the mesh only', () => {
    const r = aggregate([alloc(1, ADDR, SIZE, { device: 7, flags: Flag.MeshDevice })]).report;
    expect(r.devices.map((d) => [d.id, d.kind, d.chips])).toEqual([[7, 'mesh', []]]);
    expect(deviceOf(r, 7).memory.DRAM.current).toBe(SIZE);
  });
});

describe('Aggregator: Buffer::view()', () => {
  const records = [
    alloc(1, 0x2000, 1024),
    alloc(2, 0x2100, 256, { flags: Flag.View | Flag.NonOwning, rootId: 1, aux: 0x100 }),
    free(2, 0x2100, 256, { flags: Flag.View | Flag.NonOwning }),
    free(1, 0x2000, 1024),
  ];
  const { report } = aggregate(records);

  it('tracks the view as an alias and its free as a view aliasFree, not new memory', () => {
    expect(report.anomalies.alias).toEqual({ count: 1, view: 1, replica: 0 });
    expect(report.anomalies.aliasFree).toEqual({ count: 1, view: 1, replica: 0 });
    expect(deviceOf(report, 0).memory.DRAM).toEqual({ current: 0, peak: 1024, allocated: 1, freed: 1, lost: 0, liveBuffers: 0 });
    expect(otherAnomalyCounts(report, ['alias', 'aliasFree'])).toEqual({ doubleFree: 0, staleFree: 0, untrackedFree: 0, overlap: 0, duplicateAlloc: 0 });
  });

  it('calls a view freed after its owner a staleFree (rule 1)', () => {
    const r = aggregate([alloc(1, 0x2000, 1024), alloc(2, 0x2000, 256), free(1, 0x2000, 1024), free(2, 0x2000, 256)]).report;
    expect(r.classes.free).toEqual({ ok: 1, aliasFree: 0, doubleFree: 0, staleFree: 1, untrackedFree: 0, invalid: 0 });
    expect(r.anomalies.alias.view).toBe(1);
  });

  it('calls an unseen free inside a live owner a view aliasFree when smaller, replica when the same range (rule 3)', () => {
    const r = aggregate([alloc(1, 0x2000, 1024), free(5, 0x2040, 64), free(6, 0x2000, 1024), free(1, 0x2000, 1024)]).report;
    expect(r.anomalies.aliasFree).toEqual({ count: 2, view: 1, replica: 1 });
    expect(r.classes.free.ok).toBe(1);
  });
});

describe('Aggregator: program pool late free after address reuse', () => {
  // A (id 1) allocated and freed; B (id 2) reuses the address; A's stale object frees again.
  const { report } = aggregate([alloc(1, 0x3000, 512), free(1, 0x3000, 512), alloc(2, 0x3000, 512), free(1, 0x3000, 512), free(2, 0x3000, 512)]);

  it('is a doubleFree afterReuse naming the new owner and both stories', () => {
    expect(report.anomalies.doubleFree).toEqual({ count: 1, afterReuse: 1 });
    const [ex] = report.anomalies.examples.filter((e) => e.class === 'doubleFree');
    expect(ex).toEqual({
      class: 'doubleFree', subkind: 'afterReuse', object: 1, device: 0, deviceKind: 'chip', type: 'DRAM', block: '0x3000#1', size: 512,
      related: { id: 2, device: 0, deviceKind: 'chip', block: '0x3000#2', size: 512 },
      allocation: { seq: 0, thread: 1, op: null, scope: null },
      firstFree: { seq: 1, thread: 1, op: null, scope: null },
      offending: { seq: 3, thread: 1, op: null, scope: null, time: 3 },
    });
  });

  it('keeps B accounted: its own free is ok and usage returns to 0', () => {
    expect(report.classes.free.ok).toBe(2);
    expect(deviceOf(report, 0).memory.DRAM).toEqual({ current: 0, peak: 512, allocated: 2, freed: 2, lost: 0, liveBuffers: 0 });
    expect(report.summary).toEqual({
      allocs: 2, frees: 3, suspiciousFrees: 1, aliasFrees: 0, affectedBuffers: 1, excessFreeRate: 0.5,
      worstAddress: { device: 0, deviceKind: 'chip', type: 'DRAM', address: 0x3000, excessFrees: 1 },
    });
  });
});

describe('Aggregator: free classes', () => {
  it('genuine double free: doubleFree without afterReuse', () => {
    const r = aggregate([alloc(1, 0x1000, 64), free(1, 0x1000, 64), free(1, 0x1000, 64)]).report;
    expect(r.anomalies.doubleFree).toEqual({ count: 1, afterReuse: 0 });
    expect(r.anomalies.examples[0]).toMatchObject({ class: 'doubleFree', object: 1, block: '0x1000#1', firstFree: { seq: 1 }, offending: { seq: 2 } });
    expect(r.anomalies.examples[0].subkind).toBeUndefined();
    expect(deviceOf(r, 0).memory.DRAM.current).toBe(0);
  });

  it('untracked free: never seen, nothing ever at that range', () => {
    const r = aggregate([free(9, 0x9000, 64, { device: 3, memType: MemType.L1 })]).report;
    expect(r.anomalies.untrackedFree.count).toBe(1);
    expect(r.anomalies.examples[0]).toMatchObject({ class: 'untrackedFree', object: 9, device: 3, type: 'L1', block: '0x9000#0', allocation: null, firstFree: null });
    expect(r.summary.worstAddress).toEqual({ device: 3, deviceKind: 'chip', type: 'L1', address: 0x9000, excessFrees: 1 });
  });

  it('stale free: never seen, at an address that was owned and freed', () => {
    const r = aggregate([alloc(1, 0x1000, 64), free(1, 0x1000, 64), free(7, 0x1000, 64)]).report;
    expect(r.anomalies.staleFree.count).toBe(1);
    expect(r.anomalies.untrackedFree.count).toBe(0);
  });

  it('stale free: never seen, partly over another live object', () => {
    const r = aggregate([alloc(1, 0x1000, 64), free(7, 0x0ff0, 64)]).report;
    expect(r.anomalies.staleFree.count).toBe(1);
    expect(r.anomalies.examples[0]).toMatchObject({ class: 'staleFree', related: { id: 1 } });
    expect(deviceOf(r, 0).memory.DRAM.current).toBe(64);
  });
});

describe('Aggregator: allocation classes', () => {
  it('overlap: covers part of a live range; the newer allocation owns it, both stay charged', () => {
    const r = aggregate([alloc(1, 0x1000, 0x100), alloc(2, 0x1080, 0x100), free(1, 0x1000, 0x100), free(2, 0x1080, 0x100)]).report;
    expect(r.anomalies.overlap.count).toBe(1);
    expect(r.anomalies.examples[0]).toMatchObject({ class: 'overlap', object: 2, block: '0x1080#1', related: { id: 1, block: '0x1000#1' } });
    expect(r.classes.free.ok).toBe(2);
    expect(deviceOf(r, 0).memory.DRAM).toEqual({ current: 0, peak: 0x200, allocated: 2, freed: 2, lost: 0, liveBuffers: 0 });
  });

  it('duplicateAlloc: a live object allocated again is not charged twice', () => {
    const r = aggregate([alloc(1, 0x1000, 64), alloc(1, 0x1000, 64), free(1, 0x1000, 64)]).report;
    expect(r.anomalies.duplicateAlloc.count).toBe(1);
    expect(r.classes.free.ok).toBe(1);
    expect(deviceOf(r, 0).memory.DRAM).toEqual({ current: 0, peak: 64, allocated: 1, freed: 1, lost: 0, liveBuffers: 0 });
  });

  it('address generations count owning allocations per address', () => {
    const r = aggregate([alloc(1, 0x1000, 64), free(1, 0x1000, 64), alloc(2, 0x1000, 64), free(2, 0x1000, 64), alloc(3, 0x1000, 64)]).report;
    expect(r.leaks).toEqual([{ id: 3, device: 0, deviceKind: 'chip', type: 'DRAM', address: 0x1000, block: '0x1000#3', size: 64, seq: 4, op: null, scope: null }]);
  });
});

describe('Aggregator: hostile input', () => {
  it('applies a batch in sequence order even when records arrive out of order', () => {
    const r = aggregate([free(1, 0x1000, 64, { seq: 1 }), alloc(1, 0x1000, 64, { seq: 0 })]).report;
    expect(r.classes.free.ok).toBe(1);
    expect(r.events.outOfOrder).toBe(0);
  });

  it('counts unknown kinds and invalid memory types without charging anything', () => {
    const r = aggregate([{ kind: 0 as never }, { kind: 200 as never }, alloc(1, 0x1000, 64, { memType: 9 }), free(1, 0x1000, 64, { memType: 255 })]).report;
    expect(r.events).toMatchObject({ total: 4, unknown: 2, alloc: 1, free: 1 });
    expect(r.classes.alloc.invalid).toBe(1);
    expect(r.classes.free.invalid).toBe(1);
    expect(r.devices).toEqual([]);
  });

  it('returns to exactly 0 after sizes beyond 2^53', () => {
    const r = aggregate([alloc(1, 0x1000, 100), alloc(2, 2 ** 60, 2 ** 63), free(2, 2 ** 60, 2 ** 63), free(1, 0x1000, 100), free(1, 0x1000, 100)]).report;
    expect(r.devices[0].memory.DRAM).toMatchObject({ current: 0, liveBuffers: 0 });
  });
});

describe('Aggregator: a replica freed twice while its backing buffer lives', () => {
  it('is a plain doubleFree naming the owner, not afterReuse', () => {
    const r = aggregate([
      meshChip(100, 0, 0, 1),
      alloc(1, 0x1000, 64, { device: 100, flags: Flag.MeshDevice }),
      alloc(2, 0x1000, 64, { device: 0 }),
      free(2, 0x1000, 64, { device: 0 }),
      free(2, 0x1000, 64, { device: 0 }),
    ]).report;
    expect(r.anomalies.doubleFree).toEqual({ count: 1, afterReuse: 0 });
    expect(r.anomalies.examples.find((e) => e.class === 'doubleFree')).toMatchObject({ related: { id: 1, device: 100 }, firstFree: { seq: 3 }, offending: { seq: 4 } });
  });
});

describe('Aggregator: interleaved buffers occupy ceil(pages / banks) pages of each bank', () => {
  // 12 DRAM banks, 2 KiB pages: 25 pages → 3 pages per bank (6 KiB of each bank's address space),
  // although the buffer's size is 50 KiB. Event addresses are per-bank offsets.
  const PAGE = 2048;
  const info = { kind: EventKind.DeviceInfo, device: 0, memType: MemType.DRAM, size: 12 * (1 << 30), aux: 12 };
  const a = alloc(1, 0x10000, 25 * PAGE, { pageSize: PAGE });
  const b = alloc(2, 0x10000 + 3 * PAGE, 25 * PAGE, { pageSize: PAGE });

  it('places the next buffer right after the per-bank footprint without an overlap', () => {
    const { report } = aggregate([info, a, b, free(1, 0x10000, 25 * PAGE, { pageSize: PAGE }), free(2, 0x10000 + 3 * PAGE, 25 * PAGE, { pageSize: PAGE })]);
    expect(report.classes.alloc).toMatchObject({ ok: 2, overlap: 0 });
    expect(report.classes.free).toMatchObject({ ok: 2, staleFree: 0 });
    expect(deviceOf(report, 0).memory.DRAM).toMatchObject({ current: 0, peak: 50 * PAGE });
  });

  it('still sees an allocation straddling the footprint\'s end as an overlap', () => {
    const c = alloc(3, 0x10000 + 2 * PAGE, 25 * PAGE, { pageSize: PAGE });
    const { report } = aggregate([info, a, c]);
    expect(report.classes.alloc).toMatchObject({ ok: 1, overlap: 1 });
  });

  it('uses the whole size when the device never announced its banks', () => {
    const { report } = aggregate([a, b]);
    expect(report.classes.alloc).toMatchObject({ ok: 1, overlap: 1 });
  });
});
