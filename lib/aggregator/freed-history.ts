/**
 * The most recently freed buffers, by id, with their allocation and free sites: what a double-free
 * example shows. Bounded: a ring evicts the oldest once `capacity` is reached.
 */
import type { TrackedBuffer } from './buffer';

export class FreedHistory {
  private readonly byId = new Map<number, TrackedBuffer>();
  private readonly ring: (TrackedBuffer | undefined)[];
  private next = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Array<TrackedBuffer | undefined>(capacity).fill(undefined);
  }

  add(buffer: TrackedBuffer): void {
    if (this.capacity === 0) return;
    const oldest = this.ring[this.next];
    // A hostile stream may reuse an id: evict only the entry this slot stored.
    if (oldest !== undefined && this.byId.get(oldest.id) === oldest) this.byId.delete(oldest.id);
    this.ring[this.next] = buffer;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    this.byId.set(buffer.id, buffer);
  }

  get(id: number): TrackedBuffer | undefined {
    return this.byId.get(id);
  }
}
