import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { MemType } from '../lib/events/format';
import * as sim from '../lib/sim';
import { buf, drainOps, K, N150, resetSim, useRuntime } from './helpers/sim-events';
import { typeError } from './helpers/errors';

// Upstream Buffer::allocate_impl (buffer.cpp, 2025-06 and 2026-04): when GraphTracker::hook_allocate(this)
// returns true (ttnn's NO_DISPATCH graph capture installs such a hook) the address is set to 0 and the
// allocation is marked hooked, and track_allocate(this) is still called. deallocate_impl calls
// track_deallocate, then skips the allocator because hook_deallocate returns true (or the allocation was
// hooked).
const { DRAM } = MemType;

beforeAll(() => enable());
afterEach(resetSim);

describe.each(sim.RUNTIMES)('allocations under a NO_DISPATCH hook, runtime %s', (runtime) => {
  beforeEach(() => useRuntime(runtime));

  it('report address 0 and take nothing from the allocator', () => {
    const d = sim.openDevice();
    drainOps();
    sim.setNoDispatchHook(true);
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    expect(a.address).toBe(0);
    a.deallocate();
    sim.setNoDispatchHook(false);
    expect(sim.allocatorStats(d, 'DRAM')).toMatchObject({ current: 0, peak: 0, buffers: 0 });
    const b = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    expect(drainOps()).toEqual([
      buf(K.Alloc, d.id, DRAM, a.id, 0, 4096),
      buf(K.Free, d.id, DRAM, a.id, 0, 4096),
      buf(K.Alloc, d.id, DRAM, b.id, N150.dramBase, 4096), // the DRAM base is still free
    ]);
  });

  it('a buffer allocated before the hook frees under it: reported, but its memory stays taken', () => {
    const d = sim.openDevice();
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    drainOps();
    sim.setNoDispatchHook(true);
    a.deallocate();
    sim.setNoDispatchHook(false);
    expect(drainOps()).toEqual([buf(K.Free, d.id, DRAM, a.id, N150.dramBase, 4096)]);
    expect(sim.createBuffer(d, { size: 4096, type: 'DRAM' }).address).toBe(N150.dramBase + 2048);
  });

  it('checks its argument', () => {
    expect(() => sim.setNoDispatchHook(1 as never)).toThrow(typeError('Expected a boolean for setNoDispatchHook() on but received 1 of type number'));
  });
});
