/**
 * Usage per device × memory type: current and peak bytes, counts, timeline, and the device's range
 * sets. One DeviceState per device (id, chip or mesh: device-key.ts), created on first sight; a
 * device closed and reopened under its id keeps its row (usage then counts the new object's buffers).
 *
 * Mesh mirroring: a mesh backing allocation counts on the mesh and on every chip of it, so a chip
 * that has no usage of its own of a type goes through exactly the same additions and removals as
 * its mesh. Such chips *mirror* the mesh for that type: charging the mesh charges them implicitly
 * (one update instead of nine on a 2×4 mesh), and their figures and timeline are read from the mesh.
 * A mirror is set up only when the mesh and all the chips it charges are untouched for the type (so
 * their states are equal: all zero), and dissolved — each chip gets a copy of the mesh's state and
 * is charged one by one from then on — before anything would apply to the mesh without the chips or
 * to a chip without the mesh: a chip's own allocation, another mesh's charge, or a mesh charge to a
 * different chip list. Every figure therefore stays exactly what charging each chip would give.
 */
import { MEM_TYPE_NAMES, type MemTypeName } from '../events/format';
import type { BytesByType, DeviceReport, MemoryByType } from '../report/types';
import type { BufferStore } from './buffer-store';
import { keyId, keyKind, MESH_KEY } from './device-key';
import { RangeSet } from './ranges';
import { Timeline } from './timeline';

/** Memory types with a usage slot: TT-Metal's BufferType 0..4 and CB (5). */
export const MEM_TYPES = MEM_TYPE_NAMES.length;

export class DeviceState {
  readonly id: number;
  readonly isMesh: boolean;
  /** Memory types announced (DeviceInfo) by the current device object, as bits: a repeat means a new object. */
  announced = 0;
  /** Device objects announced under this key (DeviceInfo or MeshChip after an earlier announcement). */
  opens = 0;
  /** Stream position (ordinal) of the current object's first announcement. */
  announcedAt = 0;
  /** Buffers in the live table on this device (owners and aliases). */
  objects = 0;
  readonly current = new Float64Array(MEM_TYPES);
  readonly peak = new Float64Array(MEM_TYPES);
  readonly allocated = new Float64Array(MEM_TYPES);
  readonly freed = new Float64Array(MEM_TYPES);
  readonly liveBuffers = new Float64Array(MEM_TYPES);
  /** Charged allocations still live when their device closed (released from usage, listed as leaks). */
  readonly lost = new Float64Array(MEM_TYPES);
  readonly capacity: (number | undefined)[] = new Array<number | undefined>(MEM_TYPES).fill(undefined);
  /** Banks per memory type from DeviceInfo (0 = unknown: ranges then span the whole size). */
  readonly banks = new Uint32Array(MEM_TYPES);
  private readonly ranges: (RangeSet | undefined)[] = new Array<RangeSet | undefined>(MEM_TYPES).fill(undefined);
  private readonly timelines: (Timeline | undefined)[] = new Array<Timeline | undefined>(MEM_TYPES).fill(undefined);
  /** Per type, on a chip: the mesh whose usage this chip mirrors (its own figures stay zero meanwhile). */
  private readonly mirrorOf: (DeviceState | null)[] = new Array<DeviceState | null>(MEM_TYPES).fill(null);
  /** Per type, on a mesh: the chip list (as charged) whose chips all mirror this mesh, and their states. */
  readonly mirrorChips: (readonly number[] | null)[] = new Array<readonly number[] | null>(MEM_TYPES).fill(null);
  private readonly mirrorStates: (DeviceState[] | null)[] = new Array<DeviceState[] | null>(MEM_TYPES).fill(null);

  constructor(readonly key: number, private readonly timelinePoints: number, private readonly store: BufferStore) {
    this.id = keyId(key);
    this.isMesh = key >= MESH_KEY;
  }

  rangesOf(type: number): RangeSet {
    return (this.ranges[type] ??= new RangeSet(this.store));
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
    const mirrored = this.mirrorOf[type];
    if (mirrored !== null) mirrored.dissolveMirror(type);
    const now = this.current[type] + bytes;
    this.current[type] = now;
    if (now > this.peak[type]) this.peak[type] = now;
    this.allocated[type]++;
    this.liveBuffers[type]++;
    this.sample(type, time, now);
  }

  /** Releases one charged allocation of `bytes` (`lost`: with its closed device, not freed). Never below zero, whatever the stream. */
  remove(type: number, bytes: number, time: number, lost = false): void {
    const mirrored = this.mirrorOf[type];
    if (mirrored !== null) mirrored.dissolveMirror(type);
    const live = this.liveBuffers[type] > 0 ? this.liveBuffers[type] - 1 : 0;
    let now = this.current[type] - bytes;
    // With nothing live the exact answer is 0, even when huge sizes cost float precision on the way.
    if (now < 0 || live === 0) now = 0;
    this.current[type] = now;
    if (lost) this.lost[type]++;
    else this.freed[type]++;
    this.liveBuffers[type] = live;
    this.sample(type, time, now);
  }

  /** (A mirroring chip's own figures are zero, so this leaves them so; the mesh resets for it.) */
  resetPeak(): void {
    this.peak.set(this.current);
  }

  /** Bytes charged now for `type` (read through a mirror). */
  level(type: number): number {
    const mirrored = this.mirrorOf[type];
    return mirrored !== null ? mirrored.current[type] : this.current[type];
  }

  timelineOf(type: number): Timeline | undefined {
    const mirrored = this.mirrorOf[type];
    return mirrored !== null ? mirrored.timelines[type] : this.timelines[type];
  }

  /** Nothing was ever charged or released for `type` here, and nothing is mirrored. */
  untouched(type: number): boolean {
    return this.allocated[type] === 0 && this.freed[type] === 0 && this.lost[type] === 0 && this.mirrorOf[type] === null && this.mirrorChips[type] === null;
  }

  /** Makes `states` (the chips of `chips`, all untouched for `type`, as this mesh is) mirror this mesh. */
  startMirror(type: number, chips: readonly number[], states: DeviceState[]): void {
    for (const s of states) s.mirrorOf[type] = this;
    this.mirrorChips[type] = chips;
    this.mirrorStates[type] = states;
  }

  /** Gives every chip mirroring this mesh for `type` its own copy of the mesh's state. */
  dissolveMirror(type: number): void {
    const states = this.mirrorStates[type];
    if (states === null) return;
    for (const s of states) {
      s.current[type] = this.current[type];
      s.peak[type] = this.peak[type];
      s.allocated[type] = this.allocated[type];
      s.freed[type] = this.freed[type];
      s.lost[type] = this.lost[type];
      s.liveBuffers[type] = this.liveBuffers[type];
      s.timelines[type] = this.timelines[type]?.clone();
      s.mirrorOf[type] = null;
    }
    this.mirrorChips[type] = null;
    this.mirrorStates[type] = null;
  }

  toReport(chips: readonly number[] | null): DeviceReport {
    const memory = {} as MemoryByType;
    MEM_TYPE_NAMES.forEach((name, t) => {
      const from = this.mirrorOf[t] ?? this;
      memory[name] = {
        current: from.current[t],
        peak: from.peak[t],
        allocated: from.allocated[t],
        freed: from.freed[t],
        lost: from.lost[t],
        liveBuffers: from.liveBuffers[t],
      };
    });
    const report: DeviceReport = { id: this.id, kind: keyKind(this.key), memory };
    if (this.opens > 1) report.opens = this.opens;
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

/**
 * Every DeviceState by device key (device-key.ts), in two arrays indexed by id: chips and meshes
 * (events carry u16 ids). One array indexed by key would be sparse past 65,536 and V8 would keep it
 * as a dictionary: a hash lookup on every event (measured: the top self time on the mixed stream).
 */
export class Devices {
  private readonly chips: (DeviceState | undefined)[] = [];
  private readonly meshes: (DeviceState | undefined)[] = [];

  constructor(private readonly timelinePoints: number, private readonly store: BufferStore) {}

  get(key: number): DeviceState {
    if (key < MESH_KEY) return (this.chips[key] ??= new DeviceState(key, this.timelinePoints, this.store));
    return (this.meshes[key - MESH_KEY] ??= new DeviceState(key, this.timelinePoints, this.store));
  }

  /** Charges `bytes` to `device` and, for a mesh backing allocation, to every chip of `chips`. */
  charge(device: DeviceState, type: number, bytes: number, chips: readonly number[] | null, time: number): void {
    if (device.mirrorChips[type] !== chips) this.remirror(device, type, chips);
    device.add(type, bytes, time);
    if (chips !== null && device.mirrorChips[type] !== chips) for (let c = 0; c < chips.length; c++) this.get(chips[c]).add(type, bytes, time);
  }

  /** Releases what charge() charged: the same `chips` the allocation was charged to. */
  uncharge(device: DeviceState, type: number, bytes: number, chips: readonly number[] | null, time: number, lost = false): void {
    const mirrored = device.mirrorChips[type];
    if (mirrored !== null && mirrored !== chips) device.dissolveMirror(type);
    device.remove(type, bytes, time, lost);
    if (chips !== null && device.mirrorChips[type] !== chips) for (let c = 0; c < chips.length; c++) this.get(chips[c]).remove(type, bytes, time, lost);
  }

  /** A charge to a chip list other than the mirrored one: dissolve, then mirror `chips` if all are untouched. */
  private remirror(device: DeviceState, type: number, chips: readonly number[] | null): void {
    device.dissolveMirror(type);
    if (chips === null || !device.untouched(type)) return;
    const states: DeviceState[] = [];
    for (let c = 0; c < chips.length; c++) {
      const s = this.get(chips[c]);
      if (s === device || !s.untouched(type)) return;
      states.push(s);
    }
    device.startMirror(type, chips, states);
  }

  peek(key: number): DeviceState | undefined {
    return key < MESH_KEY ? this.chips[key] : this.meshes[key - MESH_KEY];
  }

  /** Every device: chips by ascending id, then meshes by ascending id. */
  all(): DeviceState[] {
    const out: DeviceState[] = [];
    for (const d of this.chips) if (d) out.push(d);
    for (const d of this.meshes) if (d) out.push(d);
    return out;
  }
}
