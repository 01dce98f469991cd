/**
 * The 64-byte event record, mirrored from native/event.hpp (format version 2, docs/events.md).
 * Records are read in place from the drained ArrayBuffers through typed-array views: no object per event.
 */

export const FORMAT_VERSION = 2;
export const RECORD_BYTES = 64;
/** Record size in 32-bit words, for indexing a Uint32Array over a batch. */
const RECORD_WORDS = RECORD_BYTES / 4;

/** Byte offsets of each field (little-endian). u64 fields are read as two u32 words. */
export const Offset = {
  seq: 0,
  time: 8,
  objectId: 16,
  address: 24,
  size: 32,
  rootId: 40,
  aux: 48,
  pageSize: 52,
  device: 56,
  thread: 58,
  kind: 60,
  memType: 61,
  layout: 62,
  flags: 63,
} as const;

export const EventKind = {
  Alloc: 1,
  Free: 2,
  CbAlloc: 3,
  CbRelease: 4,
  Program: 5,
  OpStart: 6,
  OpEnd: 7,
  Mark: 8,
  DeviceInfo: 9,
  MeshChip: 10,
} as const;
export type EventKindCode = (typeof EventKind)[keyof typeof EventKind];

/** TT-Metal's BufferType values 0..4, plus CB for circular buffers. */
export const MemType = { DRAM: 0, L1: 1, SYSTEM_MEMORY: 2, L1_SMALL: 3, TRACE: 4, CB: 5, None: 255 } as const;
export type MemTypeName = 'DRAM' | 'L1' | 'SYSTEM_MEMORY' | 'L1_SMALL' | 'TRACE' | 'CB';
/** Memory type names in report order, indexed by their code. */
export const MEM_TYPE_NAMES: readonly MemTypeName[] = ['DRAM', 'L1', 'SYSTEM_MEMORY', 'L1_SMALL', 'TRACE', 'CB'];

export const Flag = {
  NonOwning: 1 << 0,
  View: 1 << 1,
  MeshDevice: 1 << 2,
  GloballyAllocated: 1 << 3,
  ScopeEnd: 1 << 4,
  /** The runtime says the buffer owns its memory (neither Owning nor NonOwning: unknown). */
  Owning: 1 << 5,
  /** CbAlloc: objectId names the program (program ids start at 0). */
  HasProgram: 1 << 6,
  /**
   * Alloc/Free: allocated from the top of its bank (`!Buffer::bottom_up()`; L1 by default, and DRAM
   * trace buffers and kernel binaries). DeviceInfo: `address` is the bank's lowest allocatable address.
   */
  TopDown: 1 << 7,
  BaseKnown: 1 << 7,
} as const;

const TWO_32 = 4294967296;
// Word (u32) index of each u64 field's low half within a record.
const SEQ_WORD = Offset.seq / 4;
const TIME_WORD = Offset.time / 4;
const OBJECT_ID_WORD = Offset.objectId / 4;
const ADDRESS_WORD = Offset.address / 4;
const SIZE_WORD = Offset.size / 4;
const ROOT_ID_WORD = Offset.rootId / 4;

/**
 * Typed views over one batch of records. Field readers take the record index `i`.
 * u64 fields are returned as numbers: exact up to 2^53, which covers every id, address and size a
 * device produces (a 2^53-byte address space is far beyond any part).
 */
export class EventBatch {
  readonly count: number;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly u32: Uint32Array;

  constructor(buffer: ArrayBuffer, byteOffset = 0, byteLength = buffer.byteLength - byteOffset) {
    if (byteLength % RECORD_BYTES !== 0) {
      throw new RangeError(`Expected a whole number of ${RECORD_BYTES}-byte records but received ${byteLength} bytes`);
    }
    this.count = byteLength / RECORD_BYTES;
    this.u8 = new Uint8Array(buffer, byteOffset, byteLength);
    this.u16 = new Uint16Array(buffer, byteOffset, byteLength / 2);
    this.u32 = new Uint32Array(buffer, byteOffset, byteLength / 4);
  }

  // Each u64 reader combines its two u32 words itself rather than calling a shared helper: the
  // helper stayed out of line in the aggregator's hot path (7% self time on the end-to-end
  // benchmark's pairs stream, node --cpu-prof); these bodies are inlined.
  seq(i: number): number { const w = i * RECORD_WORDS + SEQ_WORD; return this.u32[w] + this.u32[w + 1] * TWO_32; }
  time(i: number): number { const w = i * RECORD_WORDS + TIME_WORD; return this.u32[w] + this.u32[w + 1] * TWO_32; }
  objectId(i: number): number { const w = i * RECORD_WORDS + OBJECT_ID_WORD; return this.u32[w] + this.u32[w + 1] * TWO_32; }
  address(i: number): number { const w = i * RECORD_WORDS + ADDRESS_WORD; return this.u32[w] + this.u32[w + 1] * TWO_32; }
  size(i: number): number { const w = i * RECORD_WORDS + SIZE_WORD; return this.u32[w] + this.u32[w + 1] * TWO_32; }
  rootId(i: number): number { const w = i * RECORD_WORDS + ROOT_ID_WORD; return this.u32[w] + this.u32[w + 1] * TWO_32; }
  aux(i: number): number { return this.u32[i * RECORD_WORDS + Offset.aux / 4]; }
  pageSize(i: number): number { return this.u32[i * RECORD_WORDS + Offset.pageSize / 4]; }
  device(i: number): number { return this.u16[i * (RECORD_BYTES / 2) + Offset.device / 2]; }
  thread(i: number): number { return this.u16[i * (RECORD_BYTES / 2) + Offset.thread / 2]; }
  kind(i: number): number { return this.u8[i * RECORD_BYTES + Offset.kind]; }
  memType(i: number): number { return this.u8[i * RECORD_BYTES + Offset.memType]; }
  layout(i: number): number { return this.u8[i * RECORD_BYTES + Offset.layout]; }
  flags(i: number): number { return this.u8[i * RECORD_BYTES + Offset.flags]; }
}

/** One record as a plain object: for tests, replay tools and examples, never the hot path. */
export interface EventRecord {
  seq: number;
  time: number;
  kind: EventKindCode;
  device: number;
  thread: number;
  memType: number;
  layout: number;
  flags: number;
  objectId: number;
  address: number;
  size: number;
  pageSize: number;
  rootId: number;
  aux: number;
}

export function readRecord(batch: EventBatch, i: number): EventRecord {
  return {
    seq: batch.seq(i),
    time: batch.time(i),
    kind: batch.kind(i) as EventKindCode,
    device: batch.device(i),
    thread: batch.thread(i),
    memType: batch.memType(i),
    layout: batch.layout(i),
    flags: batch.flags(i),
    objectId: batch.objectId(i),
    address: batch.address(i),
    size: batch.size(i),
    pageSize: batch.pageSize(i),
    rootId: batch.rootId(i),
    aux: batch.aux(i),
  };
}

/** Encodes records into the native layout: hand-built streams for tests, fuzzing and replay. */
export function encodeRecords(records: readonly Partial<EventRecord>[]): ArrayBuffer {
  const buffer = new ArrayBuffer(records.length * RECORD_BYTES);
  const view = new DataView(buffer);
  records.forEach((r, i) => {
    const base = i * RECORD_BYTES;
    const u64 = (offset: number, value = 0) => view.setBigUint64(base + offset, BigInt(value), true);
    u64(Offset.seq, r.seq ?? i);
    u64(Offset.time, r.time ?? i);
    u64(Offset.objectId, r.objectId);
    u64(Offset.address, r.address);
    u64(Offset.size, r.size);
    u64(Offset.rootId, r.rootId);
    view.setUint32(base + Offset.aux, r.aux ?? 0, true);
    view.setUint32(base + Offset.pageSize, r.pageSize ?? 0, true);
    view.setUint16(base + Offset.device, r.device ?? 0, true);
    view.setUint16(base + Offset.thread, r.thread ?? 1, true);
    view.setUint8(base + Offset.kind, r.kind ?? 0);
    view.setUint8(base + Offset.memType, r.memType ?? MemType.None);
    view.setUint8(base + Offset.layout, r.layout ?? 255);
    view.setUint8(base + Offset.flags, r.flags ?? 0);
  });
  return buffer;
}
