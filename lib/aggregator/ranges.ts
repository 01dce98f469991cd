/**
 * Live owning ranges of one (device, memory type), sorted by start address, plus a generation count
 * per start address so reuse is visible. Ranges in one set never overlap (an overlapping allocation
 * displaces what it overlaps, see aggregator.ts), so the only range that can contain an address is
 * its predecessor, and lookups are one binary search.
 *
 * Storage is a list of sorted chunks (like Python's SortedList) of typed arrays: starts and the
 * owners' BufferStore slots, moved with copyWithin (a memmove). Array.prototype.splice on plain
 * arrays cost ~1 µs per insert/remove at 100,000 live ranges (scripts/bench-aggregator.js); the
 * typed chunks make both a binary search plus a memmove of at most CHUNK_MAX entries. A removal
 * leaves the search cache pointing at the removed address, because allocators hand freed ranges
 * out again soon: the allocation's three searches then cost nothing. For the same reason a removal
 * is deferred: the entry stays in its chunk as a tombstone (skipped by firstOverlap) until the next
 * operation that needs the chunks exact; an insert at the same address takes its place, so a free
 * and the allocation that reuses its range move no memory at all.
 */
import { AddressCounts } from './address-counts';
import { NONE, type BufferStore, type Slot } from './buffer-store';

// 256 entries per chunk: a memmove of ≤ 2 KiB + 1 KiB, and 100k ranges need 400–800 chunks
// (≤ 10 + 8 comparisons per lookup). Measured against 128 and 512 with the 100k-live churn of
// scripts/bench-aggregator.js. Chunks split in half past the maximum, except at the ends of the set:
// an allocator walking up (or down) through memory appends (or prepends) every range, and halving
// there would leave every chunk behind it half empty (12 bytes of chunk per range instead of ~6).
// There the full chunk stays full and the new range starts a chunk of its own.
const CHUNK_MAX = 256;

class Chunk {
  readonly starts = new Float64Array(CHUNK_MAX + 1);
  readonly slots = new Int32Array(CHUNK_MAX + 1);
  length = 0;
}

export class RangeSet {
  private readonly chunks: Chunk[] = [];
  /** starts[0] of every chunk. */
  private readonly firsts: number[] = [];
  private readonly generations = new AddressCounts();
  /** An emptied chunk kept for the next one needed: sets that drain to empty and refill are common. */
  private spare: Chunk | undefined;
  size = 0;
  // One-entry search cache: classifying an allocation searches its address up to three times
  // (containing, firstOverlap, insert). Valid until the next mutation.
  private cachedKey = NaN;
  private cachedChunk = -1;
  private cachedIndex = 0;
  // The deferred removal: chunk (-1 = none), index and start of the tombstone.
  private pendingChunk = -1;
  private pendingIndex = 0;
  private pendingKey = NaN;

  constructor(private readonly store: BufferStore) {}

  /** Owning allocations seen at `address` so far (0 = never). */
  generationOf(address: number): number {
    return this.generations.get(address);
  }

  /** Counts one more owning allocation at `address` and returns its generation (1 = first). */
  nextGeneration(address: number): number {
    return this.generations.increment(address);
  }

  /** The live range containing [address, end) (or, for an empty range, containing address). */
  containing(address: number, end: number): Slot {
    this.locate(address);
    const c = this.cachedChunk;
    if (c < 0) return NONE;
    const p = this.chunks[c].slots[this.cachedIndex];
    const pEnd = this.store.end(p);
    return pEnd > address && pEnd >= end ? p : NONE;
  }

  /** The first live range that intersects [address, end), if any. */
  firstOverlap(address: number, end: number): Slot {
    if (end <= address || this.size === 0) return NONE;
    this.locate(address);
    let c = this.cachedChunk;
    let i = 0;
    if (c >= 0) {
      const chunk = this.chunks[c];
      i = this.cachedIndex;
      const p = chunk.slots[i];
      if (this.store.end(p) > address) return p;
      i++;
      if (i === chunk.length) { c++; i = 0; }
    } else {
      c = 0;
    }
    if (c === this.pendingChunk && i === this.pendingIndex) { // the tombstone (locate left the cache before it)
      i++;
      if (i === this.chunks[c].length) { c++; i = 0; }
    }
    if (c >= this.chunks.length) return NONE;
    const chunk = this.chunks[c];
    return chunk.starts[i] < end ? chunk.slots[i] : NONE;
  }

  /** Every live range intersecting [address, end), in address order. */
  overlapping(address: number, end: number): Slot[] {
    const out: Slot[] = [];
    if (end <= address || this.size === 0) return out;
    this.flush();
    let c = this.chunkFor(address);
    let i = 0;
    if (c >= 0) {
      const chunk = this.chunks[c];
      i = lastAtOrBelow(chunk, address);
      const p = chunk.slots[i];
      if (this.store.end(p) > address) out.push(p);
      i++;
    } else {
      c = 0;
    }
    for (; c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c];
      for (; i < chunk.length; i++) {
        if (chunk.starts[i] >= end) return out;
        out.push(chunk.slots[i]);
      }
    }
    return out;
  }

  insert(slot: Slot): void {
    const key = this.store.address(slot);
    if (this.pendingChunk >= 0) {
      if (key === this.pendingKey) {
        this.reuseTombstone(slot);
        return;
      }
      this.flush();
    }
    let found = -1;
    if (this.size !== 0) {
      this.locate(key);
      found = this.cachedChunk;
    }
    const at = this.cachedIndex;
    this.cachedKey = NaN;
    this.size++;
    if (this.chunks.length === 0) {
      const chunk = this.newChunk();
      chunk.starts[0] = key;
      chunk.slots[0] = slot;
      chunk.length = 1;
      this.chunks.push(chunk);
      this.firsts.push(key);
      return;
    }
    const c = found < 0 ? 0 : found;
    const chunk = this.chunks[c];
    const i = found < 0 ? 0 : at + 1;
    const n = chunk.length;
    if (i < n) {
      chunk.starts.copyWithin(i + 1, i, n);
      chunk.slots.copyWithin(i + 1, i, n);
    }
    chunk.starts[i] = key;
    chunk.slots[i] = slot;
    chunk.length = n + 1;
    if (i === 0) this.firsts[c] = key;
    if (chunk.length > CHUNK_MAX) {
      const appended = c === this.chunks.length - 1 && i === n;
      const prepended = c === 0 && i === 0;
      this.split(c, appended ? n : prepended ? 1 : chunk.length >>> 1);
    }
  }

  /** Removes buffer `slot` if it is in the set; returns whether it was. */
  remove(slot: Slot): boolean {
    const key = this.store.address(slot);
    this.flush();
    this.locate(key);
    const c = this.cachedChunk;
    this.cachedKey = NaN;
    if (c < 0) return false;
    const chunk = this.chunks[c];
    const i = this.cachedIndex;
    if (chunk.slots[i] !== slot) return false;
    this.size--;
    const n = chunk.length;
    if (n === 1) {
      chunk.length = 0;
      this.spare = chunk;
      // pop() for the last chunk (a set emptied by a free, the common case): splice makes an array.
      if (c === this.chunks.length - 1) {
        this.chunks.pop();
        this.firsts.pop();
      } else {
        this.chunks.splice(c, 1);
        this.firsts.splice(c, 1);
      }
      this.cacheBefore(key, c, 0);
      return true;
    }
    // Deferred: the entry stays as a tombstone. An allocator hands a freed range out again soon
    // (often at once): the next search for this address is answered from the cache, and an insert
    // there takes the tombstone's place.
    this.pendingChunk = c;
    this.pendingIndex = i;
    this.pendingKey = key;
    this.cacheBefore(key, c, i);
    return true;
  }

  /** Inserts buffer `slot` (at the tombstone's start) in the tombstone's place. */
  private reuseTombstone(slot: Slot): void {
    this.size++;
    this.chunks[this.pendingChunk].slots[this.pendingIndex] = slot;
    this.pendingChunk = -1;
    this.pendingKey = NaN;
    this.cachedKey = NaN;
  }

  /** Carries out the deferred removal, if any. */
  private flush(): void {
    const c = this.pendingChunk;
    if (c < 0) return;
    const chunk = this.chunks[c];
    const i = this.pendingIndex;
    const n = chunk.length; // ≥ 2: a chunk's last entry is removed at once
    chunk.starts.copyWithin(i, i + 1, n);
    chunk.slots.copyWithin(i, i + 1, n);
    chunk.length = n - 1;
    if (i === 0) this.firsts[c] = chunk.starts[0];
    this.pendingChunk = -1;
    this.pendingKey = NaN;
    this.cachedKey = NaN;
  }

  /** Caches, for `key`, the entry just before position (c, i): the last start below a removed key. */
  private cacheBefore(key: number, c: number, i: number): void {
    this.cachedKey = key;
    if (i > 0) {
      this.cachedChunk = c;
      this.cachedIndex = i - 1;
    } else if (c > 0) {
      this.cachedChunk = c - 1;
      this.cachedIndex = this.chunks[c - 1].length - 1;
    } else {
      this.cachedChunk = -1;
      this.cachedIndex = 0;
    }
  }

  /**
   * Chunk and index of the last start ≤ key, in cachedChunk / cachedIndex (chunk -1 when key is
   * below every start).
   */
  private locate(key: number): void {
    if (key === this.cachedKey) return;
    this.flush();
    const c = this.chunkFor(key);
    this.cachedKey = key;
    this.cachedChunk = c;
    this.cachedIndex = c < 0 ? 0 : lastAtOrBelow(this.chunks[c], key);
  }

  /** Index of the last chunk whose first start is ≤ key; -1 when key is below every start. */
  private chunkFor(key: number): number {
    const f = this.firsts;
    if (f.length === 0 || f[0] > key) return -1;
    // Branch-free halving (see lastAtOrBelow).
    let base = 0;
    let length = f.length;
    while (length > 1) {
      const half = length >>> 1;
      base += half * +(f[base + half] <= key);
      length -= half;
    }
    return base;
  }

  private newChunk(): Chunk {
    const chunk = this.spare ?? new Chunk();
    this.spare = undefined;
    return chunk;
  }

  /** Moves entries `at`.. of chunk `c` into a new chunk after it. */
  private split(c: number, at: number): void {
    const chunk = this.chunks[c];
    const tail = this.newChunk();
    tail.starts.set(chunk.starts.subarray(at, chunk.length));
    tail.slots.set(chunk.slots.subarray(at, chunk.length));
    tail.length = chunk.length - at;
    chunk.length = at;
    this.chunks.splice(c + 1, 0, tail);
    this.firsts.splice(c + 1, 0, tail.starts[0]);
  }
}

/**
 * Index of the last start ≤ key in a chunk whose first start is ≤ key. Branch-free: the comparison
 * becomes 0 or 1 instead of a branch, which is mispredicted half the time on random addresses; this
 * halved the search time at 100,000 ranges (scripts/bench-aggregator.js).
 */
function lastAtOrBelow(chunk: Chunk, key: number): number {
  const a = chunk.starts;
  let base = 0;
  let length = chunk.length;
  while (length > 1) {
    const half = length >>> 1;
    base += half * +(a[base + half] <= key);
    length -= half;
  }
  return base;
}
