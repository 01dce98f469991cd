/**
 * Reads a journal block by block, checking every length against the file size before allocating and
 * every checksum before use. Any problem is a JournalError naming the file, the byte offset and the
 * problem; nothing is read past a bad block.
 */
import * as fs from 'node:fs';
import { JournalError } from '../errors';
import { EventBatch, FORMAT_VERSION, RECORD_BYTES } from '../events/format';
import { crc32c } from './crc32c';
import { openForReading, readExactly } from './file';
import {
  Block, BLOCK_HEADER_BYTES, BLOCK_NAMES, BlockType, Header, JOURNAL_HEADER_BYTES, JOURNAL_MAGIC, JOURNAL_VERSION,
  MAX_BLOCK_BYTES, MAX_NAMES,
} from './format';

export type JournalBlock =
  | { type: 'events'; offset: number; batch: EventBatch; dropped: number; ringDropped: number }
  | { type: 'names'; offset: number; firstId: number; names: string[] }
  | { type: 'drops'; offset: number; dropped: number; ringDropped: number }
  | { type: 'reset'; offset: number; dropped: number }
  | { type: 'ring'; offset: number; firstSeq: number; capacity: number }
  | { type: 'end'; offset: number; events: number; dropped: number }
  /** Only when reading with `resync`: bytes offset..end-1 hold no readable block; `error` says why the first did not read. */
  | { type: 'damage'; offset: number; end: number; error: JournalError };

export interface JournalHeaderInfo {
  version: number;
  pid: number;
  /** Wall-clock time the journal was created, Unix milliseconds. */
  createdMs: number;
  /** The recording's identity, also in its ring file header (0: none, a journal not written by the addon). */
  runId: bigint;
}

const utf8 = new TextDecoder('utf-8');

/** Opens `file` with errors that name it. */
export class JournalReader {
  readonly header: JournalHeaderInfo;
  /** Bytes of the file that were valid blocks so far. */
  validBytes = JOURNAL_HEADER_BYTES;
  private readonly fd: number;
  readonly size: number;
  private namesSeen = 0;
  /** After damage, names blocks may skip ids (a lost names block): their names show as #id. */
  private namesMaySkip = false;

  constructor(readonly file: string) {
    ({ fd: this.fd, size: this.size } = openForReading(file));
    try {
      this.header = this.readHeader();
    } catch (err) {
      this.close();
      throw err;
    }
  }

  close(): void {
    try { fs.closeSync(this.fd); } catch { /* already closed */ }
  }

  /**
   * Every block in file order; throws JournalError at the first bad one. With `resync`, a bad stretch
   * is yielded as a `damage` block instead and reading goes on at the next offset where a whole,
   * checksummed block starts (recover(): every readable block counts, every unreadable byte is reported).
   */
  *blocks(resync = false): Generator<JournalBlock> {
    let offset = JOURNAL_HEADER_BYTES;
    let ended = false;
    while (offset < this.size) {
      let read: { block: JournalBlock; next: number };
      try {
        if (ended) throw this.error('ERR_JOURNAL_BLOCK', offset, `${this.size - offset} bytes of data after the end block`);
        read = this.readBlockAt(offset);
      } catch (err) {
        if (!resync || !(err instanceof JournalError)) throw err;
        this.namesMaySkip = true;
        const next = ended ? this.size : this.findBlock(offset + 1);
        yield { type: 'damage', offset, end: next, error: err };
        offset = next;
        continue;
      }
      offset = read.next;
      this.validBytes = offset;
      if (read.block.type === 'end') ended = true;
      yield read.block;
    }
  }

  /** The block at `offset` and the offset after it; throws JournalError if there is none. */
  private readBlockAt(offset: number): { block: JournalBlock; next: number } {
    const head = new Uint8Array(BLOCK_HEADER_BYTES);
    const view = new DataView(head.buffer);
    const remaining = this.size - offset;
    if (remaining < BLOCK_HEADER_BYTES) {
      throw this.error('ERR_JOURNAL_TRUNCATED', offset, `truncated block header: ${remaining} of ${BLOCK_HEADER_BYTES} bytes`);
    }
    readExactly(this.fd, this.file, head, offset);
    const type = view.getUint32(Block.type, true);
    const length = view.getUint32(Block.length, true);
    const name = BLOCK_NAMES[type];
    if (name === undefined) throw this.error('ERR_JOURNAL_BLOCK', offset, `unknown block type ${type}`);
    if (length > MAX_BLOCK_BYTES) {
      throw this.error('ERR_JOURNAL_LENGTH', offset, `${name} block length ${length} exceeds the limit of ${MAX_BLOCK_BYTES} bytes`);
    }
    if (length > remaining - BLOCK_HEADER_BYTES) {
      throw this.error('ERR_JOURNAL_TRUNCATED', offset,
        `truncated ${name} block: ${length} payload bytes declared, ${remaining - BLOCK_HEADER_BYTES} remain`);
    }
    // Only now, with `length` bounded by the file, is the payload allocated.
    const payload = new Uint8Array(length);
    readExactly(this.fd, this.file, payload, offset + BLOCK_HEADER_BYTES);
    if (crc32c(payload, crc32c(head.subarray(0, Block.crc))) !== view.getUint32(Block.crc, true)) {
      throw this.error('ERR_JOURNAL_CHECKSUM', offset, `checksum mismatch in ${name} block`);
    }
    if (view.getUint32(Block.reserved, true) !== 0) throw this.error('ERR_JOURNAL_BLOCK', offset, `reserved field of ${name} block is not 0`);
    const a = this.u64(view, Block.a, offset, name);
    const b = this.u64(view, Block.b, offset, name);
    return { block: this.decode(type, name, offset, length, payload, a, b), next: offset + BLOCK_HEADER_BYTES + length };
  }

  /**
   * The first offset at or after `from` where a whole block reads (header plausible, checksum right),
   * or the file size. Scans 1 MiB windows; only plausible headers (known type, reserved 0, a length
   * that fits) pay for a checksum.
   */
  private findBlock(from: number): number {
    const WINDOW = 1 << 20;
    const window = new Uint8Array(WINDOW + BLOCK_HEADER_BYTES);
    const view = new DataView(window.buffer);
    for (let start = from; start + BLOCK_HEADER_BYTES <= this.size; start += WINDOW) {
      const bytes = Math.min(window.length, this.size - start);
      readExactly(this.fd, this.file, window.subarray(0, bytes), start);
      for (let i = 0; i < WINDOW && i + BLOCK_HEADER_BYTES <= bytes; i++) {
        const type = view.getUint32(i + Block.type, true);
        if (type < BlockType.Events || type > BlockType.End || view.getUint32(i + Block.reserved, true) !== 0) continue;
        const length = view.getUint32(i + Block.length, true);
        if (length > MAX_BLOCK_BYTES || start + i + BLOCK_HEADER_BYTES + length > this.size) continue;
        const namesSeen = this.namesSeen;
        try {
          this.readBlockAt(start + i);
          this.namesSeen = namesSeen;  // it is read again by blocks()
          return start + i;
        } catch (err) {
          this.namesSeen = namesSeen;
          if (!(err instanceof JournalError)) throw err;
        }
      }
    }
    return this.size;
  }

  private decode(type: number, name: string, offset: number, length: number, payload: Uint8Array, a: number, b: number): JournalBlock {
    if (type !== BlockType.Events && type !== BlockType.Names && length !== 0) {
      throw this.error('ERR_JOURNAL_LENGTH', offset, `${name} block must have no payload, has ${length} bytes`);
    }
    switch (type) {
      case BlockType.Events:
        if (length % RECORD_BYTES !== 0) {
          throw this.error('ERR_JOURNAL_LENGTH', offset, `events block length ${length} is not a multiple of ${RECORD_BYTES}`);
        }
        return { type: 'events', offset, batch: new EventBatch(payload.buffer as ArrayBuffer), dropped: a, ringDropped: b };
      case BlockType.Names:
        return { type: 'names', offset, firstId: a, names: this.decodeNames(offset, payload, a, b) };
      case BlockType.Drops:
        return { type: 'drops', offset, dropped: a, ringDropped: b };
      case BlockType.Reset:
        return { type: 'reset', offset, dropped: a };
      case BlockType.Ring:
        if (b < 2 || b > 2 ** 32 || (b & (b - 1)) !== 0) throw this.error('ERR_JOURNAL_BLOCK', offset, `ring capacity ${b} is not a power of two`);
        return { type: 'ring', offset, firstSeq: a, capacity: b };
      default:
        return { type: 'end', offset, events: a, dropped: b };
    }
  }

  private decodeNames(offset: number, payload: Uint8Array, firstId: number, count: number): string[] {
    if (this.namesMaySkip && firstId > this.namesSeen + 1) this.namesSeen = firstId - 1;
    if (firstId !== this.namesSeen + 1) {
      throw this.error('ERR_JOURNAL_BLOCK', offset, `names block starts at id ${firstId}, expected ${this.namesSeen + 1}`);
    }
    if (count < 1 || firstId + count - 1 > MAX_NAMES) {
      throw this.error('ERR_JOURNAL_BLOCK', offset, `names block holds ${count} names from id ${firstId}; ids run from 1 to ${MAX_NAMES}`);
    }
    const names: string[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (at >= payload.length) throw this.error('ERR_JOURNAL_BLOCK', offset, `names block ends after ${i} of ${count} names`);
      const len = payload[at];
      if (at + 1 + len > payload.length) throw this.error('ERR_JOURNAL_BLOCK', offset, `name ${firstId + i} runs past the end of its block`);
      names.push(utf8.decode(payload.subarray(at + 1, at + 1 + len)));
      at += 1 + len;
    }
    if (at !== payload.length) throw this.error('ERR_JOURNAL_BLOCK', offset, `${payload.length - at} bytes after the last name of the block`);
    this.namesSeen += count;
    return names;
  }

  private readHeader(): JournalHeaderInfo {
    if (this.size < JOURNAL_HEADER_BYTES) {
      throw this.error('ERR_JOURNAL_TRUNCATED', 0, `truncated header: ${this.size} of ${JOURNAL_HEADER_BYTES} bytes`);
    }
    const bytes = new Uint8Array(JOURNAL_HEADER_BYTES);
    readExactly(this.fd, this.file, bytes, 0);
    const view = new DataView(bytes.buffer);
    const magic = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
    if (magic !== JOURNAL_MAGIC) {
      throw this.error('ERR_JOURNAL_MAGIC', 0, `not a tt-alloc-tracker journal (magic ${JSON.stringify(magic)}, expected "${JOURNAL_MAGIC}")`);
    }
    const version = view.getUint32(Header.version, true);
    if (version !== JOURNAL_VERSION) {
      throw this.error('ERR_JOURNAL_VERSION', Header.version, `journal format version ${version} is not supported (this reader reads version ${JOURNAL_VERSION})`);
    }
    if (crc32c(bytes.subarray(0, Header.crc)) !== view.getUint32(Header.crc, true)) {
      throw this.error('ERR_JOURNAL_CHECKSUM', 0, 'checksum mismatch in the journal header');
    }
    const expect = (field: keyof typeof Header, what: string, want: number): void => {
      const got = view.getUint32(Header[field], true);
      if (got !== want) throw this.error('ERR_JOURNAL_HEADER', Header[field], `${what} is ${got}, expected ${want}`);
    };
    expect('headerBytes', 'header size', JOURNAL_HEADER_BYTES);
    expect('recordBytes', 'event record size', RECORD_BYTES);
    expect('eventFormat', 'event format version', FORMAT_VERSION);
    return {
      version, pid: view.getUint32(Header.pid, true), createdMs: Number(view.getBigUint64(Header.createdMs, true)),
      runId: view.getBigUint64(Header.runId, true),
    };
  }

  private u64(view: DataView, at: number, offset: number, name: string): number {
    const value = view.getBigUint64(at, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw this.error('ERR_JOURNAL_BLOCK', offset, `${name} block field at +${at} is ${value}, beyond 2^53`);
    return Number(value);
  }

  private error(code: string, offset: number, problem: string): JournalError {
    return new JournalError(code, this.file, offset, problem);
  }
}
