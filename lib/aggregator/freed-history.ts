/**
 * The most recently freed buffers with their allocation and free sites: what a double-free example
 * shows. Bounded ring of typed arrays: nothing is retained per freed buffer (keeping the freed
 * objects alive promoted them to the old generation and cost more than the rest of the free path,
 * measured with scripts/bench-aggregator.js). Looking an id up scans the ring newest first, which
 * only happens while a class still wants examples.
 *
 * The ring's arrays start small and double until they reach `capacity` (65,536 entries by default,
 * ~3 MiB): allocated whole up front, they were a sixth of a fresh aggregator's memory at 100,000
 * live buffers (scripts/bench-aggregator.js), before a single free. They only grow while the ring has
 * never wrapped, so growing is a copy of the filled prefix and the order of entries is unchanged.
 */
import type { BufferStore, Slot } from './buffer-store';

/** The story of one freed buffer, rebuilt from the ring on demand. */
export interface FreedStory {
  generation: number;
  allocSeq: number;
  allocThread: number;
  allocOp: number;
  allocScope: number;
  freeSeq: number;
  freeThread: number;
  freeOp: number;
  freeScope: number;
}

// Entries allocated at first: 48 bytes each, 48 KiB.
const INITIAL_LENGTH = 1024;

export class FreedHistory {
  private ids: Float64Array;
  private generations: Uint32Array; // as BufferStore keeps them
  private allocSeqs: Float64Array;
  private freeSeqs: Float64Array;
  private threads: Uint16Array; // alloc, free
  private names: Uint32Array; // allocOp, allocScope, freeOp, freeScope
  /** Entries the arrays hold now (≤ capacity); the ring wraps only once this reaches capacity. */
  private length: number;
  private next = 0;
  private filled = 0;

  constructor(private readonly store: BufferStore, private readonly capacity: number) {
    const n = Math.min(capacity, INITIAL_LENGTH);
    this.length = n;
    this.ids = new Float64Array(n);
    this.generations = new Uint32Array(n);
    this.allocSeqs = new Float64Array(n);
    this.freeSeqs = new Float64Array(n);
    this.threads = new Uint16Array(n * 2);
    this.names = new Uint32Array(n * 4);
  }

  /** Remembers buffer `s`, freed at `freeSeq` on `freeThread` inside op `freeOp` and scope `freeScope`. */
  add(s: Slot, freeSeq: number, freeThread: number, freeOp: number, freeScope: number): void {
    if (this.capacity === 0) return;
    const k = this.next;
    if (k === this.length && k < this.capacity) this.grow();
    const store = this.store;
    this.ids[k] = store.id(s);
    this.generations[k] = store.generation(s);
    this.allocSeqs[k] = store.allocSeq(s);
    this.freeSeqs[k] = freeSeq;
    this.threads[2 * k] = store.allocThread(s);
    this.threads[2 * k + 1] = freeThread;
    this.names[4 * k] = store.allocOp(s);
    this.names[4 * k + 1] = store.allocScope(s);
    this.names[4 * k + 2] = freeOp;
    this.names[4 * k + 3] = freeScope;
    this.next = k + 1 === this.capacity ? 0 : k + 1;
    if (this.filled < this.capacity) this.filled++;
  }

  /** Doubles the arrays (up to capacity); called only before the first wrap, when entries 0..length-1 are filled in order. */
  private grow(): void {
    const n = Math.min(this.capacity, this.length * 2);
    this.ids = widen(this.ids, new Float64Array(n));
    this.generations = widen(this.generations, new Uint32Array(n));
    this.allocSeqs = widen(this.allocSeqs, new Float64Array(n));
    this.freeSeqs = widen(this.freeSeqs, new Float64Array(n));
    this.threads = widen(this.threads, new Uint16Array(n * 2));
    this.names = widen(this.names, new Uint32Array(n * 4));
    this.length = n;
  }

  /** The most recent free of `id` still remembered. */
  find(id: number): FreedStory | undefined {
    for (let n = 1; n <= this.filled; n++) {
      const k = (this.next - n + this.capacity) % this.capacity;
      if (this.ids[k] !== id) continue;
      return {
        generation: this.generations[k],
        allocSeq: this.allocSeqs[k],
        allocThread: this.threads[2 * k],
        allocOp: this.names[4 * k],
        allocScope: this.names[4 * k + 1],
        freeSeq: this.freeSeqs[k],
        freeThread: this.threads[2 * k + 1],
        freeOp: this.names[4 * k + 2],
        freeScope: this.names[4 * k + 3],
      };
    }
    return undefined;
  }
}

function widen<T extends Float64Array | Uint32Array | Uint16Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
