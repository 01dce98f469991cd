import type { MemTypeName } from '../events/format';

export const REPORT_SCHEMA = 'tt-alloc-tracker/report@2';

/** Bytes and counts of one memory type on one device (docs/report.md#devices). */
export interface MemoryUsage {
  /** Bytes charged now. */
  current: number;
  /** Highest `current` since tracking began or the last resetPeak(). */
  peak: number;
  /** Allocations charged here (owning buffers, mesh backing buffers on each chip, CBs). */
  allocated: number;
  /** Charged allocations released by a free. */
  freed: number;
  /** Charged allocations still live when their device closed: released from usage, listed in `leaks` (allocated = freed + lost + liveBuffers). */
  lost: number;
  /** Charged allocations still live. */
  liveBuffers: number;
}

export type MemoryByType = Record<MemTypeName, MemoryUsage>;
export type BytesByType = Record<MemTypeName, number>;

/** A device is the pair (id, kind): upstream chip ids and mesh ids both start at 0. */
export type DeviceKind = 'chip' | 'mesh';

export interface DeviceRef {
  id: number;
  kind: DeviceKind;
}

/** The device where a per-type figure happened; only types with a figure above 0. */
export type DevicesByType = Partial<Record<MemTypeName, DeviceRef>>;

export interface DeviceReport {
  id: number;
  kind: DeviceKind;
  /** Device objects seen under this (id, kind) when more than one: it was closed and reopened. */
  opens?: number;
  /** Chip ids of a mesh, ascending (from MeshChip events). */
  chips?: number[];
  /** Capacity in bytes per memory type, where DeviceInfo reported it. */
  capacity?: Partial<BytesByType>;
  memory: MemoryByType;
}

export interface EventCounts {
  total: number;
  alloc: number;
  free: number;
  cbAlloc: number;
  cbRelease: number;
  program: number;
  opStart: number;
  opEnd: number;
  mark: number;
  deviceInfo: number;
  meshChip: number;
  /** Records whose kind is not a known EventKind: counted, otherwise ignored. */
  unknown: number;
  /** Records whose sequence number was lower than one consumed in an earlier batch. */
  outOfOrder: number;
  /** Events lost by the native ring (report incomplete when > 0). */
  dropped: number;
}

/** How every Alloc and Free event was classified; each event lands in exactly one field. */
export interface Classification {
  alloc: { ok: number; alias: number; overlap: number; duplicateAlloc: number; invalid: number };
  free: { ok: number; aliasFree: number; doubleFree: number; staleFree: number; untrackedFree: number; invalid: number };
}

/** Where one event happened: its sequence number, thread, innermost op and harness scope. */
export interface Site {
  seq: number;
  thread: number;
  op: string | null;
  scope: string | null;
}

/** The offending event's site, with its time (CLOCK_MONOTONIC ns, as timeline points): where a trace viewer puts it. */
export interface TimedSite extends Site {
  time: number;
}

/** Another buffer named by an example: the owner of an alias, the new owner of a reused range. */
export interface RelatedBuffer {
  id: number;
  device: number;
  deviceKind: DeviceKind;
  block: string;
  size: number;
}

export type AnomalyClass = 'alias' | 'overlap' | 'duplicateAlloc' | 'doubleFree' | 'aliasFree' | 'staleFree' | 'untrackedFree';
export type AnomalySubkind = 'view' | 'replica' | 'afterReuse' | 'deviceClosed' | 'displaced';

/**
 * One classified event with the story of its buffer, like AddressSanitizer's report of a double
 * free: where the buffer was allocated, where it was first freed, and the offending event.
 */
export interface AnomalyExample {
  class: AnomalyClass;
  subkind?: AnomalySubkind;
  /** Buffer id of the offending event. */
  object: number;
  device: number;
  deviceKind: DeviceKind;
  type: MemTypeName;
  /** `0x<address>#<generation>`: the address and how many owning allocations it has seen. */
  block: string;
  size: number;
  /** The owner an alias lies in, or the live buffer now holding a reused / overlapped range. */
  related?: RelatedBuffer;
  allocation: Site | null;
  firstFree: Site | null;
  offending: TimedSite;
}

export interface Anomalies {
  doubleFree: { count: number; afterReuse: number };
  aliasFree: { count: number; view: number; replica: number };
  /** `deviceClosed`: frees of buffers lost with their closed device; `displaced`: of buffers an owning allocation displaced. */
  staleFree: { count: number; deviceClosed: number; displaced: number };
  untrackedFree: { count: number };
  overlap: { count: number };
  duplicateAlloc: { count: number };
  /** Allocations inside a live owner (tracked, not charged): a lifecycle fact, listed for completeness. */
  alias: { count: number; view: number; replica: number };
  /** The first `examplesPerClass` examples of every class, in sequence order within a class. */
  examples: AnomalyExample[];
}

export interface Leak {
  id: number;
  device: number;
  deviceKind: DeviceKind;
  type: MemTypeName;
  address: number;
  block: string;
  size: number;
  seq: number;
  op: string | null;
  scope: string | null;
  /** Live when its device closed (upstream reports no free after a close): lost with the device, not freed. */
  lostWithDevice?: true;
}

/** Live owning allocations of one (op, scope) pair. */
export interface LeakGroup {
  op: string | null;
  scope: string | null;
  buffers: number;
  bytes: number;
}

export interface LeakSummary {
  /** Live owning buffers now plus those lost with a closed device. */
  buffers: number;
  bytes: number;
  /** Of those, lost with a closed device. */
  lostWithDevice: { buffers: number; bytes: number };
  /** Leaks listed in `leaks` (largest first), at most `leakListLimit`. */
  listed: number;
  groups: LeakGroup[];
}

/**
 * Per memory type, in bytes per chip (CB: bytes per core), over all calls (docs/report.md#ops-and-scopes):
 * `peak` = the most bytes that allocations made inside the op held at once on one chip (frees of
 * earlier memory do not offset it); `devicePeak` = the highest usage a chip reached while it ran.
 */
export interface OpReport {
  name: string;
  calls: number;
  peak: BytesByType;
  /** The chip of each `peak` above 0. */
  peakDevice: DevicesByType;
  devicePeak: BytesByType;
  /** The chip of each `devicePeak` above 0. */
  devicePeakDevice: DevicesByType;
  /** Suspicious frees (double, stale, untracked) while it ran: on the op's own thread, or in the scope. */
  suspiciousFrees: number;
}

export type ScopeReport = OpReport;

/** One op call: OpStart to OpEnd on one thread (docs/report.md#opslices). */
export interface OpSlice {
  name: string;
  thread: number;
  /** Ops open on this thread when it started (0 = outermost). */
  depth: number;
  /** OpStart time, CLOCK_MONOTONIC ns (the clock of timeline points). */
  start: number;
  /** OpEnd time; null while the op is still open at report time. */
  end: number | null;
}

export interface OpSlices {
  /** Op calls not listed: past `opSliceLimit` or past the nesting bound of 256. */
  omitted: number;
  /** The first `opSliceLimit` op calls, in start order. */
  slices: OpSlice[];
}

/** `[time ns, current bytes]` pairs of one device × type, downsampled with every peak kept. */
export interface TimelineSeries {
  device: number;
  deviceKind: DeviceKind;
  type: MemTypeName;
  /** Samples taken before downsampling. */
  samples: number;
  points: [number, number][];
}

export interface WorstAddress {
  device: number;
  deviceKind: DeviceKind;
  type: MemTypeName;
  address: number;
  /** Frees at this address the classification could not match with an allocation. */
  excessFrees: number;
}

/** The earlier tool's vocabulary, computed from the classification (docs/report.md#summary). */
export interface Summary {
  allocs: number;
  frees: number;
  /** doubleFree + staleFree + untrackedFree: frees no lifecycle explains. */
  suspiciousFrees: number;
  /** aliasFree: frees of views and mesh replicas, explained by ownership. */
  aliasFrees: number;
  /** Distinct buffer ids with a suspicious free. */
  affectedBuffers: number;
  /** (frees − allocs) / allocs; 0 when there were no allocations. Negative when fewer frees. */
  excessFreeRate: number;
  worstAddress: WorstAddress | null;
}

/** A buffer live at a peak (docs/report.md#liveatpeak-what-was-live-at-the-peak). */
export interface LiveBuffer {
  id: number;
  size: number;
  block: string;
  /** Sequence number of its allocation. */
  seq: number;
  op: string | null;
  scope: string | null;
  /** Freed since the peak (true) or still live at report time (false). */
  freedAfterPeak: boolean;
}

/**
 * What was live on one device × memory type when its usage first reached its peak (owning buffers;
 * CBs have no buffer objects and are not listed). Sizes of all `buffers` add up to `peak`.
 */
export interface LiveAtPeak {
  device: number;
  deviceKind: DeviceKind;
  type: MemTypeName;
  /** Bytes of owning buffers at the peak (each chip's for a mesh backing allocation). */
  peak: number;
  /** When (CLOCK_MONOTONIC ns, as timeline points). */
  time: number;
  /** Owning buffers live at the peak. */
  buffers: number;
  /** The largest of them, largest first (at most 20). */
  listed: LiveBuffer[];
  /** buffers − listed.length: live at the peak, not listed. */
  omitted: number;
}

/**
 * One source process (or vitest worker thread) of a merged report: its timeline and op slices, which
 * cannot be added up across processes. Times are CLOCK_MONOTONIC ns, one clock per host, so the
 * tracks of processes of one machine share a time axis.
 */
export interface ProcessTrack {
  /** `pid 4242 thread 3`, or the report file merged. */
  label: string;
  /** Test files the source ran (vitest), in run order; [] when not known. */
  files: string[];
  timeline: TimelineSeries[];
  opSlices: OpSlices;
}

/** How CB figures are to be read (docs/report.md#circular-buffers-memorycb-circularbuffers). */
export interface CircularBufferBasis {
  /** CB sizes are per core of the CB's core range (`track_allocate_cb`'s size). */
  unit: 'bytes per core';
  /**
   * `live`: the stream reports CB releases (TT-Metal since 2026-04-19), so current is what is held.
   * `allocated since program creation`: it never did (earlier TT-Metal): current only grows.
   */
  basis: 'live' | 'allocated since program creation';
}

/** How the graph-tracking processor is registered and what it can miss (lib/processor-report.ts). */
export interface ProcessorReport {
  runtime: 'simulator' | 'tt-metal';
  /** TT-Metal API generation the build's features place it in (docs/tt-metal.md). */
  generation: string;
  registration: 'global' | 'thread' | 'background';
  /** TT_ALLOC_HAVE_* features compiled in (camelCase, e.g. threadLocalProcessors). */
  features: string[];
  /** Threads holding the per-thread processor (0 where processors are process-wide). */
  attachedThreads: number;
  /** complete: every event of every thread; partial: see gaps; none: detached. */
  coverage: 'complete' | 'partial' | 'none';
  /** Event kinds (names as in `events`) that can be missing, and from which threads. */
  gaps: { events: string[]; threads: 'unattached' | 'all' }[];
}

/** Report v1: plain, JSON-serialisable (docs/report.md, docs/report.schema.json). */
export interface Report {
  schema: typeof REPORT_SCHEMA;
  /** No event of the stream this report covers (since enable() or reset() in this environment) was dropped. */
  complete: boolean;
  events: EventCounts;
  classes: Classification;
  devices: DeviceReport[];
  circularBuffers: CircularBufferBasis;
  anomalies: Anomalies;
  leaks: Leak[];
  leakSummary: LeakSummary;
  ops: OpReport[];
  scopes: ScopeReport[];
  opSlices: OpSlices;
  timeline: TimelineSeries[];
  /** Merged reports only: one track per source process (docs/report.md#merging-reports). */
  processes?: ProcessTrack[];
  /** Per device × type, the buffers live at the peak (docs/report.md#liveatpeak-what-was-live-at-the-peak). */
  liveAtPeak?: LiveAtPeak[];
  summary: Summary;
  /** Present in reports of a live process (tracker report()); absent in replayed or merged ones. */
  processor?: ProcessorReport;
  /** CB headroom, fragmentation and failure explanations; absent from reports of earlier versions. */
  l1?: L1Report;
}

/** A live buffer in the way of a CB region or of a failed allocation (docs/report.md#l1). */
export interface Blocker {
  id: number;
  /** The device whose range set holds it: the chip, or the mesh of a MeshBuffer's backing buffer. */
  device: number;
  deviceKind: DeviceKind;
  type: MemTypeName;
  size: number;
  /** [address, end): its range in one bank's address space (end = address + per-bank footprint). */
  address: number;
  end: number;
  op: string | null;
  scope: string | null;
  /** Its intersection with the window in question (CB region, or the cheapest window for a request). */
  overlap: { start: number; end: number; bytes: number };
}

/** CB headroom of one op on one chip: the minimum over its launches (docs/report.md#l1). */
export interface CbHeadroom {
  op: string | null;
  /** A chip (a mesh only when its chips are unknown). */
  device: number;
  deviceKind: DeviceKind;
  /** Program CB allocations of this op on this chip (a relaunch whose CBs stay allocated reports none). */
  launches: number;
  /** Lowest occupied L1 address − static CB region end, at the tightest launch; null: no L1 buffer was live. */
  headroom: number | null;
  cbRegionEnd: number;
  lowestL1Address: number | null;
  program: number | null;
  seq: number;
  time: number;
  /** 'clash' below 0 (the runtime refuses the program), 'nearMiss' below `marginBytes`. */
  flag: 'clash' | 'nearMiss' | null;
}

export interface SnapshotCb {
  program: number | null;
  address: number;
  /** Bytes per core. */
  size: number;
  cores: number;
  globallyAllocated: boolean;
}

/** One chip's L1 at its tightest CB allocation: the program's CBs and the live L1 buffers, lowest first. */
export interface L1Snapshot {
  device: number;
  deviceKind: DeviceKind;
  seq: number;
  time: number;
  op: string | null;
  program: number | null;
  cbRegionStart: number;
  cbRegionEnd: number;
  lowestL1Address: number;
  headroom: number;
  circularBuffers: SnapshotCb[];
  /** Live L1 buffers, lowest first, at most 256; `overlap` is with the CB region (bytes 0: not in the way). */
  buffers: Blocker[];
  omittedBuffers: number;
}

/** Free space of one device × memory type in one bank's address space (docs/report.md#l1). */
export interface FragmentationReport {
  device: number;
  deviceKind: DeviceKind;
  type: MemTypeName;
  capacityPerBank: number;
  /** Start of the allocatable range, derived (DeviceInfo does not carry it); null: not derivable yet. */
  base: number | null;
  baseFrom: 'circularBuffer' | 'firstAllocation' | null;
  freePerBank: number;
  largestFreeBlock: number | null;
  freeBlocks: number | null;
  lowestLargestFreeBlock: { bytes: number; seq: number; time: number } | null;
  /** `[time ns, largest free block]` at each change, downsampled with every low point kept. */
  points: [number, number][];
}

/** Why an allocation failed, or a CB region clashed: the live buffers in the way (docs/report.md#l1). */
export interface FailureExplanation {
  kind: 'cbClash' | 'outOfMemory';
  /** 'events': negative headroom seen in the stream; 'error': an error passed to explainFailure(). */
  source: 'events' | 'error';
  message: string | null;
  /** Devices the explanation fits (the runtime's messages name none). */
  devices: DeviceRef[];
  type: MemTypeName;
  program: number | null;
  op: string | null;
  seq: number | null;
  time: number | null;
  cbRegionEnd?: number;
  lowestL1Address?: number;
  headroom?: number;
  /** outOfMemory: whether the request fit the total free space of a bank (fragmentation) or not. */
  cause?: 'fragmentation' | 'exhaustion' | null;
  requested?: number;
  requestedPerBank?: number;
  banks?: number;
  freePerBank?: number | null;
  largestFreeBlock?: number | null;
  capacityPerBank?: number | null;
  /** The address window whose buffers are listed: the CB region, or the request's cheapest place. */
  window: { start: number; end: number } | null;
  blockers: Blocker[];
}

/** CB headroom, the tightest moments, fragmentation and failure explanations (docs/report.md#l1). */
export interface L1Report {
  marginBytes: number;
  headroom: CbHeadroom[];
  tightest: L1Snapshot[];
  /** One series per device as CbAlloc events name it (a mesh: its tightest chip at each launch). */
  headroomSeries: { device: number; deviceKind: DeviceKind; samples: number; points: [number, number][] }[];
  fragmentation: FragmentationReport[];
  failures: FailureExplanation[];
  failuresOmitted: number;
}
