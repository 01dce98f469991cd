/**
 * Moves events from the native spill into the aggregator: on report(), on an unref'd timer, and at
 * process exit. One native call returns the whole batch.
 */
import { Aggregator } from './aggregator/aggregator';
import { EventBatch } from './events/format';
import { native } from './native';

export class Drain {
  private timer: NodeJS.Timeout | undefined;
  private knownNames = 0;

  constructor(private readonly aggregator: Aggregator) {}

  /**
   * Drains everything published so far. Returns the number of events consumed. `reset`: these are
   * the last events of this aggregator (the journal records the point).
   */
  drainNow(reset = false): number {
    const addon = native();
    const buffers = addon.drain(reset);
    // Names referenced by drained events were interned before those events were pushed.
    const names = addon.names(this.knownNames + 1);
    if (names.length > 0) {
      this.aggregator.addNames(this.knownNames + 1, names);
      this.knownNames += names.length;
    }
    let consumed = 0;
    for (const buffer of buffers) {
      const batch = new EventBatch(buffer);
      this.aggregator.consume(batch);
      consumed += batch.count;
    }
    return consumed;
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
