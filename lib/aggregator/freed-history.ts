/**
 * The most recently freed buffers with their allocation and free sites: what a double-free example
 * shows. Bounded ring of typed arrays: nothing is retained per freed buffer (keeping the freed
 * objects alive promoted them to the old generation and cost more than the rest of the free path,
 * measured with scripts/bench-aggregator.js). Looking an id up scans the ring newest first, which
 * only happens while a class still wants examples.
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

export class FreedHistory {
  private readonly ids: Float64Array;
  private readonly generations: Uint32Array; // as BufferStore keeps them
  private readonly allocSeqs: Float64Array;
  private readonly freeSeqs: Float64Array;
  private readonly threads: Uint16Array; // alloc, free
  private readonly names: Uint32Array; // allocOp, allocScope, freeOp, freeScope
  private next = 0;
  private filled = 0;

  constructor(private readonly store: BufferStore, private readonly capacity: number) {
    this.ids = new Float64Array(capacity);
    this.generations = new Uint32Array(capacity);
    this.allocSeqs = new Float64Array(capacity);
    this.freeSeqs = new Float64Array(capacity);
    this.threads = new Uint16Array(capacity * 2);
    this.names = new Uint32Array(capacity * 4);
  }

  /** Remembers buffer `s`, freed at `freeSeq` on `freeThread` inside op `freeOp` and scope `freeScope`. */
  add(s: Slot, freeSeq: number, freeThread: number, freeOp: number, freeScope: number): void {
    if (this.capacity === 0) return;
    const k = this.next;
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
