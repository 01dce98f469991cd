import { describe, expect, it } from 'vitest';
import { enable, report, stats } from '../lib/tracker';
import { emitSynthetic } from '../lib/testing';

describe('ring: 4 native producer threads', () => {
  it('delivers 4 × 250,000 allocate/free pairs with nothing lost and usage back to 0', () => {
    // 2^21 slots hold the whole 2,000,000-event burst even if the collector never ran.
    enable({ ringCapacity: 2 ** 21 });
    const { pushed, dropped } = emitSynthetic({ threads: 4, perThread: 250_000 });
    expect(pushed).toBe(2_000_000);
    expect(dropped).toBe(0);

    const r = report();
    expect(r.events.alloc + r.events.free + r.events.dropped).toBe(pushed);
    expect(r.events).toMatchObject({ total: 2_000_000, alloc: 1_000_000, free: 1_000_000, cbAlloc: 0, program: 0, dropped: 0 });
    expect(r.complete).toBe(true);
    const dram = r.devices.find((d) => d.id === 0)!.memory.DRAM;
    expect(dram.current).toBe(0);
    expect(dram.liveBuffers).toBe(0);
    expect(dram.allocated).toBe(1_000_000);
    expect(dram.freed).toBe(1_000_000);
    expect(stats()).toMatchObject({ pushed: 2_000_000, accepted: 2_000_000, dropped: 0, drained: 2_000_000, buffered: 0 });
  });
});
