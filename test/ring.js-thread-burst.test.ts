import { describe, expect, it } from 'vitest';
import { enable, report, stats } from '../lib/tracker';
import { native } from '../lib/native';
import { emitSynthetic } from '../lib/testing';

describe('ring: synchronous bursts on the JS thread with default settings', () => {
  it('carries 1,000,000 natively pushed events without a drain in between', () => {
    enable();
    const { pushed, dropped } = emitSynthetic({ threads: 1, perThread: 500_000, onCallingThread: true });
    expect(pushed).toBe(1_000_000);
    expect(dropped).toBe(0);
    expect(report().events).toMatchObject({ total: 1_000_000, alloc: 500_000, free: 500_000, cbAlloc: 0, program: 0, dropped: 0 });
  });

  it('carries 1,000,000 events pushed by a JS loop that never yields', () => {
    enable();
    const addon = native();
    const scope = addon.intern('burst');
    let accepted = 0;
    for (let i = 0; i < 500_000; i++) {
      accepted += addon.mark(scope, i, false) ? 1 : 0;
      accepted += addon.mark(scope, i, true) ? 1 : 0;
    }
    expect(accepted).toBe(1_000_000);
    const before = stats().drained;
    expect(report().events.dropped).toBe(0);
    expect(stats().drained - before).toBe(1_000_000);
  });
});
