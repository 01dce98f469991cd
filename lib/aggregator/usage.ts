/**
 * Usage per device × memory type: current and peak bytes, counts, timeline, and the device's range
 * sets. One DeviceState per device id (chip or mesh), created on first sight.
 */
import { MEM_TYPE_NAMES, type MemTypeName } from '../events/format';
import type { BytesByType, DeviceReport, MemoryByType } from '../report/types';
import { RangeSet } from './ranges';
import { Timeline } from './timeline';

/** Memory types with a usage slot: TT-Metal's BufferType 0..4 and CB (5). */
export const MEM_TYPES = MEM_TYPE_NAMES.length;

export class DeviceState {
  isMesh = false;
  readonly current = new Float64Array(MEM_TYPES);
  readonly peak = new Float64Array(MEM_TYPES);
  readonly allocated = new Float64Array(MEM_TYPES);
  readonly freed = new Float64Array(MEM_TYPES);
  readonly liveBuffers = new Float64Array(MEM_TYPES);
  readonly capacity: (number | undefined)[] = new Array<number | undefined>(MEM_TYPES).fill(undefined);
  /** Banks per memory type from DeviceInfo (0 = unknown: ranges then span the whole size). */
  readonly banks = new Uint32Array(MEM_TYPES);
  private readonly ranges: (RangeSet | undefined)[] = new Array<RangeSet | undefined>(MEM_TYPES).fill(undefined);
  private readonly timelines: (Timeline | undefined)[] = new Array<Timeline | undefined>(MEM_TYPES).fill(undefined);

  constructor(readonly id: number, private readonly timelinePoints: number) {}

  rangesOf(type: number): RangeSet {
    return (this.ranges[type] ??= new RangeSet());
  }

  /** The range set if it exists: lookups need not create one. */
  peekRanges(type: number): RangeSet | undefined {
    return this.ranges[type];
  }

  /**
   * Bytes one bank's address space holds for a buffer: an event's address is a per-bank offset and
   * an interleaved buffer spreads its pages round-robin over the banks, so its range in that address
   * space is ceil(pages / banks) pages, not `size`. Without a bank count the whole size is assumed.
   */
  footprint(type: number, size: number, pageSize: number): number {
    const banks = this.banks[type];
    if (banks <= 1 || size === 0) return size;
    const page = pageSize === 0 || pageSize > size ? size : pageSize;
    return Math.ceil(Math.ceil(size / page) / banks) * page;
  }

  /** Charges one allocation of `bytes`. */
  add(type: number, bytes: number, time: number): void {
    const now = this.current[type] + bytes;
    this.current[type] = now;
    if (now > this.peak[type]) this.peak[type] = now;
    this.allocated[type]++;
    this.liveBuffers[type]++;
    this.sample(type, time, now);
  }

  /** Releases one charged allocation of `bytes`. Never below zero, whatever the stream. */
  remove(type: number, bytes: number, time: number): void {
    const live = this.liveBuffers[type] > 0 ? this.liveBuffers[type] - 1 : 0;
    let now = this.current[type] - bytes;
    // With nothing live the exact answer is 0, even when huge sizes cost float precision on the way.
    if (now < 0 || live === 0) now = 0;
    this.current[type] = now;
    this.freed[type]++;
    this.liveBuffers[type] = live;
    this.sample(type, time, now);
  }

  resetPeak(): void {
    this.peak.set(this.current);
  }

  timelineOf(type: number): Timeline | undefined {
    return this.timelines[type];
  }

  toReport(chips: readonly number[] | null): DeviceReport {
    const memory = {} as MemoryByType;
    MEM_TYPE_NAMES.forEach((name, t) => {
      memory[name] = {
        current: this.current[t],
        peak: this.peak[t],
        allocated: this.allocated[t],
        freed: this.freed[t],
        liveBuffers: this.liveBuffers[t],
      };
    });
    const report: DeviceReport = { id: this.id, kind: this.isMesh ? 'mesh' : 'chip', memory };
    if (this.isMesh) report.chips = chips ? [...chips] : [];
    const capacity: Partial<BytesByType> = {};
    let anyCapacity = false;
    this.capacity.forEach((bytes, t) => {
      if (bytes === undefined) return;
      capacity[MEM_TYPE_NAMES[t] as MemTypeName] = bytes;
      anyCapacity = true;
    });
    if (anyCapacity) report.capacity = capacity;
    return report;
  }

  private sample(type: number, time: number, bytes: number): void {
    const timeline = (this.timelines[type] ??= new Timeline(this.timelinePoints));
    timeline.push(time, bytes);
  }
}

/** Every DeviceState by id: an array for the u16 ids events carry, a Map for larger chip ids. */
export class Devices {
  private readonly small: (DeviceState | undefined)[] = [];
  private readonly large = new Map<number, DeviceState>();

  constructor(private readonly timelinePoints: number) {}

  get(id: number): DeviceState {
    if (id < 65536) return (this.small[id] ??= new DeviceState(id, this.timelinePoints));
    let d = this.large.get(id);
    if (!d) this.large.set(id, (d = new DeviceState(id, this.timelinePoints)));
    return d;
  }

  peek(id: number): DeviceState | undefined {
    return id < 65536 ? this.small[id] : this.large.get(id);
  }

  /** Every device, ascending id. */
  all(): DeviceState[] {
    const out: DeviceState[] = [];
    for (const d of this.small) if (d) out.push(d);
    out.push(...[...this.large.values()].sort((a, b) => a.id - b.id));
    return out;
  }
}
