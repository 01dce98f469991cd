import { describe, expect, it } from 'vitest';
import { enable, flush, report, reset } from '../lib/tracker';
import { emitSynthetic } from '../lib/testing';
import { native } from '../lib/native';
import { RECORD_BYTES } from '../lib/events/format';

describe('drain: slices into one scratch buffer reused across drains', () => {
  it('drainInto() fills the scratch when the events fit, else a fresh power-of-two buffer', () => {
    enable({ ringCapacity: 2 ** 20, drainIntervalMs: 0 });
    flush();
    const scratch = new ArrayBuffer(4096 * RECORD_BYTES);
    emitSynthetic({ threads: 1, perThread: 1000 });
    const [small, none] = native().drainInto(scratch, false, 2 ** 17);
    expect(small.buffer).toBe(scratch);
    expect(small.byteLength).toBe(2000 * RECORD_BYTES);
    expect(none).toBe(0);

    // 10,000 events = 640,000 bytes: past the scratch, so a fresh 1 MiB buffer (the next power of two).
    emitSynthetic({ threads: 1, perThread: 5000 });
    const [large] = native().drainInto(scratch, false, 2 ** 17);
    expect(large.buffer).not.toBe(scratch);
    expect(large.buffer.byteLength).toBe(2 ** 20);
    expect(large.byteLength).toBe(10_000 * RECORD_BYTES);

    expect(native().drainInto(scratch, false, 2 ** 17)[0].byteLength).toBe(0);
  });

  it('drainInto() takes at most maxEvents, in whole 16,384-event chunks, and says what remains', () => {
    enable({ ringCapacity: 2 ** 20, drainIntervalMs: 0 });
    flush();
    const scratch = new ArrayBuffer(2 ** 20);
    emitSynthetic({ threads: 1, perThread: 20_000 });  // 40,000 events: chunks of 16,384 + 16,384 + 7,232
    const [first, afterFirst] = native().drainInto(scratch, false, 16_384);
    expect([first.byteLength / RECORD_BYTES, afterFirst]).toEqual([16_384, 23_616]);
    const [second, afterSecond] = native().drainInto(scratch, false, 20_000);
    expect([second.byteLength / RECORD_BYTES, afterSecond]).toEqual([16_384, 7_232]);
    const [third, afterThird] = native().drainInto(scratch, false, 16_384);
    expect([third.byteLength / RECORD_BYTES, afterThird]).toEqual([7_232, 0]);
  });

  it('delivers every event exactly once through drains that grow, shrink and need several slices', () => {
    enable({ ringCapacity: 2 ** 20, drainIntervalMs: 0 });
    reset();
    // Big, small, big again, each many 16,384-event slices: a reused buffer holding stale records from a
    // larger drain must not be read past the new drain's end (a stale free would show as a double free).
    expect(emitSynthetic({ threads: 1, perThread: 30_000 }).dropped).toBe(0);
    expect(flush()).toBe(60_000);
    expect(emitSynthetic({ threads: 1, perThread: 100 }).dropped).toBe(0);
    expect(flush()).toBe(200);
    expect(emitSynthetic({ threads: 2, perThread: 100_000 }).dropped).toBe(0);
    expect(flush()).toBe(400_000);
    expect(flush()).toBe(0);

    const r = report();
    expect(r.events).toMatchObject({ total: 460_200, alloc: 230_100, free: 230_100, outOfOrder: 0, dropped: 0 });
    expect(r.anomalies.doubleFree.count).toBe(0);
    expect(r.devices.find((d) => d.id === 0)!.memory.DRAM.current).toBe(0);
  });
});
