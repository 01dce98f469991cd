import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JournalError, replay, recover } from '../lib/index';
import { EventKind, FORMAT_VERSION, MemType } from '../lib/events/format';
import { block, concat, endBlock, eventsBlock, journalHeader, namesBlock } from './helpers/journal-writer';
import { tempDir } from './helpers/journal';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function write(bytes: Uint8Array): string {
  const file = path.join(dir, `j${n++}.ttj`);
  fs.writeFileSync(file, bytes);
  return file;
}

/** The JournalError replay() throws for `bytes`, as { code, message } with the file name taken out. */
function replayError(bytes: Uint8Array): { code: string; offset: number | undefined; message: string } {
  const file = write(bytes);
  try {
    replay(file);
  } catch (err) {
    expect(err).toBeInstanceOf(JournalError);
    const e = err as JournalError;
    expect(e.file).toBe(file);
    return { code: e.code, offset: e.offset, message: e.message.replace(file, '<file>') };
  }
  throw new Error('replay() accepted the journal');
}

const alloc = { kind: EventKind.Alloc, objectId: 1, address: 4096, size: 2048, memType: MemType.DRAM };
const free = { kind: EventKind.Free, objectId: 1, address: 4096, size: 2048, memType: MemType.DRAM };
const tenEvents = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? { ...alloc, objectId: i } : { ...free, objectId: i - 1 }));

describe('replay() of a well-formed hand-built journal', () => {
  it('applies names, events and the drop count of the last block', () => {
    const file = write(concat(journalHeader(), namesBlock(1, ['matmul']), eventsBlock([{ kind: EventKind.OpStart, aux: 1 }, alloc, { kind: EventKind.OpEnd }], 2), endBlock(3, 2)));
    const r = replay(file);
    expect(r.events).toMatchObject({ total: 3, alloc: 1, opStart: 1, opEnd: 1, dropped: 2 });
    expect(r.complete).toBe(false);
    expect(r.leaks.map((l) => l.op)).toEqual(['matmul']);
  });
});

describe('replay() of a damaged journal: one JournalError naming the file, the byte offset and the problem', () => {
  it.each([
    ['a missing file', null, { code: 'ERR_JOURNAL_IO', offset: undefined, message: '<file>: no such file' }],
    ['a truncated header', new Uint8Array(10), { code: 'ERR_JOURNAL_TRUNCATED', offset: 0, message: '<file>: byte 0: truncated header: 10 of 64 bytes' }],
    ['another file type', concat(new TextEncoder().encode('{"schema":"tt-alloc-tracker/report@2"}'), new Uint8Array(64)),
      { code: 'ERR_JOURNAL_MAGIC', offset: 0, message: '<file>: byte 0: not a tt-alloc-tracker journal (magic "{\\"schema", expected "TTALJRNL")' }],
    ['a newer format version', journalHeader({ version: 2 }),
      { code: 'ERR_JOURNAL_VERSION', offset: 8, message: '<file>: byte 8: journal format version 2 is not supported (this reader reads version 1)' }],
    ['another record size', journalHeader({ recordBytes: 128 }),
      { code: 'ERR_JOURNAL_HEADER', offset: 16, message: '<file>: byte 16: event record size is 128, expected 64' }],
    // A journal of format 1 (before the Owning/HasProgram flags and mesh-aware device identity).
    ['another event format', journalHeader({ eventFormat: 1 }),
      { code: 'ERR_JOURNAL_HEADER', offset: 20, message: '<file>: byte 20: event format version is 1, expected 2' }],
    ['a flipped bit in the header', (() => { const h = journalHeader(); h[24] ^= 0x10; return h; })(),
      { code: 'ERR_JOURNAL_CHECKSUM', offset: 0, message: '<file>: byte 0: checksum mismatch in the journal header' }],
    ['a truncated block header', concat(journalHeader(), new Uint8Array(5)),
      { code: 'ERR_JOURNAL_TRUNCATED', offset: 64, message: '<file>: byte 64: truncated block header: 5 of 32 bytes' }],
    ['a truncated events block', concat(journalHeader(), eventsBlock(tenEvents)).subarray(0, 64 + 32 + 200),
      { code: 'ERR_JOURNAL_TRUNCATED', offset: 64, message: '<file>: byte 64: truncated events block: 640 payload bytes declared, 200 remain' }],
    ['a huge length', concat(journalHeader(), block(1, 0, 0, new Uint8Array(64), { length: 0xffffffff })),
      { code: 'ERR_JOURNAL_LENGTH', offset: 64, message: '<file>: byte 64: events block length 4294967295 exceeds the limit of 4194304 bytes' }],
    ['a flipped bit in the second block', (() => { const j = concat(journalHeader(), eventsBlock(tenEvents), eventsBlock(tenEvents)); j[64 + 672 + 32 + 100] ^= 1; return j; })(),
      { code: 'ERR_JOURNAL_CHECKSUM', offset: 736, message: '<file>: byte 736: checksum mismatch in events block' }],
    ['a partial record', concat(journalHeader(), block(1, 0, 0, new Uint8Array(100))),
      { code: 'ERR_JOURNAL_LENGTH', offset: 64, message: '<file>: byte 64: events block length 100 is not a multiple of 64' }],
    ['an unknown block type', concat(journalHeader(), block(9, 0, 0)),
      { code: 'ERR_JOURNAL_BLOCK', offset: 64, message: '<file>: byte 64: unknown block type 9' }],
    ['a non-zero reserved field', concat(journalHeader(), block(3, 0, 0, undefined, { reserved: 1 })),
      { code: 'ERR_JOURNAL_BLOCK', offset: 64, message: '<file>: byte 64: reserved field of drops block is not 0' }],
    ['a payload on a drops block', concat(journalHeader(), block(3, 0, 0, new Uint8Array(8))),
      { code: 'ERR_JOURNAL_LENGTH', offset: 64, message: '<file>: byte 64: drops block must have no payload, has 8 bytes' }],
    ['a count beyond 2^53', concat(journalHeader(), block(3, 2n ** 60n, 0)),
      { code: 'ERR_JOURNAL_BLOCK', offset: 64, message: '<file>: byte 64: drops block field at +8 is 1152921504606846976, beyond 2^53' }],
    ['names out of order', concat(journalHeader(), namesBlock(2, ['a'])),
      { code: 'ERR_JOURNAL_BLOCK', offset: 64, message: '<file>: byte 64: names block starts at id 2, expected 1' }],
    ['a name past its block', concat(journalHeader(), block(2, 1, 1, new Uint8Array([200, 65, 66]))),
      { code: 'ERR_JOURNAL_BLOCK', offset: 64, message: '<file>: byte 64: name 1 runs past the end of its block' }],
    ['too many names', concat(journalHeader(), block(2, 1, 5000, new Uint8Array([1, 65]))),
      { code: 'ERR_JOURNAL_BLOCK', offset: 64, message: '<file>: byte 64: names block holds 5000 names from id 1; ids run from 1 to 4096' }],
    ['a ring capacity that is not a power of two', concat(journalHeader(), block(5, 0, 1000)),
      { code: 'ERR_JOURNAL_BLOCK', offset: 64, message: '<file>: byte 64: ring capacity 1000 is not a power of two' }],
    ['data after the end block', concat(journalHeader(), endBlock(0), eventsBlock([alloc])),
      { code: 'ERR_JOURNAL_BLOCK', offset: 96, message: '<file>: byte 96: 96 bytes of data after the end block' }],
  ])('%s', (_, bytes, expected) => {
    if (bytes === null) {
      const file = path.join(dir, 'does-not-exist.ttj');
      expect(() => replay(file)).toThrow(new JournalError('ERR_JOURNAL_IO', file, undefined, 'no such file'));
      expect(expected.message).toBe('<file>: no such file');
      return;
    }
    expect(replayError(bytes)).toEqual(expected);
  });
});

describe('recover() of a journal whose tail is damaged', () => {
  it('keeps the blocks before the damage and says why it stopped', () => {
    const good = concat(journalHeader(), eventsBlock(tenEvents));
    const file = write(concat(good, eventsBlock(tenEvents.map((e, i) => ({ ...e, seq: 10 + i }))).subarray(0, 100)));
    const result = recover(file);
    expect(result.journalEvents).toBe(10);
    expect(result.report.events.total).toBe(10);
    expect(result.journalError?.message).toBe(`${file}: byte 736: truncated events block: 640 payload bytes declared, 68 remain`);
    expect(result.ringFile).toBe(null);
  });
});

describe('recover() with a damaged ring file', () => {
  function ringFile(fields: { magic?: string; capacity?: number; firstSeq?: number; head?: number; tail?: number; size?: number }): Uint8Array {
    const capacity = fields.capacity ?? 64;
    const bytes = new Uint8Array(fields.size ?? 4096 + capacity * 64);
    const view = new DataView(bytes.buffer);
    bytes.set(Buffer.from(fields.magic ?? 'TTALRING', 'latin1'), 0);
    view.setUint32(8, 1, true);
    view.setUint32(12, 4096, true);
    view.setUint32(16, 64, true);
    view.setUint32(20, FORMAT_VERSION, true);
    view.setBigUint64(24, BigInt(capacity), true);
    view.setBigUint64(32, BigInt(fields.firstSeq ?? 0), true);
    view.setBigUint64(128, BigInt(fields.tail ?? 0), true);
    view.setBigUint64(192, BigInt(fields.head ?? 0), true);
    return bytes;
  }
  function recoverError(ring: Uint8Array): string {
    const file = write(concat(journalHeader(), block(5, 0, 64)));
    fs.writeFileSync(`${file}.ring`, ring);
    try {
      recover(file);
    } catch (err) {
      expect(err).toBeInstanceOf(JournalError);
      return (err as Error).message.replace(`${file}.ring`, '<ring>');
    }
    throw new Error('recover() accepted the ring file');
  }

  it.each([
    ['a truncated header', new Uint8Array(100), '<ring>: byte 0: truncated ring header: 100 of 4096 bytes'],
    ['another file type', ringFile({ magic: 'TTALJRNL' }), '<ring>: byte 0: not a tt-alloc-tracker ring file (magic "TTALJRNL", expected "TTALRING")'],
    ['a capacity the file is too short for', ringFile({ size: 4096 + 10 * 64 }), '<ring>: byte 0: ring file is 4736 bytes; a ring of 64 slots takes 8192'],
    ['a capacity that is not a power of two', ringFile({ capacity: 100 }), '<ring>: byte 24: ring capacity 100 is not a power of two between 2 and 67108864'],
    ['a head past the tail', ringFile({ head: 10, tail: 5 }), '<ring>: byte 128: inconsistent ring indexes: first 0, head 10, tail 5, capacity 64'],
    ['the ring of another journal', ringFile({ firstSeq: 128, head: 128, tail: 128 }),
      '<ring>: byte 0: ring file does not belong to this journal (ring starts at sequence 128 with 64 slots; the journal\'s ring starts at 0 with 64)'],
  ])('%s', (_, ring, message) => {
    expect(recoverError(ring)).toBe(message);
  });
});
