import { describe, expect, it } from 'vitest';
import { enable, flush, report, reset } from '../lib/tracker';
import { backgroundProducersResult, startBackgroundProducers } from '../lib/testing';
import { TrackerError } from '../lib/errors';

describe('testing: startBackgroundProducers() / backgroundProducersResult()', () => {
  it('pushes 2 × threads × perThread events while the JS thread drains, and reports them once', () => {
    // 2^21 slots hold the whole 120,000-event run even if nothing drained: no drops possible.
    enable({ ringCapacity: 2 ** 21, drainIntervalMs: 0 });
    reset();
    startBackgroundProducers({ threads: 3, perThread: 20_000 });
    expect(() => startBackgroundProducers({ threads: 1, perThread: 1 })).toThrow(
      new TrackerError('ERR_PRODUCERS_BUSY', 'startBackgroundProducers: a run is still in progress'));
    let result = backgroundProducersResult();
    while (result === null) {
      flush();
      result = backgroundProducersResult();
    }
    expect(result.pushed).toBe(120_000);
    expect(result.dropped).toBe(0);
    expect(result.elapsedNs).toBeGreaterThan(0);
    expect(() => backgroundProducersResult()).toThrow(new TrackerError('ERR_NO_PRODUCER_RUN', 'backgroundResult: no run was started'));

    const r = report();
    expect(r.events).toMatchObject({ total: 120_000, alloc: 60_000, free: 60_000, dropped: 0 });
    expect(r.devices.find((d) => d.id === 0)!.memory.DRAM.current).toBe(0);
  });

  it('paces the producers at ratePerSec and still pushes every event exactly once', () => {
    // 2 threads × 5,000 pairs = 20,000 events; the 2^21-slot ring holds them all: no drops possible.
    enable({ ringCapacity: 2 ** 21, drainIntervalMs: 0 });
    reset();
    startBackgroundProducers({ threads: 2, perThread: 5_000, ratePerSec: 1_000_000 });
    let result = backgroundProducersResult();
    while (result === null) {
      flush();
      result = backgroundProducersResult();
    }
    expect(result.pushed).toBe(20_000);
    expect(result.dropped).toBe(0);
    // A lower bound the schedule guarantees (a sleep never ends early), not a timing measurement:
    // each thread offers 500,000 events/s, so its last 256-event burst (from event 9,984) is not
    // due before 19.968 ms. Only a producer that ignores ratePerSec finishes sooner.
    expect(result.elapsedNs).toBeGreaterThanOrEqual(19_968_000);

    const r = report();
    expect(r.events).toMatchObject({ total: 20_000, alloc: 10_000, free: 10_000, dropped: 0 });
    expect(r.devices.find((d) => d.id === 0)!.memory.DRAM.current).toBe(0);
  });

  it('names the bad option', () => {
    expect(() => startBackgroundProducers({ threads: 0, perThread: 1 })).toThrow(RangeError);
    expect(() => startBackgroundProducers({ threads: 1, perThread: 1, extra: 1 } as never)).toThrow(/extra/);
    expect(() => startBackgroundProducers({ threads: 1, perThread: 1, ratePerSec: 0 })).toThrow(RangeError);
    expect(() => startBackgroundProducers({ threads: 1, perThread: 1, ratePerSec: 0 })).toThrow(/ratePerSec/);
    expect(() => startBackgroundProducers({ threads: 1, perThread: 1, ratePerSec: 2 ** 32 + 1 })).toThrow(RangeError);
    expect(() => startBackgroundProducers({ threads: 1, perThread: 1, ratePerSec: 1.5 })).toThrow(TypeError);
    expect(() => startBackgroundProducers({ threads: 1, perThread: 1, ratePerSec: '5e6' } as never)).toThrow(TypeError);
    expect(() => startBackgroundProducers({ threads: 1, perThread: 1, ratPerSec: 1 } as never)).toThrow(/did you mean 'ratePerSec'/);
  });
});
