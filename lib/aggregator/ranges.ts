/**
 * Live owning ranges of one (device, memory type), sorted by start address, plus a generation count
 * per start address so reuse is visible. Ranges in one set never overlap (an overlapping allocation
 * displaces what it overlaps, see classify.ts), so the only range that can contain an address is
 * its predecessor, and lookups are one binary search.
 *
 * Storage is a list of sorted chunks (like Python's SortedList): inserting or removing moves at most
 * CHUNK_MAX entries, so 100,000 live ranges cost the same per event as 1,000.
 */
import type { TrackedBuffer } from './buffer';

// 512 entries per chunk: a splice moves ≤ 4 KiB of doubles, and 100k ranges need ~400 chunks
// (9 + 9 comparisons per lookup). Chunks split in half past the maximum.
const CHUNK_MAX = 512;

export class RangeSet {
  private readonly starts: number[][] = [];
  private readonly owners: TrackedBuffer[][] = [];
  /** starts[c][0] for every chunk c. */
  private readonly firsts: number[] = [];
  private readonly generations = new Map<number, number>();
  size = 0;

  /** Owning allocations seen at `address` so far (0 = never). */
  generationOf(address: number): number {
    return this.generations.get(address) ?? 0;
  }

  /** Counts one more owning allocation at `address` and returns its generation (1 = first). */
  nextGeneration(address: number): number {
    const g = (this.generations.get(address) ?? 0) + 1;
    this.generations.set(address, g);
    return g;
  }

  /** The live range containing [address, end) (or, for an empty range, containing address). */
  containing(address: number, end: number): TrackedBuffer | undefined {
    const p = this.predecessor(address);
    if (p === undefined) return undefined;
    if (p.end > address && p.end >= end) return p;
    return undefined;
  }

  /** The first live range that intersects [address, end), if any. */
  firstOverlap(address: number, end: number): TrackedBuffer | undefined {
    if (end <= address) return undefined;
    const c = this.chunkFor(address);
    if (c >= 0) {
      const i = lastAtOrBelow(this.starts[c], address);
      const p = this.owners[c][i];
      if (p.end > address) return p;
      return this.firstStartBelow(c, i + 1, end);
    }
    return this.firstStartBelow(0, 0, end);
  }

  /** Every live range intersecting [address, end), in address order. */
  overlapping(address: number, end: number): TrackedBuffer[] {
    const out: TrackedBuffer[] = [];
    if (end <= address || this.size === 0) return out;
    let c = this.chunkFor(address);
    let i = 0;
    if (c >= 0) {
      i = lastAtOrBelow(this.starts[c], address);
      if (this.owners[c][i].end > address) out.push(this.owners[c][i]);
      i++;
    } else {
      c = 0;
    }
    for (; c < this.starts.length; c++, i = 0) {
      const s = this.starts[c];
      for (; i < s.length; i++) {
        if (s[i] >= end) return out;
        out.push(this.owners[c][i]);
      }
    }
    return out;
  }

  insert(buffer: TrackedBuffer): void {
    const key = buffer.address;
    if (this.starts.length === 0) {
      this.starts.push([key]);
      this.owners.push([buffer]);
      this.firsts.push(key);
      this.size = 1;
      return;
    }
    const found = this.chunkFor(key);
    const c = found < 0 ? 0 : found;
    const s = this.starts[c];
    const i = found < 0 ? 0 : lastAtOrBelow(s, key) + 1;
    s.splice(i, 0, key);
    this.owners[c].splice(i, 0, buffer);
    if (i === 0) this.firsts[c] = key;
    this.size++;
    if (s.length > CHUNK_MAX) this.split(c);
  }

  /** Removes `buffer` if it is in the set; returns whether it was. */
  remove(buffer: TrackedBuffer): boolean {
    const c = this.chunkFor(buffer.address);
    if (c < 0) return false;
    const s = this.starts[c];
    const o = this.owners[c];
    const i = lastAtOrBelow(s, buffer.address);
    if (o[i] !== buffer) return false;
    if (s.length === 1) {
      this.starts.splice(c, 1);
      this.owners.splice(c, 1);
      this.firsts.splice(c, 1);
    } else {
      s.splice(i, 1);
      o.splice(i, 1);
      if (i === 0) this.firsts[c] = s[0];
    }
    this.size--;
    return true;
  }

  private predecessor(address: number): TrackedBuffer | undefined {
    const c = this.chunkFor(address);
    if (c < 0) return undefined;
    return this.owners[c][lastAtOrBelow(this.starts[c], address)];
  }

  /** The first range at or after chunk c, index i, if its start lies below `end`. */
  private firstStartBelow(c: number, i: number, end: number): TrackedBuffer | undefined {
    if (c < this.starts.length && i >= this.starts[c].length) { c++; i = 0; }
    if (c >= this.starts.length) return undefined;
    return this.starts[c][i] < end ? this.owners[c][i] : undefined;
  }

  /** Index of the last chunk whose first start is ≤ key; -1 when key is below every start. */
  private chunkFor(key: number): number {
    const f = this.firsts;
    let lo = 0;
    let hi = f.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (f[mid] <= key) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  private split(c: number): void {
    const half = this.starts[c].length >>> 1;
    const tailStarts = this.starts[c].splice(half);
    const tailOwners = this.owners[c].splice(half);
    this.starts.splice(c + 1, 0, tailStarts);
    this.owners.splice(c + 1, 0, tailOwners);
    this.firsts.splice(c + 1, 0, tailStarts[0]);
  }
}

/** Index of the last element ≤ key in a sorted array whose first element is ≤ key. */
function lastAtOrBelow(a: readonly number[], key: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (a[mid] <= key) lo = mid; else hi = mid - 1;
  }
  return lo;
}
