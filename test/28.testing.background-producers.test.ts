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

  it('names the bad option', () => {
    expect(() => startBackgroundProducers({ threads: 0, perThread: 1 })).toThrow(RangeError);
    expect(() => startBackgroundProducers({ threads: 1, perThread: 1, extra: 1 } as never)).toThrow(/extra/);
  });
});
