import { describe, expect, it } from 'vitest';
import { aggregate, alloc, deviceOf, free, Flag, meshChip, MemType, onMesh, otherAnomalyCounts } from './helpers/stream';

// The runtime's word first (lib/aggregator/classify.ts, docs/report.md#classification-the-runtimes-word-first), on streams
// built by hand as a runtime the aggregator has never seen might send them.
//
// Upstream facts used (tt-metal buffer.cpp `Buffer::view`): a view is a non-owning buffer created
// with `Buffer::create(device_, address_, region.size, ...)` at the ROOT'S OWN ADDRESS, its offset
// kept apart (`root_buffer_offset_`); offset and size are multiples of the page size; buffer unique
// ids start at 0 (`Buffer::next_unique_id`), so root id 0 is a real root.

const OWNING = Flag.Owning;
const view = (root: number, offset: number) => ({ flags: Flag.View | Flag.NonOwning, rootId: root, aux: offset });
const PAGE = 1024;

describe('Aggregator: views name their root (View flag + rootId)', () => {
  // Root id 0 (valid: ids start at 0), 8 pages of 1 KiB at 0x10000. Three views at page-aligned
  // offsets 0x400, 0x800 and 0x1800, each reported at the root's own address (upstream), and one
  // reported at root + offset (how an older runtime did it): the flag decides, not the address.
  const ROOT = 0x10000;
  const { report } = aggregate([
    alloc(0, ROOT, 8 * PAGE, { flags: OWNING, pageSize: PAGE }),
    alloc(1, ROOT, 1 * PAGE, { ...view(0, 0x400), pageSize: PAGE }),
    alloc(2, ROOT, 2 * PAGE, { ...view(0, 0x800), pageSize: PAGE }),
    alloc(3, ROOT + 0x1800, 2 * PAGE, { ...view(0, 0x1800), pageSize: PAGE }),
    free(1, ROOT, 1 * PAGE, view(0, 0x400)),
    free(2, ROOT, 2 * PAGE, view(0, 0x800)),
    free(3, ROOT + 0x1800, 2 * PAGE, view(0, 0x1800)),
    free(0, ROOT, 8 * PAGE, { flags: OWNING }),
  ]);

  it('tracks every view as a view alias of root 0, never charged', () => {
    expect(report.classes.alloc).toEqual({ ok: 1, alias: 3, overlap: 0, duplicateAlloc: 0, invalid: 0 });
    expect(report.anomalies.alias).toEqual({ count: 3, view: 3, replica: 0 });
    // Only the root is charged: one allocation of 8 KiB; the peak is the root's size.
    expect(deviceOf(report, 0).memory.DRAM).toEqual({ current: 0, peak: 8 * PAGE, allocated: 1, freed: 1, lost: 0, liveBuffers: 0 });
  });

  it('classifies each view free as a view aliasFree and the root free as ok', () => {
    expect(report.classes.free).toEqual({ ok: 1, aliasFree: 3, doubleFree: 0, staleFree: 0, untrackedFree: 0, invalid: 0 });
    expect(report.anomalies.aliasFree).toEqual({ count: 3, view: 3, replica: 0 });
    expect(otherAnomalyCounts(report, ['alias', 'aliasFree'])).toEqual({ doubleFree: 0, staleFree: 0, untrackedFree: 0, overlap: 0, duplicateAlloc: 0 });
    expect(report.leaks).toEqual([]);
  });

  it('names the root in the alias example', () => {
    const ex = report.anomalies.examples.find((e) => e.class === 'alias' && e.object === 3);
    expect(ex).toMatchObject({ subkind: 'view', related: { id: 0, device: 0, deviceKind: 'chip', block: '0x10000#1', size: 8 * PAGE } });
  });

  it('reads rootId only with the View flag: an owning buffer with rootId 0 and no flag is new memory', () => {
    // Buffer 7 carries rootId 0 in the record but no View flag: the field is meaningless (docs/events.md).
    const r = aggregate([
      alloc(0, 0x1000, 4096, { flags: OWNING }),
      alloc(7, 0x8000, 512, { flags: OWNING, rootId: 0 }),
    ]).report;
    expect(r.classes.alloc).toMatchObject({ ok: 2, alias: 0 });
    expect(deviceOf(r, 0).memory.DRAM.current).toBe(4096 + 512);
  });

  it('tracks a view of a dead root as an alias, never charged, and classifies its free', () => {
    // Root 5 allocated and freed; view 6 then names it: classified (alias, view), not charged; its
    // free is an explained aliasFree (it never held memory of its own).
    const r = aggregate([
      alloc(5, 0x2000, 2048, { flags: OWNING }),
      free(5, 0x2000, 2048, { flags: OWNING }),
      alloc(6, 0x2000, 1024, view(5, 1024)),
      free(6, 0x2000, 1024, view(5, 1024)),
    ]).report;
    expect(r.anomalies.alias).toEqual({ count: 1, view: 1, replica: 0 });
    expect(r.anomalies.aliasFree).toEqual({ count: 1, view: 1, replica: 0 });
    expect(deviceOf(r, 0).memory.DRAM).toEqual({ current: 0, peak: 2048, allocated: 1, freed: 1, lost: 0, liveBuffers: 0 });
    expect(r.summary.suspiciousFrees).toBe(0);
  });

  it('classifies the free of a view never seen by its flag: an aliasFree of its root', () => {
    const r = aggregate([alloc(0, 0x1000, 4096, { flags: OWNING }), free(9, 0x1000, 1024, view(0, 2048))]).report;
    expect(r.anomalies.aliasFree).toEqual({ count: 1, view: 1, replica: 0 });
    expect(r.anomalies.examples.find((e) => e.class === 'aliasFree')).toMatchObject({ object: 9, related: { id: 0 } });
  });
});

describe('Aggregator: a MeshBuffer deallocated under a live view', () => {
  // mesh_buffer.cpp `MeshBuffer::deallocate`: with the mesh alive it drops the owned state, the only
  // holder of the backing buffer, so the memory returns at once even while a view of it lives.
  // Mesh 0 with chips 0 and 1 (mesh ids start at 0: mesh 0 and chip 0 coexist).
  const SIZE = 64 * 1024;
  const { report } = aggregate([
    meshChip(0, 0, 0, 2), meshChip(0, 1, 1, 2),
    alloc(10, 0x40000, SIZE, onMesh(0, { flags: OWNING })), // backing: 64 KiB on each chip
    alloc(11, 0x40000, SIZE / 2, onMesh(0, view(10, SIZE / 2))),
    free(10, 0x40000, SIZE, onMesh(0, { flags: OWNING })), //   memory back at once
    free(11, 0x40000, SIZE / 2, onMesh(0, view(10, SIZE / 2))), // the view's later free
  ]);

  it('returns the memory on every chip and the mesh at the backing free', () => {
    for (const chip of [0, 1]) {
      expect(deviceOf(report, chip, 'chip').memory.DRAM).toEqual({ current: 0, peak: SIZE, allocated: 1, freed: 1, lost: 0, liveBuffers: 0 });
    }
    expect(deviceOf(report, 0, 'mesh').memory.DRAM).toEqual({ current: 0, peak: SIZE, allocated: 1, freed: 1, lost: 0, liveBuffers: 0 });
    // Timeline of chip 0: +64 KiB at t2, back to 0 at t4 (the backing free), nothing at the view's free.
    expect(report.timeline.find((s) => s.device === 0 && s.deviceKind === 'chip')?.points).toEqual([[2, SIZE], [4, 0]]);
  });

  it('classifies the view and its later free as explained aliases', () => {
    expect(report.anomalies.alias).toEqual({ count: 1, view: 1, replica: 0 });
    expect(report.anomalies.aliasFree).toEqual({ count: 1, view: 1, replica: 0 });
    expect(report.summary.suspiciousFrees).toBe(0);
    expect(report.leakSummary.buffers).toBe(0);
  });
});

describe('Aggregator: NonOwning is never charged', () => {
  it('tracks a non-owning buffer outside any owner as an alias and its free as an aliasFree', () => {
    // `Buffer::create(device, address, ...)` at a given address owns nothing (buffer.cpp).
    const r = aggregate([
      alloc(1, 0x7000, 4096, { flags: Flag.NonOwning }),
      free(1, 0x7000, 4096, { flags: Flag.NonOwning }),
    ]).report;
    expect(r.classes.alloc).toMatchObject({ ok: 0, alias: 1 });
    expect(r.classes.free).toMatchObject({ ok: 0, aliasFree: 1 });
    expect(deviceOf(r, 0).memory.DRAM).toEqual({ current: 0, peak: 0, allocated: 0, freed: 0, lost: 0, liveBuffers: 0 });
  });

  it('calls a non-owning buffer on the same range as a live owner a replica', () => {
    const r = aggregate([
      alloc(1, 0x7000, 4096, { flags: OWNING }),
      alloc(2, 0x7000, 4096, { flags: Flag.NonOwning }),
    ]).report;
    expect(r.anomalies.alias).toEqual({ count: 1, view: 0, replica: 1 });
    expect(deviceOf(r, 0).memory.DRAM.current).toBe(4096);
  });
});

describe('Aggregator: Owning is never an alias', () => {
  // A (id 1) owns 0x1000..0x2000; B (id 2), owning, is allocated at 0x1800 while A is live. The
  // allocator handed out A's memory, so A is gone without a free: overlap related to A, A retired
  // (no longer charged), B charged.
  const { report } = aggregate([
    alloc(1, 0x1000, 4096, { flags: OWNING }),
    alloc(2, 0x1800, 1024, { flags: OWNING }),
    free(1, 0x1000, 4096, { flags: OWNING }), // A's late free: classified, not charged again
    free(2, 0x1800, 1024, { flags: OWNING }),
  ]);

  it('counts the overlap against the holder and charges only the new buffer', () => {
    expect(report.classes.alloc).toEqual({ ok: 1, alias: 0, overlap: 1, duplicateAlloc: 0, invalid: 0 });
    expect(report.anomalies.examples.find((e) => e.class === 'overlap')).toMatchObject({
      object: 2, block: '0x1800#1', related: { id: 1, device: 0, deviceKind: 'chip', block: '0x1000#1', size: 4096 },
    });
    // DRAM: 4096 (A) → A retired, B charged: 1024 → B freed: 0. Peak 4096 (A alone).
    expect(deviceOf(report, 0).memory.DRAM).toEqual({ current: 0, peak: 4096, allocated: 2, freed: 2, lost: 0, liveBuffers: 0 });
    expect(report.timeline[0].points).toEqual([[0, 4096], [1, 0], [1, 1024], [3, 0]]);
  });

  it('classifies the holder’s late free as a staleFree (displaced)', () => {
    expect(report.classes.free).toEqual({ ok: 1, aliasFree: 0, doubleFree: 0, staleFree: 1, untrackedFree: 0, invalid: 0 });
    expect(report.anomalies.staleFree).toEqual({ count: 1, deviceClosed: 0, displaced: 1 });
  });

  it('is an overlap, not an alias, even inside a live owner', () => {
    const r = aggregate([alloc(1, 0x1000, 4096, { flags: OWNING }), alloc(2, 0x1000, 4096, { flags: OWNING })]).report;
    expect(r.classes.alloc).toMatchObject({ ok: 1, alias: 0, overlap: 1 });
    expect(deviceOf(r, 0).memory.DRAM).toMatchObject({ current: 4096, liveBuffers: 1 });
    expect(r.leaks.map((l) => l.id)).toEqual([2]);
  });

  it('keeps address containment for streams without ownership information', () => {
    // Neither flag: a buffer inside a live owner is an alias (the branch instrumented for the socket-fed allocation server).
    const r = aggregate([alloc(1, 0x1000, 4096), alloc(2, 0x1400, 1024, { memType: MemType.DRAM })]).report;
    expect(r.anomalies.alias).toEqual({ count: 1, view: 1, replica: 0 });
    expect(deviceOf(r, 0).memory.DRAM.current).toBe(4096);
  });
});
