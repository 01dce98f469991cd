import { describe, expect, it } from 'vitest';
import * as tracker from '../lib/index';
import { emitSynthetic } from '../lib/testing';

describe('tracker checkpoint() / leaksSince()', () => {
  it('drains first and lists nothing when every allocation was freed', () => {
    tracker.enable({ drainIntervalMs: 0 });
    tracker.reset();
    const cp = tracker.checkpoint();
    emitSynthetic({ threads: 2, perThread: 500, onCallingThread: true });
    expect(tracker.leaksSince(cp)).toEqual([]);
    const r = tracker.report();
    expect(r.classes.alloc.ok).toBe(1000);
    expect(r.classes.free.ok).toBe(1000);
    expect(tracker.checkpoint()).toBeGreaterThan(cp);
    tracker.disable();
  });
});
