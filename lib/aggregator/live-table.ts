/**
 * Live buffers by unique id: open addressing with linear probing and backward-shift deletion over
 * an array of buffer objects plus a parallel Int32Array of 32-bit id tags (the id's two halves
 * mixed, from which the slot is hashed). Replaces a Map<number, TrackedBuffer> that the
 * 100,000-live-buffer churn in scripts/bench-aggregator.js showed as the largest cost of an
 * allocation. The tags let a probe skip other ids and let deletion find each entry's home slot
 * without reading the buffer objects (a cache miss each at random ids); a full 64-bit key array
 * would cost twice the 4 bytes per slot.
 */
import type { TrackedBuffer } from './buffer';

const INITIAL_CAPACITY = 1024; // a power of two
const TWO_32 = 4294967296;

export class LiveTable {
  private values: (TrackedBuffer | undefined)[] = new Array<TrackedBuffer | undefined>(INITIAL_CAPACITY).fill(undefined);
  private tags = new Int32Array(INITIAL_CAPACITY);
  private mask = INITIAL_CAPACITY - 1;
  size = 0;

  get(id: number): TrackedBuffer | undefined {
    const values = this.values;
    const tags = this.tags;
    const mask = this.mask;
    const t = tagOf(id);
    let k = home(t) & mask;
    for (;;) {
      const v = values[k];
      if (v === undefined || (tags[k] === t && v.id === id)) return v;
      k = (k + 1) & mask;
    }
  }

  /** Stores `buffer` under its id, replacing any buffer with that id. */
  set(buffer: TrackedBuffer): void {
    const values = this.values;
    const tags = this.tags;
    const mask = this.mask;
    const id = buffer.id;
    const t = tagOf(id);
    let k = home(t) & mask;
    for (;;) {
      const v = values[k];
      if (v === undefined) break;
      if (tags[k] === t && v.id === id) { values[k] = buffer; return; }
      k = (k + 1) & mask;
    }
    values[k] = buffer;
    tags[k] = t;
    if (++this.size * 2 > values.length) this.grow();
  }

  delete(id: number): boolean {
    return this.take(id) !== undefined;
  }

  /** Removes the buffer with `id` and returns it (undefined if none): a free's lookup and delete in one probe. */
  take(id: number): TrackedBuffer | undefined {
    const values = this.values;
    const tags = this.tags;
    const mask = this.mask;
    const t = tagOf(id);
    let k = home(t) & mask;
    let found: TrackedBuffer;
    for (;;) {
      const v = values[k];
      if (v === undefined) return undefined;
      if (tags[k] === t && v.id === id) { found = v; break; }
      k = (k + 1) & mask;
    }
    // Backward-shift: move later entries of the probe run into the hole so lookups need no tombstones.
    let hole = k;
    let j = k;
    for (;;) {
      j = (j + 1) & mask;
      const v = values[j];
      if (v === undefined) break;
      const h = home(tags[j]) & mask;
      // Entry j may move to the hole if its home is not cyclically within (hole, j].
      if (((j - h) & mask) >= ((j - hole) & mask)) {
        values[hole] = v;
        tags[hole] = tags[j];
        hole = j;
      }
    }
    values[hole] = undefined;
    this.size--;
    return found;
  }

  /** Every live buffer, in table order (callers sort). */
  all(): TrackedBuffer[] {
    const out: TrackedBuffer[] = [];
    for (const v of this.values) if (v !== undefined) out.push(v);
    return out;
  }

  private grow(): void {
    const old = this.values;
    const length = old.length * 2;
    this.values = new Array<TrackedBuffer | undefined>(length).fill(undefined);
    this.tags = new Int32Array(length);
    this.mask = length - 1;
    this.size = 0;
    for (const v of old) if (v !== undefined) this.set(v);
  }
}

/** The id's two 32-bit halves mixed into one int32 (equal ids, equal tags). */
function tagOf(id: number): number {
  const lo = id >>> 0;
  const hi = (id / TWO_32) >>> 0;
  return lo ^ Math.imul(hi, 0x85ebca6b);
}

/** Home slot hash of a tag (before masking). */
function home(tag: number): number {
  const h = Math.imul(tag, 0x9e3779b1);
  return h ^ (h >>> 15);
}
