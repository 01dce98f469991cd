import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { Flag, MemType } from '../lib/events/format';
import * as sim from '../lib/sim';
import { buf, drainOps, K, N150, resetSim, useRuntime } from './helpers/sim-events';
import { rangeError } from './helpers/errors';

// Upstream Buffer::view(region) (tt_metal/impl/buffers/buffer.cpp, 2025-06 and 2026-04 trees):
//   TT_FATAL unless region.offset and region.size are multiples of page_size() and offset + size <= size();
//   view(0, size()) returns shared_from_this(); otherwise Buffer::create(device_, address_, region.size, ...)
//   — non-owning, at this buffer's own address — with root_buffer_ = root_buffer() (the first root) and
//   root_buffer_offset_ = root_buffer_offset_ + region.offset.
// Upstream a non-owning buffer reports nothing; under the viewEvents bug mode the view reports like an
// owner, which shows what it carries: its address, root id (rootId) and offset (aux).
const { DRAM } = MemType;
const VIEW = Flag.NonOwning | Flag.View;

beforeAll(() => enable());
afterEach(resetSim);

describe.each(sim.RUNTIMES)('Buffer::view, runtime %s', (runtime) => {
  beforeEach(() => useRuntime(runtime));

  it('a view sits at the root\'s address with its offset kept apart, and reports nothing', () => {
    const d = sim.openDevice();
    const root = sim.createBuffer(d, { size: 8 * 2048, type: 'DRAM' });
    drainOps();
    const v = root.view(2 * 2048, 4 * 2048);
    expect(v.address).toBe(root.address); // address_ of the parent, not root + offset
    expect(v.id).toBe(root.id + 1);
    expect(v.owning).toBe(false);
    v.deallocate();
    expect(drainOps()).toEqual([]);
  });

  it('viewEvents shows what the view carries: root address, first root id, offset 4096', () => {
    sim.configure({ bugs: { viewEvents: true } });
    const d = sim.openDevice();
    const root = sim.createBuffer(d, { size: 8 * 2048, type: 'DRAM' });
    drainOps();
    const v = root.view(2 * 2048, 4 * 2048);
    v.deallocate();
    expect(drainOps()).toEqual([
      buf(K.Alloc, d.id, DRAM, v.id, N150.dramBase, 4 * 2048, { flags: VIEW, rootId: root.id, aux: 2 * 2048 }),
      buf(K.Free, d.id, DRAM, v.id, N150.dramBase, 4 * 2048, { flags: VIEW, rootId: root.id, aux: 2 * 2048 }),
    ]);
  });

  it('a view of a view roots at the first root, offsets summed (2048 + 2048), still at the root\'s address', () => {
    sim.configure({ bugs: { viewEvents: true } });
    const d = sim.openDevice();
    const root = sim.createBuffer(d, { size: 8 * 2048, type: 'DRAM' });
    const v1 = root.view(2048, 6 * 2048);
    drainOps();
    const v2 = v1.view(2048, 2 * 2048);
    expect(v2.address).toBe(root.address);
    expect(drainOps()).toEqual([
      buf(K.Alloc, d.id, DRAM, v2.id, N150.dramBase, 2 * 2048, { flags: VIEW, rootId: root.id, aux: 2 * 2048 }),
    ]);
  });

  it('view(0, size()) returns the buffer itself: same object, same id, nothing new; deallocating it frees the root', () => {
    sim.configure({ bugs: { viewEvents: true } }); // even the bug mode has nothing to report: no new buffer
    const d = sim.openDevice();
    const root = sim.createBuffer(d, { size: 4 * 2048, type: 'DRAM' });
    drainOps();
    const whole = root.view(0, 4 * 2048);
    expect(whole).toBe(root);
    expect(drainOps()).toEqual([]);
    whole.deallocate();
    expect(drainOps()).toEqual([buf(K.Free, d.id, DRAM, root.id, N150.dramBase, 4 * 2048)]);
    // The next buffer's id shows that view() constructed no Buffer.
    expect(sim.createBuffer(d, { size: 2048, type: 'DRAM' }).id).toBe(root.id + 1);
  });

  it('rejects regions that are not whole pages or not inside the buffer (upstream TT_FATAL)', () => {
    const d = sim.openDevice();
    const root = sim.createBuffer(d, { size: 4 * 2048, type: 'DRAM' });
    expect(() => root.view(1024, 2048)).toThrow(
      rangeError('Expected a multiple of the page size 2048 between 0 and 8192 for view() offset but received 1024 of type number'),
    );
    expect(() => root.view(2048, 1000)).toThrow(
      rangeError('Expected a multiple of the page size 2048 between 0 and 6144 for view() size but received 1000 of type number'),
    );
    expect(() => root.view(2048, 4 * 2048)).toThrow(
      rangeError('Expected an integer between 0 and 6144 for view() size but received 8192 of type number'),
    );
  });

  it('a view keeps its root alive: a root the user lets go of frees when the view goes', () => {
    const d = sim.openDevice();
    const root = sim.createBuffer(d, { size: 4 * 2048, type: 'DRAM' });
    const v = root.view(2048, 2048);
    drainOps();
    root.release(); // the user's handle goes; the view's root_buffer_ still holds the root
    expect(drainOps()).toEqual([]);
    v.deallocate(); // a view's deallocate() does nothing (non-owning); dropping it destroys the root
    expect(drainOps()).toEqual([buf(K.Free, d.id, DRAM, root.id, N150.dramBase, 4 * 2048)]);
  });

  it('an explicit deallocate of the root frees at once even while a view lives', () => {
    const d = sim.openDevice();
    const root = sim.createBuffer(d, { size: 4 * 2048, type: 'DRAM' });
    const v = root.view(2048, 2048);
    drainOps();
    root.deallocate(); // Buffer::deallocate → deallocate_impl: holders do not matter
    expect(drainOps()).toEqual([buf(K.Free, d.id, DRAM, root.id, N150.dramBase, 4 * 2048)]);
    v.deallocate();
    expect(drainOps()).toEqual([]);
  });
});
