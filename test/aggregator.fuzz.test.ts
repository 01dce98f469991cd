/**
 * Property-based fuzzing of the aggregator (fast-check): hostile streams of every record kind, with
 * u64 fields up to 2^64 - 1, fed in random batch splits. aggregator.property.test.ts covers seeded
 * allocation/free streams and the current = held-bytes identity; this file adds the full record
 * space, exact u64 extremes, schema validation and independence from how the stream is batched.
 * A failing case prints its seed and shrunk stream; replay with fc.assert(..., { seed, path }).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../lib/aggregator/aggregator';
import { EventBatch, EventKind, Flag, Offset, RECORD_BYTES, encodeRecords } from '../lib/events/format';
import type { Report } from '../lib/report/types';
import { checkReport } from '../lib/report/check';
import { expectReportInvariants } from './helpers/report-invariants';

const U64_MAX = 2n ** 64n - 1n;

/** One record with its u64 fields as bigints, so 2^64 - 1 reaches the bytes exactly. */
interface HostileRecord {
  seq: bigint;
  time: bigint;
  objectId: bigint;
  address: bigint;
  size: bigint;
  rootId: bigint;
  kind: number;
  device: number;
  thread: number;
  memType: number;
  layout: number;
  flags: number;
  aux: number;
  pageSize: number;
}

/** Small values collide (frees find their allocations); extremes probe float and range arithmetic. */
const u64 = (small: fc.Arbitrary<bigint>): fc.Arbitrary<bigint> =>
  fc.oneof(
    { weight: 12, arbitrary: small },
    { weight: 1, arbitrary: fc.constantFrom(2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, U64_MAX - 0xffn, U64_MAX) },
    { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: U64_MAX }) },
  );

const smallId = fc.bigInt({ min: 0n, max: 24n });
const smallAddress = fc.integer({ min: 0, max: 15 }).map((k) => BigInt(k * 0x100));
const smallSize = fc.constantFrom(0n, 0x40n, 0x80n, 0x100n, 0x200n, 0x800n);

// Every kind, weighted towards allocations and frees; 0 and 11..255 are unknown kinds.
const kind = fc.oneof(
  { weight: 8, arbitrary: fc.constant<number>(EventKind.Alloc) },
  { weight: 8, arbitrary: fc.constant<number>(EventKind.Free) },
  { weight: 6, arbitrary: fc.integer({ min: EventKind.CbAlloc, max: EventKind.MeshChip }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 11, 12, 127, 255) },
);

// Chips 0..3, mesh 100 (MeshChip events put chips into it), the u16 extreme.
const device = fc.oneof({ weight: 10, arbitrary: fc.constantFrom(0, 1, 2, 3, 100) }, { weight: 1, arbitrary: fc.constantFrom(101, 65535) });
// 0..5 valid (CB = 5), the rest invalid: 6 is the first, 255 is MemType.None.
const memType = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(6, 200, 255) });
// Any mix of the five defined flags, and sometimes undefined bits.
const flags = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 31 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) });
const u32 = (small: number) => fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: small }) }, { weight: 1, arbitrary: fc.constantFrom(2 ** 31, 2 ** 32 - 1) });

const record = fc.record({
  kind,
  device,
  memType,
  flags,
  thread: fc.integer({ min: 0, max: 3 }),
  layout: fc.constantFrom(0, 1, 2, 255),
  objectId: u64(smallId),
  address: u64(smallAddress),
  size: u64(smallSize),
  rootId: u64(smallId),
  aux: u32(4),
  pageSize: u32(0x100),
  time: u64(fc.bigInt({ min: 0n, max: 1000n })),
});

/** Sequence numbers: mostly the position, sometimes a duplicate of the previous or anything at all. */
const seqRule = fc.oneof(
  { weight: 14, arbitrary: fc.constant<'next'>('next') },
  { weight: 1, arbitrary: fc.constant<'duplicate'>('duplicate') },
  { weight: 1, arbitrary: u64(fc.bigInt({ min: 0n, max: 400n })) },
);

const stream = (maxLength: number, ordered: boolean): fc.Arbitrary<HostileRecord[]> =>
  fc.array(fc.tuple(record, ordered ? fc.constant<'next'>('next') : seqRule), { maxLength }).map((rows) => {
    let previous = 0n;
    return rows.map(([r, rule], k) => {
      const seq = rule === 'next' ? BigInt(k) : rule === 'duplicate' ? previous : rule;
      previous = seq;
      return { ...r, seq };
    });
  });

/** Encodes through encodeRecords, then writes the u64 fields as bigints (numbers stop at 2^53). */
function encode(records: readonly HostileRecord[]): ArrayBuffer {
  const buffer = encodeRecords(records.map(({ kind, device, thread, memType, layout, flags, aux, pageSize }) =>
    ({ kind: kind as never, device, thread, memType, layout, flags, aux, pageSize })));
  const view = new DataView(buffer);
  records.forEach((r, i) => {
    const base = i * RECORD_BYTES;
    for (const field of ['seq', 'time', 'objectId', 'address', 'size', 'rootId'] as const) view.setBigUint64(base + Offset[field], r[field], true);
  });
  return buffer;
}

/** Batches of `buffer` between the given record indices (sorted, deduplicated, within bounds). */
function split(buffer: ArrayBuffer, cuts: readonly number[]): EventBatch[] {
  const n = buffer.byteLength / RECORD_BYTES;
  const bounds = [...new Set([0, ...cuts.map((c) => c % (n + 1)), n])].sort((a, b) => a - b);
  const out: EventBatch[] = [];
  for (let k = 1; k < bounds.length; k++) {
    out.push(new EventBatch(buffer, bounds[k - 1] * RECORD_BYTES, (bounds[k] - bounds[k - 1]) * RECORD_BYTES));
  }
  return out;
}

const OPTIONS = { timelinePoints: 8, examplesPerClass: 3, freedHistory: 6, leakListLimit: 5 };
const NAMES = ['op-a', 'op-b', 'scope-a', 'scope-b'];

function run(batches: readonly EventBatch[], dropped = 0): Report {
  const agg = new Aggregator(OPTIONS);
  agg.addNames(1, NAMES);
  for (const batch of batches) agg.consume(batch);
  return agg.report({ dropped });
}

/**
 * The documented batching contract (Aggregator#consume): a batch is applied in `seq` order (ties in
 * arrival order), batches in arrival order. So any split equals one-record batches in that order.
 */
function referenceOrder(records: readonly HostileRecord[], cuts: readonly number[]): HostileRecord[] {
  const n = records.length;
  const bounds = [...new Set([0, ...cuts.map((c) => c % (n + 1)), n])].sort((a, b) => a - b);
  const out: HostileRecord[] = [];
  for (let k = 1; k < bounds.length; k++) {
    const batch = records.slice(bounds[k - 1], bounds[k]);
    // Numbers, as the aggregator compares them: seqs above 2^53 that round equal are ties.
    out.push(...batch.map((r, i) => ({ r, i })).sort((a, b) => Number(a.r.seq) - Number(b.r.seq) || a.i - b.i).map((x) => x.r));
  }
  return out;
}

function checkInvariants(report: Report, events: number): void {
  expect(report.events.total).toBe(events);
  const e = report.events;
  expect(e.alloc + e.free + e.cbAlloc + e.cbRelease + e.program + e.opStart + e.opEnd + e.mark + e.deviceInfo + e.meshChip + e.unknown).toBe(e.total);
  expectReportInvariants(report);
  expect(report.leakSummary.listed).toBeLessThanOrEqual(OPTIONS.leakListLimit);
  expect(checkReport(report, 'fuzzed report')).toBe(report);
}

describe('Aggregator: fast-check fuzzing of hostile streams', () => {
  it('never throws, never goes negative, classifies each alloc/free once, validates, for any batch split', () => {
    fc.assert(
      fc.property(stream(120, false), fc.array(fc.nat(), { maxLength: 6 }), fc.nat(3), (records, cuts, dropped) => {
        const buffer = encode(records);
        const report = run(split(buffer, cuts), dropped);
        checkInvariants(report, records.length);
        expect(report.complete).toBe(dropped === 0);
        // Same stream, same batching contract, one record per batch: the same report.
        const reference = encode(referenceOrder(records, cuts));
        expect(run(split(reference, Array.from({ length: records.length }, (_, k) => k)), dropped)).toEqual(report);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same report however an in-order stream is batched (duplicate seqs included)', () => {
    fc.assert(
      fc.property(stream(150, true), fc.array(fc.nat(), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 8 }), (records, cutsA, cutsB) => {
        // Ordered streams with some duplicated seqs: ties keep arrival order in and across batches.
        const withTies = records.map((r, k) => (k % 7 === 3 ? { ...r, seq: BigInt(k - 1) } : r));
        const buffer = encode(withTies);
        const whole = run([new EventBatch(buffer)]);
        checkInvariants(whole, withTies.length);
        expect(whole.events.outOfOrder).toBe(0);
        expect(run(split(buffer, cutsA))).toEqual(whole);
        expect(run(split(buffer, cutsB))).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('classes an allocation past 2^53 as invalid, so the other buffers keep their exact bytes', () => {
    // Hand-picked, not random: a 2^64 - 1 byte allocation, if charged, would swallow the 0x100-byte
    // buffer beside it in float rounding (2^64 + 0x100 - 2^64 = 0).
    const base = { kind: EventKind.Alloc, device: 0, thread: 1, memType: 0, layout: 255, flags: 0, aux: 0, pageSize: 0, rootId: 0n, time: 0n };
    const safeTop = 2n ** 53n - 0x200n;
    const records: HostileRecord[] = [
      { ...base, seq: 0n, objectId: 1n, address: 0x1000n, size: 0x100n },
      { ...base, seq: 1n, objectId: U64_MAX, address: U64_MAX - 0xffn, size: U64_MAX },
      { ...base, seq: 2n, objectId: 2n, address: safeTop, size: 0x100n },
      { ...base, seq: 3n, kind: EventKind.Free, objectId: U64_MAX, address: U64_MAX - 0xffn, size: U64_MAX },
      { ...base, seq: 4n, kind: EventKind.Free, objectId: 2n, address: safeTop, size: 0x100n },
      { ...base, seq: 5n, kind: EventKind.Free, objectId: 77n, address: U64_MAX, size: 8n, flags: Flag.View },
    ];
    const report = run([new EventBatch(encode(records))]);
    checkInvariants(report, 6);
    expect(report.devices[0].memory.DRAM).toEqual({ current: 0x100, peak: 0x200, allocated: 2, freed: 1, lost: 0, liveBuffers: 1 });
    expect(report.classes.alloc).toEqual({ ok: 2, alias: 0, overlap: 0, duplicateAlloc: 0, invalid: 1 });
    // Seq 3 (never seen, invalid range, no flag) is untracked; seq 5 names itself a view (View flag):
    // the runtime's word makes it an aliasFree whatever its address (classify.ts).
    expect(report.classes.free).toEqual({ ok: 1, aliasFree: 1, doubleFree: 0, staleFree: 0, untrackedFree: 1, invalid: 0 });
  });
});
