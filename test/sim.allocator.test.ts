import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { TrackerError } from '../lib/errors';
import { MemType } from '../lib/events/format';
import * as sim from '../lib/sim';
import { buf, drainOps, K, N150, resetSim, TOP_DOWN, useRuntime } from './helpers/sim-events';
import { rangeError } from './helpers/errors';

// Allocator rules (docs/sim.md#layout). Size per bank (upstream BankManager via Allocator::allocate_buffer,
// buffer->aligned_page_size()): ceil(pages / banks) × round_up(page, alignment), banks = every bank of
// the type when interleaved, the buffer's cores when sharded. Direction: Buffer's bottom_up defaults to
// is_dram() — DRAM and TRACE bottom-up, L1 and L1_SMALL top-down.
const MiB = 1024 * 1024;
const { L1_SMALL } = MemType;

beforeAll(() => enable());
afterEach(resetSim);

describe.each(sim.RUNTIMES)('sim allocator, runtime %s (n150)', (runtime) => {
  beforeEach(() => useRuntime(runtime));
  const L1_TOP = N150.l1Bank; // L1_SMALL is 0 by default: L1 reaches the top of the bank

  it('size per bank = ceil(pages / banks) × the page rounded up to the alignment', () => {
    const d = sim.openDevice();
    const a = sim.createBuffer(d, { size: 25 * 2048, type: 'DRAM' }); // 25 pages over 12 banks → 3 per bank
    expect(a.sizePerBank).toBe(3 * 2048);
    const b = sim.createBuffer(d, { size: 300, type: 'DRAM', pageSize: 100 }); // 3 pages, 1 per bank, 100 → 128 (32 B)
    expect(b.sizePerBank).toBe(128);
    const c = sim.createBuffer(d, { size: 100, type: 'L1', pageSize: 100 }); // 16 B alignment → 112
    expect(c.sizePerBank).toBe(112);
    expect([a.address, b.address, c.address]).toEqual([N150.dramBase, N150.dramBase + 3 * 2048, L1_TOP - 112]);
  });

  it('a sharded buffer splits over its own cores', () => {
    const d = sim.openDevice();
    // 25 pages over 10 shard cores → 3 pages per core.
    const s = sim.createBuffer(d, { size: 25 * 2048, type: 'L1', layout: 'HEIGHT_SHARDED', cores: 10 });
    expect([s.sizePerBank, s.address]).toEqual([3 * 2048, L1_TOP - 3 * 2048]);
  });

  it('allocates DRAM bottom-up and L1 top-down', () => {
    const d = sim.openDevice();
    const dram = [1, 2, 3].map(() => sim.createBuffer(d, { size: 12 * 2048, type: 'DRAM' }).address);
    const l1 = [1, 2, 3].map(() => sim.createBuffer(d, { size: 64 * 2048, type: 'L1' }).address);
    expect(dram).toEqual([N150.dramBase, N150.dramBase + 2048, N150.dramBase + 4096]);
    expect(l1).toEqual([L1_TOP - 2048, L1_TOP - 4096, L1_TOP - 6144]);
  });

  it('L1_SMALL is top-down in its region at the top of L1, and sharded only', () => {
    const d = sim.openDevice({ l1SmallSize: 32768 });
    const before = sim.createBuffer(d, { size: 2048, type: 'DRAM' });
    drainOps();
    expect(() => sim.createBuffer(d, { size: 2048, type: 'L1_SMALL' })).toThrow(
      new TrackerError('ERR_SIM_FATAL', 'L1_SMALL only supports sharded allocations'),
    );
    const a = sim.createBuffer(d, { size: 8 * 2048, type: 'L1_SMALL', layout: 'HEIGHT_SHARDED', cores: 8 });
    const b = sim.createBuffer(d, { size: 8 * 2048, type: 'L1_SMALL', layout: 'HEIGHT_SHARDED', cores: 8 });
    // The region is [1,499,136 − 32,768, 1,499,136); one page per core, from the top down.
    expect([a.address, b.address]).toEqual([L1_TOP - 2048, L1_TOP - 4096]);
    // The rejected buffer was constructed (its id taken) before allocate_impl threw, as upstream.
    expect(a.id).toBe(before.id + 2);
    expect(drainOps()).toEqual([
      buf(K.Alloc, d.id, L1_SMALL, a.id, L1_TOP - 2048, 8 * 2048, { flags: TOP_DOWN }),
      buf(K.Alloc, d.id, L1_SMALL, b.id, L1_TOP - 4096, 8 * 2048, { flags: TOP_DOWN }),
    ]);
    expect(b.layout).toBe(sim.LAYOUT_VALUES.HEIGHT_SHARDED);
  });

  it('reuses a freed block first fit, skips a hole too small, and coalesces neighbours', () => {
    const d = sim.openDevice();
    const a = sim.createBuffer(d, { size: 12 * 2048, type: 'DRAM' });
    const b = sim.createBuffer(d, { size: 12 * 2048, type: 'DRAM' });
    a.deallocate();
    const big = sim.createBuffer(d, { size: 24 * 2048, type: 'DRAM' }); // 4096 per bank: a's hole is 2048
    expect(big.address).toBe(b.address + 2048);
    expect(sim.createBuffer(d, { size: 12 * 2048, type: 'DRAM' }).address).toBe(a.address);
    big.deallocate();
    b.deallocate();
    expect(sim.allocatorStats(d, 'DRAM').largestFreePerBank).toBe(N150.dramBank - N150.dramBase - 2048);
  });

  it('raises out-of-memory as TrackerError ERR_SIM_OUT_OF_MEMORY naming requested, largest free and capacity', () => {
    const d = sim.openDevice();
    const capacity = N150.dramBank - N150.dramBase; // no trace region by default
    sim.createBuffer(d, { size: 12 * 512 * MiB, type: 'DRAM' });
    drainOps();
    let error: unknown;
    try {
      sim.createBuffer(d, { size: 12 * 768 * MiB, type: 'DRAM' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrackerError);
    expect((error as TrackerError).code).toBe('ERR_SIM_OUT_OF_MEMORY');
    expect((error as TrackerError).message).toBe(
      `Out of DRAM memory: requested ${12 * 768 * MiB} B (${768 * MiB} B per bank over 12 banks), ` +
        `largest free block ${capacity - 512 * MiB} B per bank, capacity ${capacity} B per bank`,
    );
    expect(drainOps()).toEqual([]); // the failed allocation reported nothing
  });

  it('reports current and peak bytes as the allocator sees them', () => {
    const d = sim.openDevice();
    const a = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    sim.createBuffer(d, { size: 10000, type: 'DRAM', pageSize: 10000 });
    a.deallocate();
    sim.createBuffer(d, { size: 1000, type: 'DRAM', pageSize: 1000 });
    expect(sim.allocatorStats(d, 'DRAM')).toMatchObject({ current: 11000, peak: 14096, buffers: 2, banks: 12, alignment: 32, base: 32 });
    expect(sim.allocatorStats(d, 'L1')).toMatchObject({
      current: 0, peak: 0, banks: 64, alignment: 16, base: N150.l1Base[runtime], capacityPerBank: L1_TOP - N150.l1Base[runtime],
    });
  });

  it('rejects a size that is not a whole number of pages (validate_buffer_parameters)', () => {
    const d = sim.openDevice();
    expect(() => sim.createBuffer(d, { size: 3000, type: 'DRAM', pageSize: 2048 })).toThrow(
      rangeError('Expected a multiple of the page size 2048 for createBuffer() size but received 3000 of type number'),
    );
  });
});

describe('parts (native/sim/part.hpp)', () => {
  it.each([
    // part, runtime, DRAM banks/base/alignment, L1 banks (worker cores), L1 unreserved base
    ['n150', '2025-06', 12, 32, 32, 64, 97248],
    ['n150', '2026-04', 12, 32, 32, 64, 103712],
    ['n300', '2025-06', 12, 32, 32, 56, 97248],
    ['n300', '2026-04', 12, 32, 32, 56, 103712],
    ['p150', '2025-06', 8, 64, 64, 130, 98304],
    ['p150', '2026-04', 8, 64, 64, 130, 111104],
  ] as const)('%s on %s', (part, runtime, dramBanks, dramBase, dramAlignment, l1Banks, l1Base) => {
    useRuntime(runtime);
    const d = sim.openDevice({ part });
    expect(sim.allocatorStats(d, 'DRAM')).toMatchObject({ banks: dramBanks, base: dramBase, alignment: dramAlignment });
    expect(sim.allocatorStats(d, 'L1')).toMatchObject({ banks: l1Banks, base: l1Base, alignment: 16 });
    // The first DRAM buffer sits at the base; one 20 B page per bank rounded up to the DRAM alignment.
    const b = sim.createBuffer(d, { size: dramBanks * 20, type: 'DRAM', pageSize: 20 });
    expect([b.address, b.sizePerBank]).toEqual([dramBase, dramAlignment]);
  });

  it('p150 DRAM banks are 4,278,190,080 B', () => {
    const d = sim.openDevice({ part: 'p150' });
    expect(sim.allocatorStats(d, 'DRAM').capacityPerBank).toBe(4278190080 - 64);
  });
});

describe('layouts per generation (buffer_types.hpp)', () => {
  it('2025-06 has SINGLE_BANK = 1: every page in one bank', () => {
    useRuntime('2025-06');
    const d = sim.openDevice();
    const b = sim.createBuffer(d, { size: 3 * 2048, type: 'DRAM', layout: 'SINGLE_BANK' });
    expect([b.layout, b.sizePerBank]).toEqual([1, 3 * 2048]);
    expect(drainOps().at(-1)).toMatchObject({ kind: K.Alloc, objectId: b.id });
    expect(() => sim.createBuffer(d, { size: 2048, type: 'L1', layout: 'ND_SHARDED', cores: 1 })).toThrow(
      rangeError("Expected one of 'INTERLEAVED', 'SINGLE_BANK', 'HEIGHT_SHARDED', 'WIDTH_SHARDED', 'BLOCK_SHARDED' for createBuffer() layout (runtime 2025-06) but received 'ND_SHARDED' of type string"),
    );
  });

  it('2026-04 has ND_SHARDED = 5 and no SINGLE_BANK', () => {
    useRuntime('2026-04');
    const d = sim.openDevice();
    const b = sim.createBuffer(d, { size: 4 * 2048, type: 'L1', layout: 'ND_SHARDED', cores: 2 });
    expect([b.layout, b.sizePerBank]).toEqual([5, 2 * 2048]);
    expect(() => sim.createBuffer(d, { size: 2048, type: 'DRAM', layout: 'SINGLE_BANK' })).toThrow(
      rangeError("Expected one of 'INTERLEAVED', 'HEIGHT_SHARDED', 'WIDTH_SHARDED', 'BLOCK_SHARDED', 'ND_SHARDED' for createBuffer() layout (runtime 2026-04) but received 'SINGLE_BANK' of type string"),
    );
  });
});
