/**
 * The report's shape, defined once (TypeBox): lib/report/types.ts derives the static types from these
 * objects (`Static<typeof …>`), lib/report/check.ts compiles ReportSchema with ajv, and
 * scripts/write-report-schema.js writes docs/report.schema.json from it at build time
 * (test/report.schema-file.test.ts keeps the committed file equal to the generated one).
 * docs/report.md explains every field and holds the classification rules.
 *
 * The objects are JSON Schema draft 2020-12 as they stand (TypeBox adds only symbol keys, which
 * JSON.stringify and ajv skip). Shared parts live under `$defs` and are referenced with `Ref()`, so
 * the published schema keeps its `#/$defs/…` names.
 */
import { type SchemaOptions, type Static, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';
import { LIFETIME_EXAMPLES } from '../aggregator/lifetimes';
import { LIVE_AT_PEAK_LIMIT } from '../aggregator/live-at-peak';
import { MEM_TYPE_NAMES, type MemTypeName } from '../events/format';
import { REPORT_SCHEMA } from './types';

/** One of the listed values (`enum`). */
function Enum<const V extends readonly (string | null)[]>(values: V, options: SchemaOptions = {}): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ ...options, enum: values });
}

/** Exactly this value (`const`). */
function Const<const V extends string | boolean>(value: V, options: SchemaOptions = {}): TUnsafe<V> {
  return Type.Unsafe<V>({ ...options, const: value });
}

/** A primitive or null (`type: [type, 'null']`). */
function Nullable<T extends 'string' | 'integer' | 'number'>(
  type: T,
  options: SchemaOptions = {},
): TUnsafe<(T extends 'string' ? string : number) | null> {
  return Type.Unsafe({ ...options, type: [type, 'null'] });
}

/** null or the given schema (`oneOf`). */
function OrNull<S extends TSchema>(schema: S): TUnsafe<Static<S> | null> {
  return Type.Unsafe({ oneOf: [{ type: 'null' }, schema] });
}

/** A `$ref` to `target`, which the report schema holds at `pointer` (test/report.schema-file.test.ts checks each). */
function Ref<S extends TSchema>(pointer: string, target: S): TUnsafe<Static<S>> {
  refs.push([pointer, target]);
  return Type.Unsafe({ $ref: pointer });
}

/** Every `[pointer, target]` a Ref() names, for the test that each pointer resolves to its target. */
export const refs: [string, TSchema][] = [];

/** `[time ns, value]`: any two numbers. */
function Pair(): TUnsafe<[number, number]> {
  return Type.Unsafe({ type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 });
}

/** `[time ns, current bytes]`: two numbers ≥ 0. */
function TimePoint(): TUnsafe<[number, number]> {
  const atLeastZero = { type: 'number', minimum: 0 };
  return Type.Unsafe({ type: 'array', prefixItems: [atLeastZero, atLeastZero], items: false, minItems: 2 });
}

/** One property per memory type (events/format.ts MEM_TYPE_NAMES, in that order). */
function byType<S extends TSchema>(schema: S): Record<MemTypeName, S> {
  return Object.fromEntries(MEM_TYPE_NAMES.map((name) => [name, schema])) as Record<MemTypeName, S>;
}

const DEVICE_IDENTITY = "With the id, the device's identity: upstream chip ids and mesh ids both start at 0.";

/** A device is the pair (id, kind): upstream chip ids and mesh ids both start at 0. */
function DeviceKind(options: SchemaOptions = {}): TUnsafe<'chip' | 'mesh'> {
  return Enum(['chip', 'mesh'], options);
}

const MemTypeNameSchema = Enum(MEM_TYPE_NAMES);

export const MemoryUsageSchema = Type.Object({
  /** Bytes charged now. */
  current: Type.Number({ minimum: 0 }),
  /** Highest `current` since tracking began or the last resetPeak(). */
  peak: Type.Number({ minimum: 0 }),
  /** Allocations charged here (owning buffers, mesh backing buffers on each chip, CBs). */
  allocated: Type.Integer({ minimum: 0 }),
  /** Charged allocations released by a free. */
  freed: Type.Integer({ minimum: 0 }),
  /** Charged allocations still live. */
  liveBuffers: Type.Integer({ minimum: 0 }),
  /**
   * Charged allocations still live when their device closed: released from usage, listed in `leaks` (allocated = freed
   * + lost + liveBuffers).
   */
  lost: Type.Number({
    minimum: 0,
    description:
      'Charged allocations still live when their device closed: released from usage, listed in leaks (allocated =' +
      ' freed + lost + liveBuffers).',
  }),
}, { additionalProperties: false });

export const BytesByTypeSchema = Type.Object(byType(Type.Number({ minimum: 0 })), { additionalProperties: false });

export const MemoryByTypeSchema = Type.Object(byType(Ref('#/$defs/usage', MemoryUsageSchema)), {
  additionalProperties: false,
});

export const DeviceReportSchema = Type.Object({
  id: Type.Integer({ minimum: 0 }),
  kind: DeviceKind(),
  /** Chip ids of a mesh, ascending (from MeshChip events). */
  chips: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }))),
  /** Capacity in bytes per memory type, where DeviceInfo reported it. */
  capacity: Type.Optional(
    Type.Object(byType(Type.Optional(Type.Number({ minimum: 0 }))), { additionalProperties: false }),
  ),
  memory: MemoryByTypeSchema,
  /** Device objects seen under this (id, kind) when more than one: it was closed and reopened. */
  opens: Type.Optional(Type.Integer({
    minimum: 2,
    description:
      'Device objects seen under this (id, kind) when more than one: closed and reopened.',
  })),
}, { additionalProperties: false });

export const SiteSchema = Type.Object({
  seq: Type.Integer({ minimum: 0 }),
  thread: Type.Integer({ minimum: 0 }),
  op: Nullable('string'),
  scope: Nullable('string'),
}, { additionalProperties: false });

export const RelatedBufferSchema = Type.Object({
  id: Type.Integer({ minimum: 0 }),
  device: Type.Integer({ minimum: 0 }),
  block: Type.String({ pattern: '^0x[0-9a-f]+#[0-9]+$' }),
  size: Type.Number({ minimum: 0 }),
  deviceKind: DeviceKind({ description: DEVICE_IDENTITY }),
}, { additionalProperties: false });

export const TimedSiteSchema = Type.Object({
  seq: Type.Integer({ minimum: 0 }),
  thread: Type.Integer({ minimum: 0 }),
  op: Nullable('string'),
  scope: Nullable('string'),
  time: Type.Number({ minimum: 0 }),
}, { additionalProperties: false, description: "the offending event's site with its time (CLOCK_MONOTONIC ns)" });

export const AnomalyExampleSchema = Type.Object({
  class: Enum(['alias', 'overlap', 'duplicateAlloc', 'doubleFree', 'aliasFree', 'staleFree', 'untrackedFree']),
  subkind: Type.Optional(Enum(['view', 'replica', 'afterReuse', 'deviceClosed', 'displaced'])),
  /** Buffer id of the offending event. */
  object: Type.Integer({ minimum: 0 }),
  device: Type.Integer({ minimum: 0 }),
  type: Ref('#/$defs/memType', MemTypeNameSchema),
  /** `0x<address>#<generation>`: the address and how many owning allocations it has seen. */
  block: Type.String({ pattern: '^0x[0-9a-f]+#[0-9]+$' }),
  size: Type.Number({ minimum: 0 }),
  /** The owner an alias lies in, or the live buffer now holding a reused / overlapped range. */
  related: Type.Optional(RelatedBufferSchema),
  allocation: OrNull(Ref('#/$defs/site', SiteSchema)),
  firstFree: OrNull(Ref('#/$defs/site', SiteSchema)),
  offending: Ref('#/$defs/timedSite', TimedSiteSchema),
  deviceKind: DeviceKind({ description: DEVICE_IDENTITY }),
}, { additionalProperties: false });

export const LifetimeClassSchema = Type.Union([
  Type.Literal('deviceClose'), Type.Literal('program'), Type.Literal('trace'), Type.Literal('laterFree'), Type.Literal('live'),
], {
  description:
    'why an owning buffer outlived the harness scope that allocated it, or went only with its device ' +
    '(docs/report.md#lifetimes-why-a-buffer-outlived-its-test)',
});

const CountBytes = () => Type.Object({
  buffers: Type.Integer({ minimum: 0 }),
  bytes: Type.Number({ minimum: 0 }),
}, { additionalProperties: false });

export const LifetimeExampleSchema = Type.Object({
  id: Type.Integer({ minimum: 0 }),
  device: Type.Integer({ minimum: 0 }),
  deviceKind: DeviceKind(),
  type: Ref('#/$defs/memType', MemTypeNameSchema),
  address: Type.Number({ minimum: 0 }),
  size: Type.Number({ minimum: 0 }),
  /** Sequence number of its allocation, and the op that made it. */
  seq: Type.Integer({ minimum: 0 }),
  op: Nullable('string'),
  /** Its free: sequence number, innermost op and scope; null while live or lost with its device. */
  freed: OrNull(Type.Object({
    seq: Type.Integer({ minimum: 0 }),
    op: Nullable('string'),
    scope: Nullable('string'),
  }, { additionalProperties: false })),
}, { additionalProperties: false });

export const LifetimeRowSchema = Type.Object({
  /** The harness scope (test, hook) that allocated them; null for buffers allocated outside any scope. */
  scope: Nullable('string'),
  class: LifetimeClassSchema,
  buffers: Type.Integer({ minimum: 1 }),
  bytes: Type.Number({ minimum: 0 }),
  /** The first few, in event order. */
  examples: Type.Array(LifetimeExampleSchema, { maxItems: LIFETIME_EXAMPLES }),
}, { additionalProperties: false });

export const LifetimesSchema = Type.Object({
  classes: Type.Object({
    /** Live when its device closed: never freed (upstream reports no free after a close). */
    deviceClose: CountBytes(),
    /** Freed after its scope ended, in a program's teardown (right after that program's CB release). */
    program: CountBytes(),
    /** Live when a trace was captured on its device, and that trace still held when its scope ended. */
    trace: CountBytes(),
    /** Freed after its scope ended, otherwise. */
    laterFree: CountBytes(),
    /** Still live at report time, its scope ended. */
    live: CountBytes(),
  }, { additionalProperties: false }),
  /** Per (scope, class), most bytes first. */
  byScope: Type.Array(LifetimeRowSchema),
}, { additionalProperties: false });

export const LeakSchema = Type.Object({
  id: Type.Integer({ minimum: 0 }),
  device: Type.Integer({ minimum: 0 }),
  type: Ref('#/$defs/memType', MemTypeNameSchema),
  address: Type.Number({ minimum: 0 }),
  block: Type.String({ pattern: '^0x[0-9a-f]+#[0-9]+$' }),
  size: Type.Number({ minimum: 0 }),
  seq: Type.Integer({ minimum: 0 }),
  op: Nullable('string'),
  scope: Nullable('string'),
  deviceKind: DeviceKind({ description: DEVICE_IDENTITY }),
  /** Live when its device closed (upstream reports no free after a close): lost with the device, not freed. */
  lostWithDevice: Type.Optional(Const(true, {
    description:
      'Live when its device closed (upstream reports no free after a close): lost with the device.',
  })),
  /** Set when its scope ended while it was live, or it was lost with its device (docs/report.md#lifetimes-why-a-buffer-outlived-its-test). */
  lifetime: Type.Optional(LifetimeClassSchema),
}, { additionalProperties: false });

export const DeviceRefSchema = Type.Object({
  id: Type.Integer({ minimum: 0 }),
  kind: DeviceKind({ description: DEVICE_IDENTITY }),
}, { additionalProperties: false });

export const DevicesByTypeSchema = Type.Object(byType(Type.Optional(Ref('#/$defs/deviceRef', DeviceRefSchema))), {
  additionalProperties: false,
});

export const OpReportSchema = Type.Object({
  name: Type.String(),
  calls: Type.Integer({ minimum: 0 }),
  peak: Ref('#/$defs/bytesByType', BytesByTypeSchema),
  /** The chip of each `peak` above 0. */
  peakDevice: Ref('#/$defs/devicesByType', DevicesByTypeSchema),
  devicePeak: Ref('#/$defs/bytesByType', BytesByTypeSchema),
  /** The chip of each `devicePeak` above 0. */
  devicePeakDevice: Ref('#/$defs/devicesByType', DevicesByTypeSchema),
  /** Suspicious frees (double, stale, untracked) while it ran: on the op's own thread, or in the scope. */
  suspiciousFrees: Type.Integer({
    minimum: 0,
    description: 'Double, stale and untracked frees while it ran (an op: on its own thread, innermost; a scope: innermost).',
  }),
}, {
  additionalProperties: false,
  description:
    "Per memory type, bytes per chip (CB: bytes per core): peak = most bytes the op's own allocations held at " +
    'once on one chip; devicePeak = highest usage a chip reached while it ran.',
});

export const OpSliceSchema = Type.Object({
  name: Type.String(),
  thread: Type.Integer({ minimum: 0 }),
  /** Ops open on this thread when it started (0 = outermost). */
  depth: Type.Integer({ minimum: 0 }),
  /** OpStart time, CLOCK_MONOTONIC ns (the clock of timeline points). */
  start: Type.Number({ minimum: 0 }),
  /** OpEnd time; null while the op is still open at report time. */
  end: Nullable('number', { minimum: 0 }),
}, { additionalProperties: false });

export const BlockerSchema = Type.Object({
  id: Type.Integer({ minimum: 0 }),
  /** The device whose range set holds it: the chip, or the mesh of a MeshBuffer's backing buffer. */
  device: Type.Integer({ minimum: 0 }),
  deviceKind: DeviceKind(),
  type: Ref('#/$defs/memType', MemTypeNameSchema),
  size: Type.Integer({ minimum: 0 }),
  /** [address, end): its range in one bank's address space (end = address + per-bank footprint). */
  address: Type.Integer({ minimum: 0 }),
  end: Type.Integer({ minimum: 0 }),
  op: Nullable('string'),
  scope: Nullable('string'),
  /** Its intersection with the window in question (CB region, or the cheapest window for a request). */
  overlap: Type.Object({
    start: Type.Integer({ minimum: 0 }),
    end: Type.Integer({ minimum: 0 }),
    bytes: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }),
}, {
  additionalProperties: false,
  description:
    'a live buffer in the way, with its overlap with the window in question',
});

export const CbHeadroomSchema = Type.Object({
  op: Nullable('string'),
  /** A chip (a mesh only when its chips are unknown). */
  device: Type.Integer({ minimum: 0 }),
  deviceKind: DeviceKind(),
  /** Program CB allocations of this op on this chip (a relaunch whose CBs stay allocated reports none). */
  launches: Type.Integer({ minimum: 0 }),
  /** Lowest occupied L1 address − static CB region end, at the tightest launch; null: no L1 buffer was live. */
  headroom: Nullable('integer'),
  cbRegionEnd: Type.Integer({ minimum: 0 }),
  lowestL1Address: Nullable('integer'),
  program: Nullable('integer'),
  seq: Type.Integer({ minimum: 0 }),
  time: Type.Integer({ minimum: 0 }),
  /** 'clash' below 0 (the runtime refuses the program), 'nearMiss' below `marginBytes`. */
  flag: Enum(['clash', 'nearMiss', null]),
}, { additionalProperties: false });

export const SnapshotCbSchema = Type.Object({
  program: Nullable('integer'),
  address: Type.Integer({ minimum: 0 }),
  /** Bytes per core. */
  size: Type.Integer({ minimum: 0 }),
  cores: Type.Integer({ minimum: 0 }),
  globallyAllocated: Type.Boolean(),
}, { additionalProperties: false });

export const L1SnapshotSchema = Type.Object({
  device: Type.Integer({ minimum: 0 }),
  deviceKind: DeviceKind(),
  seq: Type.Integer({ minimum: 0 }),
  time: Type.Integer({ minimum: 0 }),
  op: Nullable('string'),
  program: Nullable('integer'),
  cbRegionStart: Type.Integer({ minimum: 0 }),
  cbRegionEnd: Type.Integer({ minimum: 0 }),
  lowestL1Address: Type.Integer({ minimum: 0 }),
  headroom: Type.Integer(),
  circularBuffers: Type.Array(SnapshotCbSchema),
  /** Live L1 buffers, lowest first, at most 256; `overlap` is with the CB region (bytes 0: not in the way). */
  buffers: Type.Array(Ref('#/$defs/blocker', BlockerSchema)),
  omittedBuffers: Type.Integer({ minimum: 0 }),
}, { additionalProperties: false });

export const FragmentationReportSchema = Type.Object({
  device: Type.Integer({ minimum: 0 }),
  deviceKind: DeviceKind(),
  type: Ref('#/$defs/memType', MemTypeNameSchema),
  capacityPerBank: Type.Integer({ minimum: 0 }),
  /** Start of the allocatable range: announced by DeviceInfo, else derived; null: not known yet. */
  base: Nullable('integer'),
  /** Where `base` came from: DeviceInfo (the runtime's allocator), a first static CB, or a first allocation. */
  baseFrom: Enum(['deviceInfo', 'circularBuffer', 'firstAllocation', null]),
  freePerBank: Type.Integer(),
  largestFreeBlock: Nullable('integer'),
  freeBlocks: Nullable('integer'),
  lowestLargestFreeBlock: OrNull(Type.Object({
    bytes: Type.Integer({ minimum: 0 }),
    seq: Type.Integer({ minimum: 0 }),
    time: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false })),
  /** `[time ns, largest free block]` at each change, downsampled with every low point kept. */
  points: Type.Array(Pair()),
}, { additionalProperties: false });

export const FailureExplanationSchema = Type.Object({
  kind: Enum(['cbClash', 'outOfMemory']),
  /** 'events': negative headroom seen in the stream; 'error': an error passed to explainFailure(). */
  source: Enum(['events', 'error']),
  message: Nullable('string'),
  /** Devices the explanation fits (the runtime's messages name none). */
  devices: Type.Array(Ref('#/$defs/deviceRef', DeviceRefSchema)),
  type: Ref('#/$defs/memType', MemTypeNameSchema),
  program: Nullable('integer'),
  op: Nullable('string'),
  seq: Nullable('integer'),
  time: Nullable('integer'),
  cbRegionEnd: Type.Optional(Type.Integer({ minimum: 0 })),
  lowestL1Address: Type.Optional(Type.Integer({ minimum: 0 })),
  headroom: Type.Optional(Type.Integer()),
  /** outOfMemory: whether the request fit the total free space of a bank (fragmentation) or not. */
  cause: Type.Optional(Enum(['fragmentation', 'exhaustion', null])),
  requested: Type.Optional(Type.Integer({ minimum: 0 })),
  requestedPerBank: Type.Optional(Type.Integer({ minimum: 0 })),
  banks: Type.Optional(Type.Integer({ minimum: 0 })),
  freePerBank: Type.Optional(Nullable('integer')),
  largestFreeBlock: Type.Optional(Nullable('integer')),
  capacityPerBank: Type.Optional(Nullable('integer')),
  /** The address window whose buffers are listed: the CB region, or the request's cheapest place. */
  window: OrNull(Type.Object({
    start: Type.Integer({ minimum: 0 }),
    end: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false })),
  blockers: Type.Array(Ref('#/$defs/blocker', BlockerSchema)),
}, { additionalProperties: false });

export const EventCountsSchema = Type.Object({
  total: Type.Integer({ minimum: 0 }),
  alloc: Type.Integer({ minimum: 0 }),
  free: Type.Integer({ minimum: 0 }),
  cbAlloc: Type.Integer({ minimum: 0 }),
  cbRelease: Type.Integer({ minimum: 0 }),
  program: Type.Integer({ minimum: 0 }),
  opStart: Type.Integer({ minimum: 0 }),
  opEnd: Type.Integer({ minimum: 0 }),
  mark: Type.Integer({ minimum: 0 }),
  deviceInfo: Type.Integer({ minimum: 0 }),
  meshChip: Type.Integer({ minimum: 0 }),
  /** Records whose kind is not a known EventKind: counted, otherwise ignored. */
  unknown: Type.Integer({ minimum: 0 }),
  /** Records whose sequence number was lower than one consumed in an earlier batch. */
  outOfOrder: Type.Integer({ minimum: 0 }),
  /** Events lost by the native ring (report incomplete when > 0). */
  dropped: Type.Integer({ minimum: 0 }),
}, { additionalProperties: false });

export const ClassificationSchema = Type.Object({
  alloc: Type.Object({
    ok: Type.Integer({ minimum: 0 }),
    alias: Type.Integer({ minimum: 0 }),
    overlap: Type.Integer({ minimum: 0 }),
    duplicateAlloc: Type.Integer({ minimum: 0 }),
    invalid: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }),
  free: Type.Object({
    ok: Type.Integer({ minimum: 0 }),
    aliasFree: Type.Integer({ minimum: 0 }),
    doubleFree: Type.Integer({ minimum: 0 }),
    staleFree: Type.Integer({ minimum: 0 }),
    untrackedFree: Type.Integer({ minimum: 0 }),
    invalid: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

export const AnomaliesSchema = Type.Object({
  doubleFree: Type.Object({
    count: Type.Integer({ minimum: 0 }),
    afterReuse: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }),
  aliasFree: Type.Object({
    count: Type.Integer({ minimum: 0 }),
    view: Type.Integer({ minimum: 0 }),
    replica: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }),
  /**
   * `deviceClosed`: frees of buffers lost with their closed device; `displaced`: of buffers an owning allocation
   * displaced.
   */
  staleFree: Type.Object({
    count: Type.Integer({ minimum: 0 }),
    deviceClosed: Type.Integer({ minimum: 0 }),
    displaced: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }),
  untrackedFree: Type.Object({
    count: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }),
  overlap: Type.Object({
    count: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }),
  duplicateAlloc: Type.Object({
    count: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }),
  /** Allocations inside a live owner (tracked, not charged): a lifecycle fact, listed for completeness. */
  alias: Type.Object({
    count: Type.Integer({ minimum: 0 }),
    view: Type.Integer({ minimum: 0 }),
    replica: Type.Integer({ minimum: 0 }),
  }, { additionalProperties: false }),
  /** The first `examplesPerClass` examples of every class, in sequence order within a class. */
  examples: Type.Array(Ref('#/$defs/example', AnomalyExampleSchema)),
}, { additionalProperties: false });

export const LeakGroupSchema = Type.Object({
  op: Nullable('string'),
  scope: Nullable('string'),
  buffers: Type.Integer({ minimum: 0 }),
  bytes: Type.Number({ minimum: 0 }),
}, { additionalProperties: false });

export const LeakSummarySchema = Type.Object({
  /** Live owning buffers now plus those lost with a closed device. */
  buffers: Type.Integer({ minimum: 0 }),
  bytes: Type.Number({ minimum: 0 }),
  /** Leaks listed in `leaks` (largest first), at most `leakListLimit`. */
  listed: Type.Integer({ minimum: 0 }),
  groups: Type.Array(LeakGroupSchema),
  /** Of those, lost with a closed device. */
  lostWithDevice: Type.Object({
    buffers: Type.Number({ minimum: 0 }),
    bytes: Type.Number({ minimum: 0 }),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

export const OpSlicesSchema = Type.Object({
  /** Op calls not listed: past `opSliceLimit` or past the nesting bound of 256. */
  omitted: Type.Integer({ minimum: 0 }),
  /** The first `opSliceLimit` op calls, in start order. */
  slices: Type.Array(Ref('#/$defs/opSlice', OpSliceSchema)),
}, {
  additionalProperties: false,
  description:
    'the first opSliceLimit op calls with their start and end times (docs/report.md#opslices)',
});

export const TimelineSeriesSchema = Type.Object({
  device: Type.Integer({ minimum: 0 }),
  type: Ref('#/$defs/memType', MemTypeNameSchema),
  /** Samples taken before downsampling. */
  samples: Type.Integer({ minimum: 0 }),
  points: Type.Array(TimePoint()),
  deviceKind: DeviceKind({ description: DEVICE_IDENTITY }),
}, { additionalProperties: false });

const TimelineSchema = Type.Array(TimelineSeriesSchema);

export const ProcessTrackSchema = Type.Object({
  /** `pid 4242 thread 3`, or the report file merged. */
  label: Type.String({ description: 'the source: pid 4242 thread 3, or the report file merged' }),
  /** Test files the source ran (vitest), in run order; [] when not known. */
  files: Type.Array(Type.String(), { description: 'test files the source ran (vitest), in run order' }),
  timeline: Ref('#/properties/timeline', TimelineSchema),
  opSlices: Ref('#/properties/opSlices', OpSlicesSchema),
}, { additionalProperties: false });

export const LiveBufferSchema = Type.Object({
  id: Type.Integer({ minimum: 0 }),
  size: Type.Number({ minimum: 0 }),
  block: Type.String(),
  /** Sequence number of its allocation. */
  seq: Type.Integer({ minimum: 0 }),
  op: Nullable('string'),
  scope: Nullable('string'),
  /** Freed since the peak (true) or still live at report time (false). */
  freedAfterPeak: Type.Boolean(),
}, { additionalProperties: false });

export const LiveAtPeakSchema = Type.Object({
  device: Type.Integer({ minimum: 0 }),
  deviceKind: DeviceKind(),
  type: Ref('#/$defs/memType', MemTypeNameSchema),
  /** Bytes of owning buffers at the peak (each chip's for a mesh backing allocation). */
  peak: Type.Number({ minimum: 0 }),
  /** When (CLOCK_MONOTONIC ns, as timeline points). */
  time: Type.Number({ minimum: 0 }),
  /** Owning buffers live at the peak. */
  buffers: Type.Integer({ minimum: 0 }),
  /** The largest of them, largest first (at most 20). */
  listed: Type.Array(LiveBufferSchema, { maxItems: LIVE_AT_PEAK_LIMIT }),
  /** buffers − listed.length: live at the peak, not listed. */
  omitted: Type.Integer({ minimum: 0 }),
}, { additionalProperties: false });

export const WorstAddressSchema = Type.Object({
  device: Type.Integer({ minimum: 0 }),
  type: Ref('#/$defs/memType', MemTypeNameSchema),
  address: Type.Number({ minimum: 0 }),
  /** Frees at this address the classification could not match with an allocation. */
  excessFrees: Type.Integer({ minimum: 1 }),
  deviceKind: DeviceKind({ description: DEVICE_IDENTITY }),
}, { additionalProperties: false });

export const SummarySchema = Type.Object({
  allocs: Type.Integer({ minimum: 0 }),
  frees: Type.Integer({ minimum: 0 }),
  /** doubleFree + staleFree + untrackedFree: frees no lifecycle explains. */
  suspiciousFrees: Type.Integer({ minimum: 0 }),
  /** aliasFree: frees of views and mesh replicas, explained by ownership. */
  aliasFrees: Type.Integer({ minimum: 0 }),
  /** Distinct buffer ids with a suspicious free. */
  affectedBuffers: Type.Integer({ minimum: 0 }),
  /** (frees − allocs) / allocs; 0 when there were no allocations. Negative when fewer frees. */
  excessFreeRate: Type.Number({ minimum: 0 }),
  worstAddress: OrNull(WorstAddressSchema),
}, { additionalProperties: false });

export const CircularBufferBasisSchema = Type.Object({
  /** CB sizes are per core of the CB's core range (`track_allocate_cb`'s size). */
  unit: Const('bytes per core'),
  /**
   * `live`: the stream reports CB releases (TT-Metal since 2026-04-19), so current is what is held.
   * `allocated since program creation`: it never did (earlier TT-Metal): current only grows.
   */
  basis: Enum(['live', 'allocated since program creation']),
}, {
  additionalProperties: false,
  description:
    'How CB figures read: bytes per core; live only when the stream reports CB releases (TT-Metal since ' +
    '2026-04-19).',
});

export const ProcessorReportSchema = Type.Object({
  runtime: Enum(['simulator', 'tt-metal']),
  /** TT-Metal API generation the build's features place it in (docs/tt-metal.md). */
  generation: Type.String(),
  registration: Enum(['global', 'thread', 'background']),
  /** TT_ALLOC_HAVE_* features compiled in (camelCase, e.g. threadLocalProcessors). */
  features: Type.Array(Type.String()),
  /** Threads holding the per-thread processor (0 where processors are process-wide). */
  attachedThreads: Type.Integer({ minimum: 0 }),
  /** complete: every event of every thread; partial: see gaps; none: detached. */
  coverage: Enum(['complete', 'partial', 'none']),
  /** Event kinds (names as in `events`) that can be missing, and from which threads. */
  gaps: Type.Array(Type.Object({
    events: Type.Array(Type.String()),
    threads: Enum(['unattached', 'all']),
  }, { additionalProperties: false })),
}, {
  additionalProperties: false,
  description:
    'How the graph-tracking processor is registered and which events can be missing from which threads (docs/tt-' +
    'metal.md).',
});

export const L1ReportSchema = Type.Object({
  marginBytes: Type.Integer({ minimum: 0 }),
  headroom: Type.Array(Ref('#/$defs/cbHeadroom', CbHeadroomSchema)),
  tightest: Type.Array(Ref('#/$defs/l1Snapshot', L1SnapshotSchema)),
  /** One series per device as CbAlloc events name it (a mesh: its tightest chip at each launch). */
  headroomSeries: Type.Array(Type.Object({
    device: Type.Integer({ minimum: 0 }),
    deviceKind: DeviceKind(),
    samples: Type.Integer({ minimum: 0 }),
    points: Type.Array(Pair()),
  }, { additionalProperties: false })),
  fragmentation: Type.Array(Ref('#/$defs/fragmentation', FragmentationReportSchema)),
  failures: Type.Array(Ref('#/$defs/failure', FailureExplanationSchema)),
  failuresOmitted: Type.Integer({ minimum: 0 }),
}, {
  additionalProperties: false,
  description:
    "CB headroom per op and chip, each chip's tightest moment, fragmentation, failure explanations (docs/l1.md)",
});

export const ReportSchema = Type.Object({
  schema: Const(REPORT_SCHEMA),
  /** No event of the stream this report covers (since enable() or reset() in this environment) was dropped. */
  complete: Type.Boolean({
    description:
      'No event of the stream this report covers (since enable() or reset() in this environment) was dropped.',
  }),
  events: EventCountsSchema,
  classes: ClassificationSchema,
  devices: Type.Array(Ref('#/$defs/device', DeviceReportSchema)),
  anomalies: AnomaliesSchema,
  leaks: Type.Array(Ref('#/$defs/leak', LeakSchema)),
  leakSummary: LeakSummarySchema,
  ops: Type.Array(Ref('#/$defs/peakRow', OpReportSchema)),
  scopes: Type.Array(Ref('#/$defs/peakRow', OpReportSchema)),
  opSlices: OpSlicesSchema,
  timeline: TimelineSchema,
  /** Merged reports only: one track per source process (docs/report.md#merging-reports). */
  processes: Type.Optional(Type.Array(ProcessTrackSchema, {
    description:
      'merged reports only: each source process (or worker thread) with its own timeline and op slices, which ' +
      'cannot be added up (docs/report.md#merging-reports)',
  })),
  /** Per device × type, the buffers live at the peak (docs/report.md#liveatpeak-what-was-live-at-the-peak). */
  liveAtPeak: Type.Optional(Type.Array(LiveAtPeakSchema, {
    description:
      'per device x memory type, the owning buffers live when its usage first reached its peak, largest first ' +
      '(docs/report.md#liveatpeak-what-was-live-at-the-peak)',
  })),
  summary: SummarySchema,
  circularBuffers: CircularBufferBasisSchema,
  /** Present in reports of a live process (tracker report()); absent in replayed or merged ones. */
  processor: Type.Optional(ProcessorReportSchema),
  /** CB headroom, fragmentation and failure explanations; absent from reports of earlier versions. */
  l1: Type.Optional(L1ReportSchema),
  /** Why buffers outlived the scope that made them; absent from reports of earlier versions. */
  lifetimes: Type.Optional(LifetimesSchema),
}, {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://github.com/tt-alloc-tracker/tt-alloc-tracker/docs/report.schema.json',
  title: 'tt-alloc-tracker report v2',
  description: 'The object returned by report(). See docs/report.md.',
  additionalProperties: false,
  $defs: {
    memType: MemTypeNameSchema,
    usage: MemoryUsageSchema,
    bytesByType: BytesByTypeSchema,
    device: DeviceReportSchema,
    site: SiteSchema,
    example: AnomalyExampleSchema,
    leak: LeakSchema,
    peakRow: OpReportSchema,
    opSlice: OpSliceSchema,
    timedSite: TimedSiteSchema,
    deviceRef: DeviceRefSchema,
    devicesByType: DevicesByTypeSchema,
    blocker: BlockerSchema,
    cbHeadroom: CbHeadroomSchema,
    l1Snapshot: L1SnapshotSchema,
    fragmentation: FragmentationReportSchema,
    failure: FailureExplanationSchema,
    lifetimeRow: LifetimeRowSchema,
  },
});


/** Keywords in the order a reader wants them (TypeBox's own order puts options first); others follow. */
const KEYWORD_ORDER = [
  '$schema', '$id', 'title', 'description', 'type', 'const', 'enum', 'oneOf', '$ref', 'minimum', 'pattern',
  'prefixItems', 'items', 'minItems', 'maxItems', 'properties', 'required', 'additionalProperties', '$defs',
];

/** A schema object with its keywords in KEYWORD_ORDER; the names under properties and $defs keep their order. */
function ordered(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(ordered);
  if (schema === null || typeof schema !== 'object') return schema;
  const record = schema as Record<string, unknown>;
  const rank = (key: string) => (KEYWORD_ORDER.includes(key) ? KEYWORD_ORDER.indexOf(key) : KEYWORD_ORDER.length);
  const keys = Object.keys(record).sort((a, b) => rank(a) - rank(b));
  return Object.fromEntries(keys.map((key) => {
    const value = record[key];
    if ((key === 'properties' || key === '$defs') && value !== null && typeof value === 'object') {
      return [key, Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, ordered(sub)]))];
    }
    return [key, ordered(value)];
  }));
}

/** docs/report.schema.json's text: ReportSchema as JSON, two-space indented (scripts/write-report-schema.js). */
export function reportSchemaText(): string {
  return `${JSON.stringify(ordered(ReportSchema), null, 2)}\n`;
}
