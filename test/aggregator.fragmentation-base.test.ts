import { describe, expect, it } from 'vitest';
import * as sim from '../lib/sim';
import { disable, enable, report, reset } from '../lib/tracker';
import { aggregate, alloc, cbAlloc, deviceInfo, Flag, free, MemType } from './helpers/stream';

// The bank's allocatable range announced in DeviceInfo (flag BaseKnown, `address` = the lowest
// allocatable address of one bank; docs/events.md): fragmentation starts from it, exact from the first
// allocation, and no derivation (a first CB, a first allocation; docs/report.md#l1) replaces it.
//
// A small L1: 2 banks of [1024, 4096) (capacity 2 · 3072 = 6144). L1 buffers of 512 B pages: an
// interleaved buffer of n pages takes ceil(n / 2) · 512 B per bank.
const L1_INFO = deviceInfo(0, MemType.L1, 6144, 2, { flags: Flag.BaseKnown, address: 1024 });
const l1 = (id: number, address: number, size: number) => alloc(id, address, size, { memType: MemType.L1, pageSize: 512 });
const l1Free = (id: number, address: number, size: number) => free(id, address, size, { memType: MemType.L1, pageSize: 512 });

function fragmentationOf(records: Parameters<typeof aggregate>[0], type: 'DRAM' | 'L1') {
  const rows = aggregate(records).report.l1!.fragmentation.filter((f) => f.type === type);
  expect(rows).toHaveLength(1);
  return rows[0];
}

describe('fragmentation: the base announced in DeviceInfo', () => {
  it('is used from the first allocation: baseFrom deviceInfo and the exact largest free block', () => {
    // Buffer 30: 2048 B = 4 pages → 2 per bank: [2560, 3584), not at either edge of the range. Free:
    // [1024, 2560) = 1536 and [3584, 4096) = 512. (Derived from this allocation, top-down as L1's
    // default, the base would be 3584 − 3072 = 512 and the largest block 2048: the test tells them apart.)
    const f = fragmentationOf([L1_INFO, l1(30, 2560, 2048)], 'L1');
    expect(f).toMatchObject({
      device: 0, deviceKind: 'chip', type: 'L1', capacityPerBank: 3072, base: 1024, baseFrom: 'deviceInfo',
      freePerBank: 2048, largestFreeBlock: 1536, freeBlocks: 2, lowestLargestFreeBlock: { bytes: 1536, seq: 1, time: 1 },
    });
    expect(f.points).toEqual([[1, 1536]]);
  });

  it('is not replaced by a derived one: a first static CB above the base leaves it', () => {
    // A CB at 2048 would make 2048 the L1 base (a program's first static CB starts at the base
    // upstream); the announced 1024 stands. Buffer 30 as above: largest free block 1536.
    const f = fragmentationOf([L1_INFO, cbAlloc(0, 5, 100, { address: 2048, aux: 64, flags: Flag.HasProgram }), l1(30, 2560, 2048)], 'L1');
    expect(f).toMatchObject({ base: 1024, baseFrom: 'deviceInfo', largestFreeBlock: 1536, freeBlocks: 2, freePerBank: 2048 });
  });

  it('DRAM: a first allocation above the base does not move it', () => {
    // 12 banks of [32, 2^30): capacity 12 · (2^30 − 32). Buffer 40: 12 pages of 2048 → 1 per bank at
    // [2080, 4128). Free: [32, 2080) = 2048 and [4128, 2^30) = 1073737696, the largest.
    const info = deviceInfo(0, MemType.DRAM, 12 * (2 ** 30 - 32), 12, { flags: Flag.BaseKnown, address: 32 });
    const f = fragmentationOf([info, alloc(40, 2080, 12 * 2048, { pageSize: 2048 })], 'DRAM');
    expect(f).toMatchObject({ base: 32, baseFrom: 'deviceInfo', capacityPerBank: 2 ** 30 - 32, largestFreeBlock: 1073737696, freeBlocks: 2 });
  });

  it('without the BaseKnown flag the address field is ignored and the base is derived', () => {
    // The same stream with flags 0: the first allocation gives the base, 3584 − 3072 = 512 (the range
    // [512, 3584), the buffer at its top), and the one free block is [512, 2560) = 2048.
    const f = fragmentationOf([{ ...L1_INFO, flags: 0 }, l1(30, 2560, 2048)], 'L1');
    expect(f).toMatchObject({ base: 512, baseFrom: 'firstAllocation', largestFreeBlock: 2048, freeBlocks: 1 });
  });

  it('replaces a derived base when a device object is announced again with one', () => {
    // First object: no base announced, derived 512 from buffer 30. The device is announced again (a
    // new object, now with its base 1024); buffer 31 (2 pages → 512 B per bank) at [3584, 4096) leaves
    // [1024, 3584) = 2560 free in one block.
    const f = fragmentationOf([
      { ...L1_INFO, flags: 0 }, l1(30, 2560, 2048), l1Free(30, 2560, 2048),
      L1_INFO, l1(31, 3584, 1024),
    ], 'L1');
    expect(f).toMatchObject({ base: 1024, baseFrom: 'deviceInfo', largestFreeBlock: 2560, freeBlocks: 1, freePerBank: 2560 });
  });

  it('an announced base the allocations disagree with clips them to the range and does not throw', () => {
    // Announced base 2048: the range is [2048, 5120). Buffer 32 (4096 B = 8 pages → 2048 B per bank)
    // lands at [1024, 3072), half below the base: only [2048, 3072) counts, so 3072 − 1024 = 2048 B
    // are free, in one block [3072, 5120). Its free gives back the clipped part: one block of 3072.
    const info = { ...L1_INFO, address: 2048 };
    const held = fragmentationOf([info, l1(32, 1024, 4096)], 'L1');
    expect(held).toMatchObject({ base: 2048, baseFrom: 'deviceInfo', freePerBank: 2048, largestFreeBlock: 2048, freeBlocks: 1 });
    const freed = fragmentationOf([info, l1(32, 1024, 4096), l1Free(32, 1024, 4096)], 'L1');
    expect(freed).toMatchObject({ base: 2048, freePerBank: 3072, largestFreeBlock: 3072, freeBlocks: 1, lowestLargestFreeBlock: { bytes: 2048, seq: 1, time: 1 } });
  });
});

describe('fragmentation on the embedded runtime: tracking enabled while an L1 buffer is live', () => {
  it('the announced base stays exact where a derivation from the first allocation seen would not', () => {
    // n150, 2026-04 (docs/sim.md#parts): L1 [103712, 1499136) per bank, 1395424 B, 64 banks; L1
    // buffers top-down. 64 · k pages of 2048 B take k · 2048 B of each bank.
    reset();
    disable();
    const d = sim.openDevice();
    try {
      // Not tracked: X takes [1499136 − 204800, 1499136) = [1294336, 1499136).
      const x = sim.createBuffer(d, { size: 64 * 100 * 2048, type: 'L1' });
      expect(x.address).toBe(1294336);
      enable();
      // Tracked: Y below X, [1294336 − 102400, 1294336) = [1191936, 1294336). The device is first seen
      // here, so its DeviceInfo (L1 base 103712) comes just before Y's allocation. Derived from Y as
      // the first allocation of a top-down L1, the base would be 1294336 − 1395424 < 0.
      const y = sim.createBuffer(d, { size: 64 * 50 * 2048, type: 'L1' });
      expect(y.address).toBe(1191936);
      const f = report().l1!.fragmentation.find((r) => r.device === d.id && r.deviceKind === 'chip' && r.type === 'L1')!;
      // X is unknown to the tracker, so its range counts as free: [103712, 1191936) = 1088224 and
      // [1294336, 1499136) = 204800; free per bank 1395424 − 102400 = 1293024.
      expect(f).toMatchObject({ base: 103712, baseFrom: 'deviceInfo', largestFreeBlock: 1088224, freeBlocks: 2, freePerBank: 1293024 });
    } finally {
      enable();
      sim.close();
    }
  });
});
