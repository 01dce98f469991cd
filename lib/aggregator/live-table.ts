/**
 * Live buffers by unique id: open addressing with linear probing and backward-shift deletion over
 * one array of buffer objects; the key is the buffer's own `id`. Replaces a Map<number, TrackedBuffer>
 * that the 100,000-live-buffer churn in scripts/bench-aggregator.js showed as the largest cost of an
 * allocation. No separate key array: it cost 8 bytes per slot (≈ 20 bytes per live buffer at the
 * table's load) and a second cache miss per lookup, while a hit needs the object anyway and the
 * aggregator skips lookups of ids it has never seen (SeenIds), so misses stay rare.
 */
import type { TrackedBuffer } from './buffer';

const INITIAL_CAPACITY = 1024; // a power of two
const TWO_32 = 4294967296;

export class LiveTable {
  private values: (TrackedBuffer | undefined)[] = new Array<TrackedBuffer | undefined>(INITIAL_CAPACITY).fill(undefined);
  private mask = INITIAL_CAPACITY - 1;
  size = 0;

  get(id: number): TrackedBuffer | undefined {
    const values = this.values;
    const mask = this.mask;
    let k = hash(id) & mask;
    for (;;) {
      const v = values[k];
      if (v === undefined || v.id === id) return v;
      k = (k + 1) & mask;
    }
  }

  /** Stores `buffer` under its id, replacing any buffer with that id. */
  set(buffer: TrackedBuffer): void {
    const values = this.values;
    const mask = this.mask;
    const id = buffer.id;
    let k = hash(id) & mask;
    for (;;) {
      const v = values[k];
      if (v === undefined) break;
      if (v.id === id) { values[k] = buffer; return; }
      k = (k + 1) & mask;
    }
    values[k] = buffer;
    if (++this.size * 2 > values.length) this.grow();
  }

  delete(id: number): boolean {
    return this.take(id) !== undefined;
  }

  /** Removes the buffer with `id` and returns it (undefined if none): a free's lookup and delete in one probe. */
  take(id: number): TrackedBuffer | undefined {
    const values = this.values;
    const mask = this.mask;
    let k = hash(id) & mask;
    let found: TrackedBuffer;
    for (;;) {
      const v = values[k];
      if (v === undefined) return undefined;
      if (v.id === id) { found = v; break; }
      k = (k + 1) & mask;
    }
    // Backward-shift: move later entries of the probe run into the hole so lookups need no tombstones.
    let hole = k;
    let j = k;
    for (;;) {
      j = (j + 1) & mask;
      const v = values[j];
      if (v === undefined) break;
      const home = hash(v.id) & mask;
      // Entry j may move to the hole if its home is not cyclically within (hole, j].
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        values[hole] = v;
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
    this.mask = length - 1;
    this.size = 0;
    for (const v of old) if (v !== undefined) this.set(v);
  }
}

function hash(id: number): number {
  const lo = id >>> 0;
  const hi = (id / TWO_32) >>> 0;
  const h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 15);
}
