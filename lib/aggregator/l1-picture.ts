/**
 * The per-chip L1 picture (docs/report.md#l1): static circular buffers per program launch next to the
 * live L1 buffers, CB headroom per op and chip, the tightest moment of each chip, fragmentation per
 * device × memory type, and the explanation of allocation failures (a CB clash or an out-of-memory):
 * which live buffers are in the way and by how much. Fed by the aggregator after it applied each event;
 * nothing here runs in the runtime's thread.
 *
 * Addresses and sizes are in one bank's address space: a CB's size is bytes per core (upstream
 * `track_allocate_cb` reports `CircularBuffer::size()`), an L1 buffer's range is its per-bank footprint.
 */
import { MemType } from '../events/format';
import type { Blocker, DeviceRef, FailureExplanation, L1Report, L1Snapshot, SnapshotCb } from '../report/types';
import type { BufferStore, Slot } from './buffer-store';
import { parseFailure, type ClashFailure, type OutOfMemoryFailure } from './explain-failure';
import { keyId, keyKind, MESH_KEY } from './device-key';
import { DeviceSlots } from './device-slots';
import { Fragmentation, type FreeSpace } from './fragmentation';
import { HeadroomTable } from './headroom';
import { ADDRESS_LIMIT, liveRangesIn, lowestLive, toBlockers } from './l1-blockers';
import { nameOf } from './leaks';
import type { MeshMembership } from './mesh';
import { Timeline } from './timeline';
import type { Devices } from './usage';

/** lowestOwn: not known (recomputed on the next read); -1 means no L1 buffer. */
const UNKNOWN = -2;

/** L1 buffers listed in a tightest-moment picture, lowest first (the ones nearest the CB region). */
const SNAPSHOT_BUFFERS = 256;
/**
 * Programs whose CB region is remembered for relaunches (over all devices): past it, relaunches of
 * programs first seen later are not evaluated. 16,384: ttnn's program cache holds one program per op
 * variant, hundreds to a few thousand in a model run.
 */
const REGION_LIMIT = 16384;

/** A program's static CBs on one device as last allocated: `cbs` holds address, size, cores, global (0/1) per CB. */
interface Region {
  start: number;
  end: number;
  cbs: number[];
}

/**
 * One device's remembered regions by program id, and the largest id among them: a launch naming an id
 * above it is known to miss without probing the Map (exact for any ids: none is ever removed). It pays
 * when new programs get ids above the earlier ones, as the simulator's counter (native/sim/program.cpp)
 * and the bench streams hand them out: on the mixed stream (a new program per launch, 2,048 remembered
 * per device) the probe missed the cache, ~200 ns twice per launch.
 */
class ProgramRegions {
  private readonly byProgram = new Map<number, Region>();
  private max = -Infinity;

  get(program: number): Region | undefined {
    return program > this.max ? undefined : this.byProgram.get(program);
  }

  has(program: number): boolean {
    return program <= this.max && this.byProgram.has(program);
  }

  set(program: number, region: Region): void {
    this.byProgram.set(program, region);
    if (program > this.max) this.max = program;
  }
}

/**
 * The static CBs of the program launch now allocating on one device (as events name it), as parallel
 * lists reused from launch to launch (no object per CB: a Llama decode step allocates hundreds).
 */
class CbGroup {
  program = NaN;
  open = false;
  start = Infinity;
  end = 0;
  count = 0;
  readonly programs: (number | null)[] = [];
  readonly addresses: number[] = [];
  readonly sizes: number[] = [];
  readonly cores: number[] = [];
  readonly global: boolean[] = [];
  /** Static CBs were added since the launch was last evaluated; where and when the last one came. */
  pending = false;
  /** The CBs are a remembered region (a relaunch): CbAllocs of the same program replace them. */
  restored = false;
  region: Region | null = null;
  device = 0;
  isMesh = false;
  op = 0;
  seq = 0;
  time = 0;
  /** The launch's clash explanation, if any (updated while its region grows). */
  failure: FailureExplanation | null = null;

  cbs(): SnapshotCb[] {
    const out: SnapshotCb[] = [];
    const region = this.region;
    if (region !== null) {
      const program = Number.isNaN(this.program) ? null : this.program;
      for (let k = 0; k < region.cbs.length; k += 4) {
        out.push({ program, address: region.cbs[k], size: region.cbs[k + 1], cores: region.cbs[k + 2], globallyAllocated: region.cbs[k + 3] === 1 });
      }
      return out;
    }
    for (let i = 0; i < this.count; i++) {
      out.push({ program: this.programs[i], address: this.addresses[i], size: this.sizes[i], cores: this.cores[i], globallyAllocated: this.global[i] });
    }
    return out;
  }
}

export interface L1PictureOptions {
  marginBytes: number;
  timelinePoints: number;
  failureLimit: number;
}

export class L1Picture {
  private readonly headroom = new HeadroomTable();
  private readonly fragmentation: Fragmentation;
  private readonly groups = new DeviceSlots<CbGroup>();
  private readonly tightest = new DeviceSlots<L1Snapshot>();
  private readonly series = new DeviceSlots<Timeline>();
  private readonly failures: FailureExplanation[] = [];
  /**
   * Lowest live L1 address per device's own range set (-1: none; UNKNOWN: read it from the ranges).
   * Kept as ranges come and go: an insert below it lowers it, a removal of the lowest range makes it
   * unknown (a launch on the recorded Llama stream evaluates after nearly every L1 change).
   */
  private readonly lowestOwn = new DeviceSlots<number>();
  /** Launches with static CBs not yet evaluated: evaluated before L1 changes, at the next launch, at report. */
  private readonly pending: CbGroup[] = [];
  // Entries past pendingCount are stale: `pending.length = 0` would drop the array's storage and the
  // next launch would allocate it again (the recorded Llama stream launches 58,000 times).
  private pendingCount = 0;
  /** Device key → program → its CB region as last allocated there. */
  private readonly regions = new DeviceSlots<ProgramRegions>();
  private regionCount = 0;
  /**
   * A mesh whose chips hold no L1 buffer of their own (and belong to no other mesh) has one L1 picture
   * for all of them: its launches are evaluated once and noted under the mesh id, expanded to its chips
   * in the report. Whether a mesh is so is cached per chip list and `chipL1Version`, which counts
   * L1 range changes on devices that are not meshes.
   */
  private readonly meshHeadroom = new HeadroomTable();
  /** Each mesh's tightest moment, in the order meshes first had one (the report merges them in that order). */
  private readonly meshTightest = new Map<number, L1Snapshot>();
  /** meshTightest by key, for the lookup at every evaluation. */
  private readonly meshTightestOf = new DeviceSlots<L1Snapshot>();
  /** The chips each mesh had when its launches were evaluated: a chip reopened later clears the membership. */
  private readonly meshChips = new DeviceSlots<readonly number[]>();
  private readonly uniform = new DeviceSlots<{ chips: readonly number[]; version: number; uniform: boolean }>();
  private chipL1Version = 0;
  private failuresOmitted = 0;

  constructor(
    private readonly store: BufferStore,
    private readonly devices: Devices,
    private readonly mesh: MeshMembership,
    private readonly names: readonly string[],
    private readonly options: L1PictureOptions,
  ) {
    this.fragmentation = new Fragmentation(devices, store, options.timelinePoints);
  }

  /** DeviceInfo: `base` is the bank's lowest allocatable address when announced (BaseKnown), else null. */
  deviceInfo(device: number, type: number, capacity: number, banks: number, base: number | null, seq: number, time: number): void {
    this.fragmentation.announce(device, type, capacity, banks, base, seq, time);
  }

  /** An owning range is about to join its device's range set (call right before the insert). */
  inserting(s: Slot, seq: number, time: number): void {
    const store = this.store;
    const device = store.device(s);
    const type = store.type(s);
    const address = store.address(s);
    if (type === MemType.L1) {
      this.l1Changes(device);
      const lowest = this.lowestOwn.get(device);
      if (lowest !== undefined && lowest !== UNKNOWN && (lowest < 0 || address < lowest)) this.lowestOwn.set(device, address);
    }
    this.fragmentation.occupy(device, type, address, store.end(s), seq, time);
  }

  /** An owning range is about to leave its device's range set (freed, or displaced by an overlapping allocation; call right before the removal). */
  removing(s: Slot, seq: number, time: number): void {
    const store = this.store;
    const device = store.device(s);
    const type = store.type(s);
    const address = store.address(s);
    if (type === MemType.L1) {
      this.l1Changes(device);
      // Ranges in one set never share a start: only removing the lowest one changes the lowest.
      if (this.lowestOwn.get(device) === address) this.lowestOwn.set(device, UNKNOWN);
    }
    this.fragmentation.release(device, type, address, store.end(s), seq, time);
  }

  /** CbRelease: the device's CBs are gone. */
  cbRelease(device: number): void {
    const group = this.groups.get(device);
    if (group) this.close(group);
  }

  /** Program launch: CBs that follow belong to `program`'s allocation. */
  program(device: number, program: number, op: number, seq: number, time: number): boolean {
    const group = this.groups.get(device);
    if (group) this.close(group);
    // Upstream allocates a cached program's CBs once (allocate_circular_buffers returns early unless
    // local_circular_buffer_allocation_needed_), but validates the region at every enqueue: a relaunch
    // is evaluated against the region its CbAllocs gave.
    const byProgram = this.regions.get(device);
    const region = byProgram === undefined ? undefined : byProgram.get(program);
    if (region === undefined) return false;
    this.restore(device, program, region, op, seq, time);
    return true;
  }

  /**
   * A launch on a mesh: its CBs were allocated on the mesh (2025-06) or on each chip (since PR
   * #37218). Upstream computes a program's CB addresses once for all chips, so when the chips see only
   * the mesh's L1 a relaunch is evaluated once, under the mesh, from the first chip's region.
   */
  programOnMesh(mesh: number, chips: readonly number[], program: number, op: number, seq: number, time: number): void {
    if (this.program(mesh, program, op, seq, time)) {
      for (const chip of chips) this.program(chip, program, op, seq, time);
      return;
    }
    const byProgram = chips.length > 0 ? this.regions.get(chips[0]) : undefined;
    const region = byProgram === undefined ? undefined : byProgram.get(program);
    if (region === undefined || !this.isUniform(mesh, chips)) {
      for (const chip of chips) this.program(chip, program, op, seq, time);
      return;
    }
    for (let c = 0; c < chips.length; c++) {
      const group = this.groups.get(chips[c]);
      // Closing a group neither open nor pending changes nothing: most chips' groups on a mesh relaunch.
      if (group !== undefined && (group.open || group.pending)) this.close(group);
    }
    this.restore(mesh, program, region, op, seq, time);
  }

  private restore(device: number, program: number, region: Region, op: number, seq: number, time: number): void {
    let group = this.groups.get(device);
    if (!group) this.groups.set(device, (group = new CbGroup()));
    group.open = true;
    group.restored = true;
    group.program = program;
    group.start = region.start;
    group.end = region.end;
    group.region = region;
    group.count = 0;
    group.failure = null;
    group.device = device;
    group.isMesh = device >= MESH_KEY;
    group.op = op;
    group.seq = seq;
    group.time = time;
    group.pending = true;
    this.pending[this.pendingCount++] = group;
  }

  /** Remembers the launch's region for its program's relaunches. */
  private remember(group: CbGroup): void {
    if (Number.isNaN(group.program) || group.restored) return;
    let byProgram = this.regions.get(group.device);
    if (!byProgram) this.regions.set(group.device, (byProgram = new ProgramRegions()));
    if (!byProgram.has(group.program)) {
      if (this.regionCount >= REGION_LIMIT) return;
      this.regionCount++;
    }
    const n = group.count;
    const cbs = new Array<number>(4 * n);
    for (let k = 0; k < n; k++) {
      cbs[4 * k] = group.addresses[k];
      cbs[4 * k + 1] = group.sizes[k];
      cbs[4 * k + 2] = group.cores[k];
      cbs[4 * k + 3] = group.global[k] ? 1 : 0;
    }
    byProgram.set(group.program, { start: group.start, end: group.end, cbs });
  }

  /** Evaluates every launch not yet evaluated, before L1 changes under it (the caller then updates lowestOwn). */
  private l1Changes(device: number): void {
    if (this.pendingCount > 0) this.evaluatePending();
    if (device < MESH_KEY) this.chipL1Version++;
  }

  /** Whether every chip of `mesh` sees exactly the mesh's L1 (no own L1 buffer, no other mesh). */
  private isUniform(mesh: number, chips: readonly number[]): boolean {
    const cached = this.uniform.get(mesh);
    if (cached && cached.chips === chips && cached.version === this.chipL1Version) return cached.uniform;
    const uniform = chips.every((c) => this.ownLowest(c) < 0 && this.mesh.meshesOf(c).length === 1);
    this.uniform.set(mesh, { chips, version: this.chipL1Version, uniform });
    return uniform;
  }

  private evaluatePending(): void {
    const pending = this.pending;
    for (let i = 0; i < this.pendingCount; i++) this.evaluate(pending[i]);
    this.pendingCount = 0;
  }

  private close(group: CbGroup): void {
    if (group.pending) {
      this.evaluate(group);
      // Removed in place, order kept (splice would make an array of the removed entry).
      const pending = this.pending;
      const n = this.pendingCount;
      let i = 0;
      while (i < n && pending[i] !== group) i++;
      if (i < n) {
        for (; i < n - 1; i++) pending[i] = pending[i + 1];
        this.pendingCount = n - 1;
      }
    }
    group.open = false;
  }

  /**
   * A CB allocation: joins its launch's region. The launch is evaluated once, with its final region
   * (its CBs arrive together, with no L1 change between them): before the next L1 change, the next
   * launch on the device, an explanation or the report.
   */
  cbAlloc(device: number, isMesh: boolean, program: number | null, address: number, size: number, cores: number, global: boolean, op: number, seq: number, time: number): void {
    let group = this.groups.get(device);
    if (!group) this.groups.set(device, (group = new CbGroup()));
    const programKey = program ?? NaN;
    if (!group.open || group.restored || (program !== null && group.program !== programKey)) {
      // A restored region is replaced by the CBs allocated now (the same launch: still pending).
      const relaunch = group.open && group.restored && group.program === programKey;
      if (!relaunch) this.close(group);
      group.restored = false;
      group.region = null;
      group.open = true;
      group.program = programKey;
      group.start = Infinity;
      group.end = 0;
      group.count = 0;
      group.failure = null;
    }
    const k = group.count++;
    group.programs[k] = program;
    group.addresses[k] = address;
    group.sizes[k] = size;
    group.cores[k] = cores;
    group.global[k] = global;
    // A globally allocated CB sits in an L1 buffer: it is not part of the static region upstream validates.
    if (global) return;
    if (group.start === Infinity) this.fragmentation.l1Base(device, address, seq, time);
    if (address < group.start) group.start = address;
    if (address + size > group.end) group.end = address + size;
    group.device = device;
    group.isMesh = isMesh;
    group.op = op;
    group.seq = seq;
    group.time = time;
    if (!group.pending) {
      group.pending = true;
      this.pending[this.pendingCount++] = group;
    }
  }

  /** Headroom of one launch on every chip it allocated on (a mesh's: each of its chips). */
  private evaluate(group: CbGroup): void {
    group.pending = false;
    this.remember(group);
    const { device, op, seq, time } = group;
    const program = Number.isNaN(group.program) ? null : group.program;
    const chips = group.isMesh ? this.mesh.chipsOf(device) : null;
    if (chips !== null && this.isUniform(device, chips)) {
      this.evaluateMesh(group, chips, program);
      return;
    }
    const n = chips === null ? 1 : chips.length;
    let clashChips: number[] | null = null;
    let tightest = Infinity;
    for (let c = 0; c < n; c++) {
      const chip = chips === null ? device : chips[c];
      const lowest = this.chipLowest(chip);
      const headroom = lowest < 0 ? null : lowest - group.end;
      this.headroom.note(op, chip, headroom, group.end, lowest < 0 ? null : lowest, program, seq, time);
      if (headroom === null) continue;
      if (headroom < tightest) tightest = headroom;
      const tight = this.tightest.get(chip);
      if (!tight || headroom < tight.headroom) this.tightest.set(chip, this.snapshot(chip, group, lowest, headroom, op, program, seq, time));
      if (headroom < 0) (clashChips ??= []).push(chip);
    }
    // One counter per device as events name it (a mesh's CBs are on all its chips): its tightest chip.
    if (tightest !== Infinity) {
      let series = this.series.get(device);
      if (!series) this.series.set(device, (series = new Timeline(this.options.timelinePoints)));
      series.push(time, tightest);
    }
    if (clashChips !== null) this.clashFromEvents(group, clashChips, op, program, seq, time);
  }

  /** evaluate() for a mesh whose chips all see the mesh's L1: once, under the mesh id. */
  private evaluateMesh(group: CbGroup, chips: readonly number[], program: number | null): void {
    const { device, op, seq, time } = group;
    if (this.meshChips.get(device) !== chips) this.meshChips.set(device, chips);
    const lowest = this.ownLowest(device);
    const headroom = lowest < 0 ? null : lowest - group.end;
    this.meshHeadroom.note(op, device, headroom, group.end, lowest < 0 ? null : lowest, program, seq, time);
    if (headroom === null) return;
    const tight = this.meshTightestOf.get(device);
    if (!tight || headroom < tight.headroom) {
      const snap = this.snapshot(chips[0], group, lowest, headroom, op, program, seq, time);
      this.meshTightest.set(device, snap);
      this.meshTightestOf.set(device, snap);
    }
    let series = this.series.get(device);
    if (!series) this.series.set(device, (series = new Timeline(this.options.timelinePoints)));
    series.push(time, headroom);
    if (headroom < 0) this.clashFromEvents(group, [...chips], op, program, seq, time);
  }

  /** Per chip: its own tightest moment or its mesh's, whichever is tighter (the earlier on a tie). */
  private tightestPerChip(): L1Snapshot[] {
    const out = new Map(this.tightest.entries());
    for (const [mesh, snap] of this.meshTightest) {
      for (const chip of this.meshChips.get(mesh) ?? []) {
        const own = out.get(chip);
        if (!own || snap.headroom < own.headroom || (snap.headroom === own.headroom && snap.seq < own.seq)) {
          out.set(chip, { ...structuredClone(snap), device: keyId(chip), deviceKind: keyKind(chip) });
        }
      }
    }
    return [...out].sort(([a], [b]) => a - b).map(([, snap]) => snap);
  }

  /** Lowest live L1 address on `chip` (its own ranges and its meshes'), -1 when none. */
  private chipLowest(chip: number): number {
    let lowest = this.ownLowest(chip);
    const meshes = this.mesh.meshesOf(chip);
    for (let i = 0; i < meshes.length; i++) {
      const m = this.ownLowest(meshes[i]);
      if (m >= 0 && (lowest < 0 || m < lowest)) lowest = m;
    }
    return lowest;
  }

  private ownLowest(device: number): number {
    let lowest = this.lowestOwn.get(device);
    if (lowest === undefined || lowest === UNKNOWN) {
      const ranges = this.devices.peek(device)?.peekRanges(MemType.L1);
      const first = ranges && ranges.size > 0 ? ranges.firstOverlap(0, ADDRESS_LIMIT) : -1;
      lowest = first >= 0 ? this.store.address(first) : -1;
      this.lowestOwn.set(device, lowest);
    }
    return lowest;
  }

  /**
   * Explains a failure the runtime reported (explainFailure): null when the message reports none.
   * `device` narrows the candidates; otherwise every chip whose model matches the message is named.
   */
  explain(message: string, device: number | undefined): FailureExplanation | null {
    this.evaluatePending();
    const failure = parseFailure(message);
    if (failure === null) return null;
    if (failure.kind === 'cbClash') {
      // The runtime reported the CBs before it threw (upstream and the sim do): the stream already
      // explained this clash, with its op and time. The error adds its message to that explanation.
      const seen = this.failures.find((f) => f.source === 'events' && f.kind === 'cbClash' && f.message === null &&
        f.cbRegionEnd === failure.cbRegionEnd && f.lowestL1Address === failure.lowestL1Address &&
        (device === undefined || f.devices.some((d) => d.id === keyId(device) && d.kind === keyKind(device))));
      if (seen) {
        seen.message = failure.message;
        // A slow-dispatch launch sends no track_program: the runtime's message still names the program.
        if (seen.program === null) seen.program = failure.program;
        return seen;
      }
    }
    const explanation = failure.kind === 'cbClash' ? this.explainClash(failure, device) : this.explainOutOfMemory(failure, device);
    this.keep(explanation);
    return explanation;
  }

  report(): L1Report {
    this.evaluatePending();
    const margin = this.options.marginBytes;
    return {
      marginBytes: margin,
      headroom: this.headroom.report(this.names, margin, this.meshHeadroom, (m) => this.meshChips.get(m) ?? []),
      tightest: this.tightestPerChip(),
      headroomSeries: this.series.entries().map(([key, t]) => ({ device: keyId(key), deviceKind: keyKind(key), samples: t.samples, points: t.points() })),
      fragmentation: this.fragmentation.report(),
      failures: this.failures.map((f) => ({ ...f })),
      failuresOmitted: this.failuresOmitted,
    };
  }

  private snapshot(chip: number, group: CbGroup, lowest: number, headroom: number, op: number, program: number | null, seq: number, time: number): L1Snapshot {
    const slots = liveRangesIn(this.devices, this.mesh, chip, MemType.L1, 0, ADDRESS_LIMIT);
    const buffers = toBlockers(this.store, slots.slice(0, SNAPSHOT_BUFFERS), group.start, group.end, this.names);
    return {
      device: keyId(chip), deviceKind: keyKind(chip), seq, time, op: nameOf(this.names, op), program, cbRegionStart: group.start, cbRegionEnd: group.end,
      lowestL1Address: lowest, headroom, circularBuffers: group.cbs(), buffers,
      omittedBuffers: Math.max(0, slots.length - SNAPSHOT_BUFFERS),
    };
  }

  /** Negative headroom seen in the event stream: one explanation per launch, updated as its region grows. */
  private clashFromEvents(group: CbGroup, chips: number[], op: number, program: number | null, seq: number, time: number): void {
    const chip = chips[0];
    const lowest = this.chipLowest(chip);
    const explanation: FailureExplanation = {
      kind: 'cbClash', source: 'events', message: null, devices: chips.map(ref), type: 'L1', program, op: nameOf(this.names, op), seq, time,
      cbRegionEnd: group.end, lowestL1Address: lowest, headroom: lowest - group.end,
      window: { start: group.start, end: group.end },
      blockers: this.blockersBelow(chip, group.start, group.end),
    };
    if (group.failure === null) {
      group.failure = explanation;
      this.keep(explanation);
    } else {
      Object.assign(group.failure, explanation);
    }
  }

  private blockersBelow(chip: number, start: number, end: number): Blocker[] {
    return toBlockers(this.store, liveRangesIn(this.devices, this.mesh, chip, MemType.L1, 0, end), start, end, this.names);
  }

  private explainClash(f: ClashFailure, device: number | undefined): FailureExplanation {
    const candidates = device !== undefined ? [device] : this.chipsWhere((chip) => lowestLive(this.devices, this.store, this.mesh, chip, MemType.L1) === f.lowestL1Address);
    const chip = candidates.length > 0 ? candidates[0] : null;
    const base = chip === null ? null : this.fragmentation.get(chip, MemType.L1)?.base ?? this.meshL1Base(chip);
    const start = base ?? 0;
    return {
      kind: 'cbClash', source: 'error', message: f.message, devices: candidates.map(ref), type: 'L1', program: f.program, op: null, seq: null, time: null,
      cbRegionEnd: f.cbRegionEnd, lowestL1Address: f.lowestL1Address, headroom: f.lowestL1Address - f.cbRegionEnd,
      window: { start, end: f.cbRegionEnd },
      blockers: chip === null ? [] : this.blockersBelow(chip, start, f.cbRegionEnd),
    };
  }

  private explainOutOfMemory(f: OutOfMemoryFailure, device: number | undefined): FailureExplanation {
    const spaces = this.fragmentation.all().filter((s) => s.type === f.type && s.touched && (device === undefined || s.device === device));
    // The devices whose model cannot fit the request (or, with no base, all of that type).
    const failing = spaces.filter((s) => s.base === null || s.largest < f.requestedPerBank);
    const space: FreeSpace | undefined = failing[0] ?? spaces[0];
    const freePerBank = space ? space.capacityPerBank - space.allocated : f.freePerBank;
    const largest = space && space.base !== null ? space.largest : f.largestFreeBlock;
    const window = space && space.base !== null ? cheapestWindow(space, f.requestedPerBank) : null;
    return {
      kind: 'outOfMemory', source: 'error', message: f.message, devices: failing.map((s) => ref(s.device)), type: typeName(f.type),
      cause: freePerBank === null ? null : f.requestedPerBank <= freePerBank ? 'fragmentation' : 'exhaustion',
      requested: f.requested, requestedPerBank: f.requestedPerBank, banks: f.banks, freePerBank, largestFreeBlock: largest,
      capacityPerBank: space ? space.capacityPerBank : f.capacityPerBank,
      program: null, op: null, seq: null, time: null,
      window,
      blockers: window && space ? toBlockers(this.store, this.ownRanges(space).filter((s) => this.store.address(s) < window.end && this.store.end(s) > window.start), window.start, window.end, this.names) : [],
    };
  }

  private ownRanges(space: FreeSpace): Slot[] {
    const ranges = this.devices.peek(space.device)?.peekRanges(space.type);
    return ranges && ranges.size > 0 ? ranges.overlapping(0, ADDRESS_LIMIT) : [];
  }

  /** The L1 base known on a mesh containing `chip` (a mesh's CBs set the mesh's). */
  private meshL1Base(chip: number): number | null {
    for (const m of this.mesh.meshesOf(chip)) {
      const base = this.fragmentation.get(m, MemType.L1)?.base;
      if (base !== undefined && base !== null) return base;
    }
    return null;
  }

  /** Chips (devices that are not meshes), ascending, for which `test` holds; meshes when no chip does. */
  private chipsWhere(test: (device: number) => boolean): number[] {
    const all = this.devices.all();
    const chips = all.filter((d) => !d.isMesh && test(d.key)).map((d) => d.key);
    return chips.length > 0 ? chips : all.filter((d) => d.isMesh && test(d.key)).map((d) => d.key);
  }

  private keep(explanation: FailureExplanation): void {
    if (this.failures.length < this.options.failureLimit) this.failures.push(explanation);
    else this.failuresOmitted++;
  }
}

function ref(key: number): DeviceRef {
  return { id: keyId(key), kind: keyKind(key) };
}

function typeName(type: number): FailureExplanation['type'] {
  return (['DRAM', 'L1', 'SYSTEM_MEMORY', 'L1_SMALL', 'TRACE', 'CB'] as const)[type];
}

/**
 * The window of `bytes` inside [base, top) holding the fewest live bytes: where the request would fit
 * after freeing the least; ties go to the lowest address.
 */
export function cheapestWindow(space: FreeSpace, bytes: number): { start: number; end: number } | null {
  const base = space.base as number;
  const top = space.top;
  if (bytes > top - base) return null;
  const blocks = space.blocks(); // free blocks: occupied bytes in a window = window size − free bytes in it
  const n = blocks.length;
  // prefix[k]: free bytes in blocks[0..k). Free bytes below an address: whole blocks before it plus the
  // part of the block it falls in (one binary search), so each candidate costs O(log n).
  const prefix = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) prefix[k + 1] = prefix[k] + blocks[k][1] - blocks[k][0];
  const freeBelow = (a: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (blocks[mid][1] <= a) lo = mid + 1;
      else hi = mid;
    }
    // Blocks [0, lo) end at or below a; block lo may start below a.
    return prefix[lo] + (lo < n && blocks[lo][0] < a ? a - blocks[lo][0] : 0);
  };
  // The free bytes in a window change slope only where one of its ends crosses a block boundary, so
  // the best windows (and the lowest of them) start at one of these.
  const candidates = [base, top - bytes];
  for (const [bs, be] of blocks) candidates.push(bs, be, bs - bytes, be - bytes);
  candidates.sort((a, b) => a - b);
  let best: { start: number; end: number } | null = null;
  let bestFree = -1;
  for (const c of candidates) {
    if (c < base || c + bytes > top) continue;
    const free = freeBelow(c + bytes) - freeBelow(c);
    if (free > bestFree) { bestFree = free; best = { start: c, end: c + bytes }; }
  }
  return best;
}
