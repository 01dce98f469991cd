/**
 * Live buffers by unique id: open addressing with linear probing and backward-shift deletion, keys
 * in a Float64Array beside the buffer objects. Replaces a Map<number, TrackedBuffer> that the
 * 100,000-live-buffer churn in scripts/bench-aggregator.js showed as the largest cost of an allocation.
 */
import type { TrackedBuffer } from './buffer';

const INITIAL_CAPACITY = 1024; // a power of two
const TWO_32 = 4294967296;

export class LiveTable {
  private keys = new Float64Array(INITIAL_CAPACITY);
  private values: (TrackedBuffer | undefined)[] = new Array<TrackedBuffer | undefined>(INITIAL_CAPACITY).fill(undefined);
  private mask = INITIAL_CAPACITY - 1;
  size = 0;

  get(id: number): TrackedBuffer | undefined {
    let k = hash(id) & this.mask;
    for (;;) {
      const v = this.values[k];
      if (v === undefined || this.keys[k] === id) return v;
      k = (k + 1) & this.mask;
    }
  }

  /** Stores `buffer` under its id, replacing any buffer with that id. */
  set(buffer: TrackedBuffer): void {
    const id = buffer.id;
    let k = hash(id) & this.mask;
    for (;;) {
      const v = this.values[k];
      if (v === undefined) break;
      if (this.keys[k] === id) { this.values[k] = buffer; return; }
      k = (k + 1) & this.mask;
    }
    this.keys[k] = id;
    this.values[k] = buffer;
    if (++this.size * 2 > this.keys.length) this.grow();
  }

  delete(id: number): boolean {
    const mask = this.mask;
    let k = hash(id) & mask;
    for (;;) {
      const v = this.values[k];
      if (v === undefined) return false;
      if (this.keys[k] === id) break;
      k = (k + 1) & mask;
    }
    // Backward-shift: move later entries of the probe run into the hole so lookups need no tombstones.
    let hole = k;
    let j = k;
    for (;;) {
      j = (j + 1) & mask;
      const v = this.values[j];
      if (v === undefined) break;
      const home = hash(this.keys[j]) & mask;
      // Entry j may move to the hole if its home is not cyclically within (hole, j].
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        this.keys[hole] = this.keys[j];
        this.values[hole] = v;
        hole = j;
      }
    }
    this.values[hole] = undefined;
    this.size--;
    return true;
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
    this.keys = new Float64Array(length);
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
