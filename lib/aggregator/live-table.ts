/**
 * Live buffers by unique id: open addressing with linear probing and backward-shift deletion over
 * one Int32Array of (tag, slot + 1) pairs, slot 0 meaning empty; the tag is the id's two halves
 * mixed, from which the home slot is hashed. Replaces a Map<number, buffer> that the
 * 100,000-live-buffer churn in scripts/bench-aggregator.js showed as the largest cost of an
 * allocation. Tag and buffer slot side by side make a probe one cache line; the tags let a probe
 * skip other ids and let deletion find each entry's home without reading the buffer records (a
 * cache miss each at random ids).
 */
import { NONE, type BufferStore, type Slot } from './buffer-store';

const INITIAL_CAPACITY = 1024; // a power of two
const TWO_32 = 4294967296;

export class LiveTable {
  /** entries[2k] = tag, entries[2k + 1] = buffer slot + 1 (0 = empty). */
  private entries = new Int32Array(2 * INITIAL_CAPACITY);
  private mask = INITIAL_CAPACITY - 1;
  size = 0;

  constructor(private readonly store: BufferStore) {}

  /** The slot of the live buffer with `id`, or NONE. */
  get(id: number): Slot {
    const e = this.entries;
    const mask = this.mask;
    const t = tagOf(id);
    let k = home(t) & mask;
    for (;;) {
      const v = e[2 * k + 1];
      if (v === 0) return NONE;
      if (e[2 * k] === t && this.store.id(v - 1) === id) return v - 1;
      k = (k + 1) & mask;
    }
  }

  /** Stores buffer `slot` under its id, replacing any buffer with that id. */
  set(slot: Slot): void {
    const e = this.entries;
    const mask = this.mask;
    const id = this.store.id(slot);
    const t = tagOf(id);
    let k = home(t) & mask;
    for (;;) {
      const v = e[2 * k + 1];
      if (v === 0) break;
      if (e[2 * k] === t && this.store.id(v - 1) === id) { e[2 * k + 1] = slot + 1; return; }
      k = (k + 1) & mask;
    }
    e[2 * k] = t;
    e[2 * k + 1] = slot + 1;
    if (++this.size * 2 > mask + 1) this.grow();
  }

  delete(id: number): boolean {
    return this.take(id) !== NONE;
  }

  /** Removes the buffer with `id` and returns its slot (NONE if none): a free's lookup and delete in one probe. */
  take(id: number): Slot {
    const e = this.entries;
    const mask = this.mask;
    const t = tagOf(id);
    let k = home(t) & mask;
    let found: Slot;
    for (;;) {
      const v = e[2 * k + 1];
      if (v === 0) return NONE;
      if (e[2 * k] === t && this.store.id(v - 1) === id) { found = v - 1; break; }
      k = (k + 1) & mask;
    }
    // Backward-shift: move later entries of the probe run into the hole so lookups need no tombstones.
    let hole = k;
    let j = k;
    for (;;) {
      j = (j + 1) & mask;
      const v = e[2 * j + 1];
      if (v === 0) break;
      const h = home(e[2 * j]) & mask;
      // Entry j may move to the hole if its home is not cyclically within (hole, j].
      if (((j - h) & mask) >= ((j - hole) & mask)) {
        e[2 * hole] = e[2 * j];
        e[2 * hole + 1] = v;
        hole = j;
      }
    }
    e[2 * hole + 1] = 0;
    this.size--;
    return found;
  }

  /** Every live buffer's slot, in table order (callers sort). */
  all(): Slot[] {
    const out: Slot[] = [];
    const e = this.entries;
    for (let k = 1; k < e.length; k += 2) if (e[k] !== 0) out.push(e[k] - 1);
    return out;
  }

  private grow(): void {
    const old = this.entries;
    this.entries = new Int32Array(2 * old.length);
    this.mask = old.length - 1;
    const e = this.entries;
    const mask = this.mask;
    for (let k = 0; k < old.length; k += 2) {
      if (old[k + 1] === 0) continue;
      let j = home(old[k]) & mask;
      while (e[2 * j + 1] !== 0) j = (j + 1) & mask;
      e[2 * j] = old[k];
      e[2 * j + 1] = old[k + 1];
    }
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
