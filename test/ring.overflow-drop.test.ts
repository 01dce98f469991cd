import { describe, expect, it } from 'vitest';
import { enable, report, stats } from '../lib/tracker';
import { emitSynthetic } from '../lib/testing';

describe("ring: overflow 'drop' with a tiny ring and a stalled consumer", () => {
  it('never blocks producers and counts every drop exactly', () => {
    // The JS thread is joined on the producers, so nothing drains: once the one-chunk spill (16,384
    // events) and the 64-slot ring are full, every further event is dropped.
    enable({ ringCapacity: 64, spillCapacity: 0, overflow: 'drop' });
    const { pushed, dropped } = emitSynthetic({ threads: 4, perThread: 100_000 });
    expect(pushed).toBe(800_000);
    expect(dropped).toBeGreaterThan(0);
    // Producers only stop accepting once both ring and spill are full.
    expect(pushed - dropped).toBeLessThanOrEqual(16_384 + 64);

    const r = report();
    expect(r.complete).toBe(false);
    expect(r.events.dropped).toBe(dropped);
    expect(r.events.alloc + r.events.free + r.events.dropped).toBe(pushed);
    expect(r.events.total).toBe(pushed - dropped);
    const s = stats();
    expect(s.dropped).toBe(dropped);
    expect(s.accepted).toBe(pushed - dropped);
    expect(s.drained).toBe(pushed - dropped);
    expect(s.ringHighWater).toBe(64);
  });
});
