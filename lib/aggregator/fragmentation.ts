/**
 * Free space per device × memory type, in one bank's address space: the free blocks of the bank's
 * allocatable range [base, base + capacity per bank) given the live owning ranges, the largest free
 * block at each change, its lowest value and when.
 *
 * The base, in order of authority (docs/report.md#l1):
 * - `deviceInfo`: announced by the runtime (DeviceInfo with the BaseKnown flag: the processor reads
 *   upstream's `Allocator::get_base_allocator_addr` and the bank managers' layout). Nothing replaces it.
 * - `circularBuffer` (L1): the address of a program's first static CB (upstream
 *   `ProgramImpl::allocate_circular_buffers` starts every core range's CBs at
 *   `allocator()->get_base_allocator_addr(HalMemType::L1)`);
 * - `firstAllocation`: the first owning allocation into an empty bank, by upstream's default direction
 *   (`Buffer` defaults `bottom_up` to true for DRAM, false for L1): DRAM and TRACE bottom-up (the
 *   allocation is at the base), L1 top-down (it ends at base + capacity). L1_SMALL is left unknown.
 * The derived ones serve streams without a base (a runtime whose allocator cannot say, older recordings);
 * an announced base replaces a derived one. Until a base is known the free total is still exact
 * (capacity − live footprints); the largest block is null. Ranges reaching outside [base, top) (an
 * announced base the allocations disagree with: a tracking gap or a wrong announcement) are clipped to
 * it: the part outside counts as neither used nor free, and nothing throws.
 */
import { MEM_TYPE_NAMES, MemType, type MemTypeName } from '../events/format';
import type { FragmentationReport } from '../report/types';
import type { BufferStore } from './buffer-store';
import { keyId, keyKind } from './device-key';
import { DeviceSlots } from './device-slots';
import { ADDRESS_LIMIT } from './l1-blockers';
import { Timeline } from './timeline';
import { MEM_TYPES, type Devices } from './usage';

export type BaseSource = 'deviceInfo' | 'circularBuffer' | 'firstAllocation';

export class FreeSpace {
  base: number | null = null;
  baseFrom: BaseSource | null = null;
  /** Per-bank bytes of live owning ranges (clipped to the allocatable range once the base is known). */
  allocated = 0;
  live = 0;
  touched = false;
  /** Free blocks, sorted by start, disjoint and never adjacent. */
  private starts: number[] = [];
  private sizes: number[] = [];
  largest = 0;
  lowest: { bytes: number; seq: number; time: number } | null = null;
  private timeline: Timeline | null = null;

  constructor(readonly device: number, readonly type: number, readonly capacityPerBank: number, private readonly timelinePoints: number) {}

  get top(): number { return (this.base ?? 0) + this.capacityPerBank; }
  get freeBlocks(): number { return this.starts.length; }

  /** Sets the base and builds the free blocks from the live ranges `[start, end)` given. */
  setBase(base: number, from: BaseSource, live: readonly (readonly [number, number])[], seq: number, time: number): void {
    this.base = base;
    this.baseFrom = from;
    this.starts = [base];
    this.sizes = [this.capacityPerBank];
    this.largest = this.capacityPerBank;
    this.allocated = 0;
    for (const [s, e] of live) this.carve(s, e);
    // With nothing live yet the allocation about to be applied records the first point.
    if (live.length > 0) this.changed(seq, time);
  }

  occupy(start: number, end: number, seq: number, time: number): void {
    this.touched = true;
    this.live++;
    if (this.base === null) {
      this.allocated += end - start;
      return;
    }
    this.carve(start, end);
    this.changed(seq, time);
  }

  release(start: number, end: number, seq: number, time: number): void {
    this.live = Math.max(0, this.live - 1);
    if (this.base === null) {
      this.allocated = Math.max(0, this.allocated - (end - start));
      return;
    }
    const s = Math.max(start, this.base);
    const e = Math.min(end, this.top);
    if (e <= s) return;
    this.allocated = Math.max(0, this.allocated - (e - s));
    const starts = this.starts;
    const sizes = this.sizes;
    const lo = this.firstEndingAtOrAfter(s);
    // The common case: [s, e) touches at most its two neighbours and overlaps no free block.
    const prevTouches = lo < starts.length && starts[lo] + sizes[lo] === s;
    const next = prevTouches ? lo + 1 : lo;
    if (next >= starts.length || starts[next] >= e) {
      const nextTouches = next < starts.length && starts[next] === e;
      let size: number;
      if (prevTouches && nextTouches) {
        size = sizes[lo] + (e - s) + sizes[next];
        sizes[lo] = size;
        removeAt(starts, next);
        removeAt(sizes, next);
      } else if (prevTouches) {
        size = sizes[lo] += e - s;
      } else if (nextTouches) {
        starts[next] = s;
        size = sizes[next] += e - s;
      } else {
        size = e - s;
        insertAt(starts, next, s);
        insertAt(sizes, next, size);
      }
      if (size > this.largest) this.largest = size;
      this.changed(seq, time);
      return;
    }
    // A range that overlaps free space (a stream with a tracking gap): union with every block that
    // overlaps or touches [s, e).
    let ns = s;
    let ne = e;
    let hi = lo;
    while (hi < starts.length && starts[hi] <= e) {
      ns = Math.min(ns, starts[hi]);
      ne = Math.max(ne, starts[hi] + sizes[hi]);
      hi++;
    }
    starts.splice(lo, hi - lo, ns);
    sizes.splice(lo, hi - lo, ne - ns);
    if (ne - ns > this.largest) this.largest = ne - ns;
    this.changed(seq, time);
  }

  /** Free blocks as [start, end) pairs (cold path: explanations). */
  blocks(): [number, number][] {
    return this.starts.map((s, i) => [s, s + this.sizes[i]]);
  }

  report(): FragmentationReport {
    return {
      device: keyId(this.device),
      deviceKind: keyKind(this.device),
      type: MEM_TYPE_NAMES[this.type] as MemTypeName,
      capacityPerBank: this.capacityPerBank,
      base: this.base,
      baseFrom: this.baseFrom,
      freePerBank: this.capacityPerBank - this.allocated,
      largestFreeBlock: this.base === null ? null : this.largest,
      freeBlocks: this.base === null ? null : this.starts.length,
      lowestLargestFreeBlock: this.lowest ? { ...this.lowest } : null,
      points: this.timeline ? this.timeline.points() : [],
    };
  }

  /** Removes [start, end) ∩ [base, top) from the free blocks. */
  private carve(start: number, end: number): void {
    const s = Math.max(start, this.base as number);
    const e = Math.min(end, this.top);
    if (e <= s) return;
    this.allocated += e - s;
    let i = this.firstEndingAtOrAfter(s + 1);
    const starts = this.starts;
    const sizes = this.sizes;
    if (i < starts.length && starts[i] <= s && e <= starts[i] + sizes[i]) {
      // The common case, an allocation inside one free block: no array is made.
      const bs = starts[i];
      const be = bs + sizes[i];
      const wasLargest = sizes[i] === this.largest;
      if (bs < s && e < be) {
        sizes[i] = s - bs;
        insertAt(starts, i + 1, e);
        insertAt(sizes, i + 1, be - e);
      } else if (bs < s) {
        sizes[i] = s - bs;
      } else if (e < be) {
        starts[i] = e;
        sizes[i] = be - e;
      } else {
        removeAt(starts, i);
        removeAt(sizes, i);
      }
      if (wasLargest) this.rescan();
      return;
    }
    let rescan = false;
    const addStarts: number[] = [];
    const addSizes: number[] = [];
    const first = i;
    while (i < starts.length && starts[i] < e) {
      const bs = starts[i];
      const be = bs + sizes[i];
      if (sizes[i] === this.largest) rescan = true;
      if (bs < s) { addStarts.push(bs); addSizes.push(s - bs); }
      if (e < be) { addStarts.push(e); addSizes.push(be - e); }
      i++;
    }
    starts.splice(first, i - first, ...addStarts);
    sizes.splice(first, i - first, ...addSizes);
    if (rescan) this.rescan();
  }

  private rescan(): void {
    let largest = 0;
    const sizes = this.sizes;
    for (let k = 0; k < sizes.length; k++) if (sizes[k] > largest) largest = sizes[k];
    this.largest = largest;
  }

  /** Index of the first block whose end is ≥ `address` (binary search). */
  private firstEndingAtOrAfter(address: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] + this.sizes[mid] < address) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private changed(seq: number, time: number): void {
    if (this.lowest === null || this.largest < this.lowest.bytes) this.lowest = { bytes: this.largest, seq, time };
    (this.timeline ??= new Timeline(this.timelinePoints)).push(time, this.largest);
  }
}

// splice() makes an array of what it removes on every call (an allocation and a free per event);
// below this many entries to move, a loop is cheaper than splice's memmove.
const SHIFT_BY_LOOP = 32;

function insertAt(a: number[], i: number, value: number): void {
  const n = a.length;
  if (n - i > SHIFT_BY_LOOP) {
    a.splice(i, 0, value);
    return;
  }
  a.push(value);
  for (let k = n; k > i; k--) a[k] = a[k - 1];
  a[i] = value;
}

function removeAt(a: number[], i: number): void {
  const n = a.length;
  if (n - i > SHIFT_BY_LOOP) {
    a.splice(i, 1);
    return;
  }
  for (let k = i; k < n - 1; k++) a[k] = a[k + 1];
  a.pop();
}

/** FreeSpace per (device id, memory type) with a known capacity (from DeviceInfo). */
export class Fragmentation {
  private readonly spaces = new Map<number, FreeSpace>();
  /**
   * The same by device, then type: every owning allocation and free asks, mostly for a space that
   * does not exist (no DeviceInfo) or alternating DRAM/L1, where a one-entry cache before a Map missed.
   */
  private readonly byDevice = new DeviceSlots<(FreeSpace | undefined)[]>();

  constructor(private readonly devices: Devices, private readonly store: BufferStore, private readonly timelinePoints: number) {}

  private static key(device: number, type: number): number { return device * 8 + type; }

  get(device: number, type: number): FreeSpace | undefined {
    const row = this.byDevice.get(device);
    return row === undefined ? undefined : row[type];
  }

  /**
   * DeviceInfo: capacity over all banks, the bank count, and the bank's base when the runtime announced
   * it (null: not announced). A second announcement keeps the first capacity and announced base; its
   * base replaces only a derived one.
   */
  announce(device: number, type: number, capacity: number, banks: number, base: number | null, seq: number, time: number): void {
    if (capacity <= 0 || type === MemType.SYSTEM_MEMORY) return;
    const key = Fragmentation.key(device, type);
    let space = this.spaces.get(key);
    if (space === undefined) {
      space = new FreeSpace(device, type, Math.floor(capacity / Math.max(1, banks)), this.timelinePoints);
      this.spaces.set(key, space);
      let row = this.byDevice.get(device);
      if (row === undefined) this.byDevice.set(device, (row = new Array<FreeSpace | undefined>(MEM_TYPES).fill(undefined)));
      row[type] = space;
    }
    // A base past 2^53 (a corrupt record) could not be computed with exactly: left to the derivations.
    if (base === null || space.baseFrom === 'deviceInfo' || base + space.capacityPerBank > Number.MAX_SAFE_INTEGER) return;
    this.setBase(space, base, 'deviceInfo', seq, time);
  }

  occupy(device: number, type: number, start: number, end: number, seq: number, time: number): void {
    const space = this.get(device, type);
    if (space === undefined) return;
    // Called before the range joins its range set.
    if (space.base === null && space.live === 0) {
      // The first allocation into an empty bank sits at the edge the allocator starts from.
      if (type === MemType.DRAM || type === MemType.TRACE) this.setBase(space, start, 'firstAllocation', seq, time);
      else if (type === MemType.L1) this.setBase(space, end - space.capacityPerBank, 'firstAllocation', seq, time);
    }
    space.occupy(start, end, seq, time);
  }

  release(device: number, type: number, start: number, end: number, seq: number, time: number): void {
    this.get(device, type)?.release(start, end, seq, time);
  }

  /** A program's first static CB on `device`: the L1 allocator's base (upstream allocate_circular_buffers). */
  l1Base(device: number, address: number, seq: number, time: number): void {
    const space = this.get(device, MemType.L1);
    if (space !== undefined && space.base === null) this.setBase(space, address, 'circularBuffer', seq, time);
  }

  all(): FreeSpace[] {
    return [...this.spaces.values()].sort((a, b) => a.device - b.device || a.type - b.type);
  }

  report(): FragmentationReport[] {
    return this.all().filter((s) => s.touched).map((s) => s.report());
  }

  private setBase(space: FreeSpace, base: number, from: BaseSource, seq: number, time: number): void {
    // The live ranges are in the device's own range set; an allocation being applied is not yet.
    const ranges = this.devices.peek(space.device)?.peekRanges(space.type);
    const live: [number, number][] = [];
    if (ranges && ranges.size > 0) {
      for (const s of ranges.overlapping(0, ADDRESS_LIMIT)) live.push([this.store.address(s), this.store.end(s)]);
    }
    // occupy() summed these while the base was unknown; setBase recounts them from the ranges.
    space.setBase(base, from, live, seq, time);
  }
}
