/**
 * Reads the ring file (`<journal>.ring`) a recording process left behind: the header page with the
 * ring's indexes, drop count and clock sample, then the published slots from a position on, in
 * sequence order, up to the first slot that is not published.
 */
import * as fs from 'node:fs';
import { JournalError } from '../errors';
import { FORMAT_VERSION, Offset, RECORD_BYTES } from '../events/format';
import { openForReading, readExactly } from './file';
import { RING_MAX as MAX_RING_CAPACITY } from '../options';
import { RING_HEADER_BYTES, RING_MAGIC, RING_VERSION, RingHeader } from './format';

export interface RingFileHeader {
  capacity: number;
  firstSeq: number;
  /** Next position producers would have claimed: every position below it was claimed. */
  tail: number;
  /** Next position the collector would have consumed: everything below it went to the journal. */
  head: number;
  dropped: number;
  userCounter: number;
  /** The recording's identity, also in its journal's header (0: none). */
  runId: bigint;
  /** The collector's newest tick → ns conversion; null if it never took a sample. */
  clock: { anchorTicks: bigint; anchorNs: bigint; nsPerTick: number } | null;
}

/** Slots read per readSync (1 MiB). */
const SLOTS_PER_READ = 16384;

export class RingFile {
  readonly header: RingFileHeader;
  private readonly fd: number;

  constructor(readonly file: string) {
    const { fd, size } = openForReading(file);
    this.fd = fd;
    try {
      this.header = this.readHeader(size);
    } catch (err) {
      this.close();
      throw err;
    }
  }

  close(): void {
    try { fs.closeSync(this.fd); } catch { /* already closed */ }
  }

  /**
   * Published records at positions from..tail-1, in order, stopping at the first unpublished one.
   * Times are converted from raw ticks to ns with the header's clock sample. Returns the records
   * (64 bytes each, seq = position) and the position it stopped at.
   */
  readPublished(from: number): { records: Uint8Array; count: number; stoppedAt: number } {
    const { capacity, tail } = this.header;
    const total = Math.max(0, tail - from);
    // tail - head <= capacity was checked, and from >= head: at most `capacity` records.
    const out = new Uint8Array(total * RECORD_BYTES);
    const view = new DataView(out.buffer);
    let count = 0;
    let pos = from;
    while (pos < tail) {
      const slot = pos % capacity;
      const n = Math.min(tail - pos, SLOTS_PER_READ, capacity - slot);
      const chunk = out.subarray(count * RECORD_BYTES, (count + n) * RECORD_BYTES);
      readExactly(this.fd, this.file, chunk, RING_HEADER_BYTES + slot * RECORD_BYTES);
      let published = 0;
      for (; published < n; published++) {
        const base = (count + published) * RECORD_BYTES;
        // A slot is published for position p when its first word holds p + 1.
        if (view.getBigUint64(base + Offset.seq, true) !== BigInt(pos + published + 1)) break;
        view.setBigUint64(base + Offset.seq, BigInt(pos + published), true);
        view.setBigUint64(base + Offset.time, this.toNs(view.getBigUint64(base + Offset.time, true)), true);
      }
      count += published;
      pos += published;
      if (published < n) break;
    }
    return { records: out.subarray(0, count * RECORD_BYTES), count, stoppedAt: pos };
  }

  /** Mirrors TickConverter::to_ns (native/clock.hpp). */
  private toNs(ticks: bigint): bigint {
    const clock = this.header.clock;
    if (!clock) return 0n;
    const delta = Number(BigInt.asIntN(64, ticks - clock.anchorTicks)) * clock.nsPerTick;
    return BigInt.asUintN(64, clock.anchorNs + BigInt(Math.trunc(delta)));
  }

  private readHeader(size: number): RingFileHeader {
    if (size < RING_HEADER_BYTES) throw this.error('ERR_JOURNAL_TRUNCATED', 0, `truncated ring header: ${size} of ${RING_HEADER_BYTES} bytes`);
    const bytes = new Uint8Array(RING_HEADER_BYTES);
    readExactly(this.fd, this.file, bytes, 0);
    const view = new DataView(bytes.buffer);
    const magic = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
    if (magic !== RING_MAGIC) throw this.error('ERR_JOURNAL_MAGIC', 0, `not a tt-alloc-tracker ring file (magic ${JSON.stringify(magic)}, expected "${RING_MAGIC}")`);
    const version = view.getUint32(RingHeader.version, true);
    if (version !== RING_VERSION) {
      throw this.error('ERR_JOURNAL_VERSION', RingHeader.version, `ring file version ${version} is not supported (this reader reads version ${RING_VERSION})`);
    }
    const expect = (field: 'headerBytes' | 'slotBytes' | 'eventFormat', what: string, want: number): void => {
      const got = view.getUint32(RingHeader[field], true);
      if (got !== want) throw this.error('ERR_JOURNAL_HEADER', RingHeader[field], `${what} is ${got}, expected ${want}`);
    };
    expect('headerBytes', 'ring header size', RING_HEADER_BYTES);
    expect('slotBytes', 'slot size', RECORD_BYTES);
    expect('eventFormat', 'event format version', FORMAT_VERSION);
    const u64 = (field: keyof typeof RingHeader): number => {
      const value = view.getBigUint64(RingHeader[field], true);
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw this.error('ERR_JOURNAL_RING', RingHeader[field], `ring ${field} ${value} is beyond 2^53`);
      return Number(value);
    };
    const capacity = u64('capacity');
    if (capacity < 2 || capacity > MAX_RING_CAPACITY || (capacity & (capacity - 1)) !== 0) {
      throw this.error('ERR_JOURNAL_RING', RingHeader.capacity, `ring capacity ${capacity} is not a power of two between 2 and ${MAX_RING_CAPACITY}`);
    }
    const expectedSize = RING_HEADER_BYTES + capacity * RECORD_BYTES;
    if (size !== expectedSize) {
      throw this.error('ERR_JOURNAL_TRUNCATED', 0, `ring file is ${size} bytes; a ring of ${capacity} slots takes ${expectedSize}`);
    }
    const firstSeq = u64('firstSeq');
    const tail = u64('tail');
    const head = u64('head');
    if (!(firstSeq <= head && head <= tail && tail - head <= capacity)) {
      throw this.error('ERR_JOURNAL_RING', RingHeader.tail,
        `inconsistent ring indexes: first ${firstSeq}, head ${head}, tail ${tail}, capacity ${capacity}`);
    }
    const generation = view.getBigUint64(RingHeader.clockGeneration, true);
    let clock: RingFileHeader['clock'] = null;
    if (generation !== 0n) {
      const at = RingHeader.clock + Number(generation & 1n) * RingHeader.clockBytes;
      const nsPerTick = view.getFloat64(at + 16, true);
      if (!(Number.isFinite(nsPerTick) && nsPerTick > 0 && nsPerTick < 1e6)) {
        throw this.error('ERR_JOURNAL_RING', at + 16, `clock sample has ${nsPerTick} ns per tick`);
      }
      clock = { anchorTicks: view.getBigUint64(at, true), anchorNs: view.getBigUint64(at + 8, true), nsPerTick };
    }
    return {
      capacity, firstSeq, tail, head, dropped: u64('dropped'), userCounter: u64('userCounter'), clock,
      runId: view.getBigUint64(RingHeader.runId, true),
    };
  }

  private error(code: string, offset: number, problem: string): JournalError {
    return new JournalError(code, this.file, offset, problem);
  }
}
