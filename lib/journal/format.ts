/**
 * The journal's byte layout, mirrored from native/journal.hpp and native/ring.hpp
 * (docs/recording.md has the tables). Little-endian throughout.
 */

export const JOURNAL_MAGIC = 'TTALJRNL';
export const JOURNAL_VERSION = 1;
export const JOURNAL_HEADER_BYTES = 64;
export const BLOCK_HEADER_BYTES = 32;
/** The writer makes events blocks of at most 1 MiB and names blocks of at most 1 MiB (4,096 names of 255 bytes). */
export const MAX_BLOCK_BYTES = 4 * 1024 * 1024;
/** Names the native intern table can hold (native/intern.hpp kCapacity). */
export const MAX_NAMES = 4096;

/** Journal header: byte offsets. */
export const Header = {
  magic: 0, version: 8, headerBytes: 12, recordBytes: 16, eventFormat: 20, pid: 24, createdMs: 32, runId: 40, crc: 60,
} as const;

/** Block header: type u32, payload length u32, a u64, b u64, reserved u32 (0), crc u32 over bytes 0..28 + payload. */
export const Block = { type: 0, length: 4, a: 8, b: 16, reserved: 24, crc: 28 } as const;

export const BlockType = { Events: 1, Names: 2, Drops: 3, Reset: 4, Ring: 5, End: 6 } as const;
export const BLOCK_NAMES: Record<number, string> = { 1: 'events', 2: 'names', 3: 'drops', 4: 'reset', 5: 'ring', 6: 'end' };

export const RING_MAGIC = 'TTALRING';
export const RING_VERSION = 1;
export const RING_HEADER_BYTES = 4096;
/** Ring header: byte offsets (native/ring.hpp RingHeader). */
export const RingHeader = {
  magic: 0, version: 8, headerBytes: 12, slotBytes: 16, eventFormat: 20, capacity: 24, firstSeq: 32,
  clockGeneration: 40, clock: 48, clockBytes: 24, runId: 96, tail: 128, head: 192, dropped: 256, userCounter: 264,
} as const;

/** Path of the ring file that belongs to a journal. */
export function ringFileOf(journal: string): string {
  return `${journal}.ring`;
}
