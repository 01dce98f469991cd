import { describe, expect, it } from 'vitest';
import { enable, report } from '../lib/tracker';
import { emitSynthetic } from '../lib/testing';

describe("ring: overflow 'block'", () => {
  it('makes producers wait for the collector instead of dropping while the spill has room', () => {
    enable({ ringCapacity: 64, spillCapacity: 2 ** 21, overflow: 'block' });
    const { pushed, dropped } = emitSynthetic({ threads: 4, perThread: 100_000 });
    expect(pushed).toBe(800_000);
    expect(dropped).toBe(0);
    const r = report();
    expect(r.events).toMatchObject({ total: 800_000, alloc: 400_000, free: 400_000, cbAlloc: 0, program: 0, dropped: 0 });
    expect(r.devices.find((d) => d.id === 0)!.memory.DRAM.current).toBe(0);
  });

  it('never deadlocks the JS thread: once the spill is full a JS-thread producer drops', () => {
    enable({ ringCapacity: 64, spillCapacity: 0, overflow: 'block' });
    report(); // start from an empty spill
    const { pushed, dropped } = emitSynthetic({ threads: 1, perThread: 50_000, onCallingThread: true });
    expect(pushed).toBe(100_000);
    // The one-chunk spill (16,384) and the ring (64) fill completely before anything is dropped.
    expect(dropped).toBe(100_000 - 16_384 - 64);
    expect(report().events.dropped).toBe(dropped);
  });
});
