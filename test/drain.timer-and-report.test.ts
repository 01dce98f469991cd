import { describe, expect, it } from 'vitest';
import { enable, disable, isEnabled, report, stats } from '../lib/tracker';
import { emitSynthetic } from '../lib/testing';

describe('drain and report()', () => {
  it('drains on an unref\'d timer without report()', async () => {
    enable({ drainIntervalMs: 5 });
    emitSynthetic({ threads: 2, perThread: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stats()).toMatchObject({ pushed: 4000, drained: 4000, buffered: 0 });
  });

  it('returns a plain, versioned, JSON-serialisable report', () => {
    const r = report();
    expect(r.schema).toBe('tt-alloc-tracker/report@2');
    expect(r.complete).toBe(true);
    expect(r.events).toMatchObject({ total: 4000, alloc: 2000, free: 2000, cbAlloc: 0, program: 0, dropped: 0 });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('stops accepting events after disable() and keeps what it has', () => {
    disable();
    expect(isEnabled()).toBe(false);
    expect(emitSynthetic({ threads: 1, perThread: 10 })).toEqual({ pushed: 20, dropped: 20 });
    expect(report().events.total).toBe(4000);
    // Disabled pushes are not drops: nothing was lost that tracking was asked to keep.
    expect(report().events.dropped).toBe(0);
  });
});
