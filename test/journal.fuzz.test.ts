import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tracker from '../lib/index';
import { JournalError } from '../lib/index';
import { crc32c } from '../lib/journal/crc32c';
import { native } from '../lib/native';
import { emitSynthetic } from '../lib/testing';
import { tempDir } from './helpers/journal';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CODES = ['ERR_JOURNAL_IO', 'ERR_JOURNAL_MAGIC', 'ERR_JOURNAL_VERSION', 'ERR_JOURNAL_HEADER', 'ERR_JOURNAL_TRUNCATED',
  'ERR_JOURNAL_CHECKSUM', 'ERR_JOURNAL_LENGTH', 'ERR_JOURNAL_BLOCK', 'ERR_JOURNAL_RING'];

let valid: Uint8Array;
beforeAll(() => {
  // A small real journal from the native writer: names, events, a reset, drops, the end block.
  const file = path.join(dir, 'valid.ttj');
  tracker.enable({ record: file, drainIntervalMs: 0 });
  const nb = native();
  nb.mark(nb.intern('fuzz-scope'), 1, false);
  emitSynthetic({ threads: 1, perThread: 8, onCallingThread: true });
  tracker.reset();
  emitSynthetic({ threads: 1, perThread: 4, onCallingThread: true });
  nb.mark(nb.intern('fuzz-scope'), 1, true);
  tracker.enable({ record: false, drainIntervalMs: 0 });
  valid = new Uint8Array(fs.readFileSync(file));
  expect(tracker.replay(file).events.total).toBe(9);
});

/** replay() must return a report or throw a JournalError with a documented code: nothing else. */
function replayOrJournalError(bytes: Uint8Array): void {
  const file = path.join(dir, 'fuzz.ttj');
  fs.writeFileSync(file, bytes);
  try {
    expect(tracker.replay(file).schema).toBe('tt-alloc-tracker/report@2');
  } catch (err) {
    if (!(err instanceof JournalError)) throw err;
    expect(CODES).toContain(err.code);
    expect(err.message.startsWith(`${file}: `)).toBe(true);
  }
}

/** Rewrites the checksum of every block whose header still parses, so mutations reach the decoder. */
function fixChecksums(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 64;
  while (at + 32 <= bytes.length) {
    const length = view.getUint32(at + 4, true);
    if (at + 32 + length > bytes.length) break;
    view.setUint32(at + 28, crc32c(bytes.subarray(at + 32, at + 32 + length), crc32c(bytes.subarray(at, at + 28))), true);
    at += 32 + length;
  }
  return bytes;
}

const mutation = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('u32' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 40 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(source: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = Uint8Array.from(source);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % bytes.length;
    if (m.op === 'flip') bytes[at] ^= 1 << m.bit;
    else if (m.op === 'set') bytes[at] = m.value;
    else if (m.op === 'u32' && at + 4 <= bytes.length) new DataView(bytes.buffer).setUint32(at, m.value, true);
    else if (m.op === 'truncate') bytes = bytes.slice(0, at);
    else if (m.op === 'insert') bytes = Uint8Array.from([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
  }
  return bytes;
}

describe('journal reader under fuzzing (fast-check)', () => {
  it('random bytes: a report or a JournalError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => replayOrJournalError(bytes)), { numRuns: 300 });
  });

  it('random bytes after a valid header: a report or a JournalError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
      replayOrJournalError(Uint8Array.from([...valid.subarray(0, 64), ...bytes]));
    }), { numRuns: 300 });
  });

  it('mutations of a real journal: a report or a JournalError', () => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => replayOrJournalError(mutate(valid, ms))), { numRuns: 400 });
  });

  it('mutations with checksums rewritten, so they reach the block decoder and the aggregator', () => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
      replayOrJournalError(fixChecksums(mutate(valid, ms)));
    }), { numRuns: 400 });
  });
});

describe('crc32c', () => {
  it.each([
    ['"123456789"', new TextEncoder().encode('123456789'), 0xe3069283],
    ['32 zero bytes', new Uint8Array(32), 0x8a9136aa],
    ['32 bytes of 0xff', new Uint8Array(32).fill(0xff), 0x62a8ab43],
    ['bytes 0..31', Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
    ['bytes 31..0', Uint8Array.from({ length: 32 }, (_, i) => 31 - i), 0x113fdb5c],
  ])('of %s is the RFC 3720 value, in JS and natively', (_, bytes, expected) => {
    expect(crc32c(bytes)).toBe(expected);
    expect(native().testing.crc32c(bytes)).toBe(expected);
  });

  it('continues across pieces and agrees with the native one on random input', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (bytes, cut) => {
      const at = bytes.length === 0 ? 0 : cut % bytes.length;
      expect(crc32c(bytes.subarray(at), crc32c(bytes.subarray(0, at)))).toBe(crc32c(bytes));
      expect(native().testing.crc32c(bytes)).toBe(crc32c(bytes));
    }), { numRuns: 300 });
  });
});
