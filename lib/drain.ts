/**
 * Moves events from the native spill into the aggregator: on report(), on an unref'd timer, and at
 * process exit. Native calls copy the pending events, in slices, into a scratch buffer reused across drains.
 */
import { Aggregator } from './aggregator/aggregator';
import { EventBatch, RECORD_BYTES } from './events/format';
import { nativeCall, type NativeBinding } from './native';

/** The native calls a drain makes (the addon's, or a test's fake). */
export type DrainBinding = Pick<NativeBinding, 'drainInto' | 'names'>;

/**
 * Events per native drain call: one spill chunk (16,384 events, 1 MiB; Chunk::kEvents). A drain of a
 * large backlog goes in slices, so it reuses one scratch buffer instead of allocating the whole backlog
 * (up to ring + spill, 320 MiB by default) at once, and each slice is still in cache when the
 * aggregator reads it (measured: ~5-10% less JS time per event than 131,072-event slices).
 */
const SLICE_EVENTS = 16384;
const MAX_SCRATCH_BYTES = SLICE_EVENTS * RECORD_BYTES;

export class Drain {
  private timer: NodeJS.Timeout | undefined;
  private knownNames = 0;
  // Reused by every drain: a fresh zero-filled buffer per drain cost page faults and GC pressure. It
  // grows to the largest slice (MAX_SCRATCH_BYTES); the aggregator reads each batch before the next
  // slice is drained and keeps no view of it, so the next slice may overwrite it.
  private scratch = new ArrayBuffer(0);

  constructor(
    private readonly aggregator: Aggregator,
    private readonly binding: () => DrainBinding,
  ) {}

  /**
   * Drains everything published so far. Returns the number of events consumed. `reset`: these are
   * the last events of this aggregator (the journal records the point).
   */
  drainNow(reset = false): number {
    let consumed = 0;
    // Everything pending when the first slice returned, and no more: producers that keep pushing
    // cannot keep one drain going forever.
    let budget = Infinity;
    for (;;) {
      const [view, remaining] = nativeCall(() => this.binding().drainInto(this.scratch, reset, SLICE_EVENTS));
      if (view.buffer !== this.scratch && view.buffer.byteLength <= MAX_SCRATCH_BYTES) this.scratch = view.buffer as ArrayBuffer;
      const count = view.byteLength / RECORD_BYTES;
      if (budget === Infinity) budget = count + remaining;
      // Names referenced by drained events were interned before those events were pushed.
      this.fetchNames();
      if (count > 0) this.aggregator.consume(new EventBatch(view.buffer as ArrayBuffer, 0, view.byteLength));
      consumed += count;
      // A reset drain takes everything in one call (the journal marks the point once).
      if (reset || remaining === 0 || count === 0 || consumed >= budget) return consumed;
    }
  }

  private fetchNames(): void {
    const names = nativeCall(() => this.binding().names(this.knownNames + 1));
    if (names.length > 0) {
      this.aggregator.addNames(this.knownNames + 1, names);
      this.knownNames += names.length;
    }
  }

  startTimer(intervalMs: number): void {
    this.stopTimer();
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => this.drainNow(), intervalMs);
    this.timer.unref();
  }

  stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
