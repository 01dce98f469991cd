/**
 * The report's static types, derived from the schema objects in ./schema.ts (the one definition of
 * the report's shape; docs/report.md explains each field). Type-only import: loading these types
 * loads no schema code.
 */
import type { Static } from '@sinclair/typebox';
import type * as S from './schema';

export const REPORT_SCHEMA = 'tt-alloc-tracker/report@2';

/** Bytes and counts of one memory type on one device (docs/report.md#devices). */
export type MemoryUsage = Static<typeof S.MemoryUsageSchema>;
export type MemoryByType = Static<typeof S.MemoryByTypeSchema>;
export type BytesByType = Static<typeof S.BytesByTypeSchema>;

/** A device is the pair (id, kind): upstream chip ids and mesh ids both start at 0. */
export type DeviceKind = DeviceRef['kind'];
export type DeviceRef = Static<typeof S.DeviceRefSchema>;
/** The device where a per-type figure happened; only types with a figure above 0. */
export type DevicesByType = Static<typeof S.DevicesByTypeSchema>;
export type DeviceReport = Static<typeof S.DeviceReportSchema>;
export type EventCounts = Static<typeof S.EventCountsSchema>;
/** How every Alloc and Free event was classified; each event lands in exactly one field. */
export type Classification = Static<typeof S.ClassificationSchema>;
/** Where one event happened: its sequence number, thread, innermost op and harness scope. */
export type Site = Static<typeof S.SiteSchema>;
/** The offending event's site, with its time (CLOCK_MONOTONIC ns, as timeline points): where a trace viewer puts it. */
export type TimedSite = Static<typeof S.TimedSiteSchema>;
/** Another buffer named by an example: the owner of an alias, the new owner of a reused range. */
export type RelatedBuffer = Static<typeof S.RelatedBufferSchema>;
export type AnomalyClass = AnomalyExample['class'];
export type AnomalySubkind = NonNullable<AnomalyExample['subkind']>;
/**
 * One classified event with the story of its buffer, like AddressSanitizer's report of a double
 * free: where the buffer was allocated, where it was first freed, and the offending event.
 */
export type AnomalyExample = Static<typeof S.AnomalyExampleSchema>;
export type Anomalies = Static<typeof S.AnomaliesSchema>;
export type Leak = Static<typeof S.LeakSchema>;
/** Why a buffer outlived the harness scope that allocated it (docs/report.md#lifetimes-why-a-buffer-outlived-its-test). */
export type LifetimeClass = Static<typeof S.LifetimeClassSchema>;
export type LifetimeExample = Static<typeof S.LifetimeExampleSchema>;
export type LifetimeRow = Static<typeof S.LifetimeRowSchema>;
export type Lifetimes = Static<typeof S.LifetimesSchema>;
/** Live owning allocations of one (op, scope) pair. */
export type LeakGroup = Static<typeof S.LeakGroupSchema>;
export type LeakSummary = Static<typeof S.LeakSummarySchema>;
/**
 * Per memory type, in bytes per chip (CB: bytes per core), over all calls (docs/report.md#ops-and-scopes):
 * `peak` = the most bytes that allocations made inside the op held at once on one chip (frees of
 * earlier memory do not offset it); `devicePeak` = the highest usage a chip reached while it ran.
 */
export type OpReport = Static<typeof S.OpReportSchema>;
export type ScopeReport = OpReport;
/** One op call: OpStart to OpEnd on one thread (docs/report.md#opslices). */
export type OpSlice = Static<typeof S.OpSliceSchema>;
export type OpSlices = Static<typeof S.OpSlicesSchema>;
/** `[time ns, current bytes]` pairs of one device × type, downsampled with every peak kept. */
export type TimelineSeries = Static<typeof S.TimelineSeriesSchema>;
export type WorstAddress = Static<typeof S.WorstAddressSchema>;
/**
 * The vocabulary of the out-of-process allocation server this tracker replaces (fed over a Unix
 * socket), computed from the classification (docs/report.md#summary).
 */
export type Summary = Static<typeof S.SummarySchema>;
/** A buffer live at a peak (docs/report.md#liveatpeak-what-was-live-at-the-peak). */
export type LiveBuffer = Static<typeof S.LiveBufferSchema>;
/**
 * What was live on one device × memory type when its usage first reached its peak (owning buffers;
 * CBs have no buffer objects and are not listed). Sizes of all `buffers` add up to `peak`.
 */
export type LiveAtPeak = Static<typeof S.LiveAtPeakSchema>;
/**
 * One source process (or vitest worker thread) of a merged report: its timeline and op slices, which
 * cannot be added up across processes. Times are CLOCK_MONOTONIC ns, one clock per host, so the
 * tracks of processes of one machine share a time axis.
 */
export type ProcessTrack = Static<typeof S.ProcessTrackSchema>;
/** How CB figures are to be read (docs/report.md#circular-buffers-memorycb-circularbuffers). */
export type CircularBufferBasis = Static<typeof S.CircularBufferBasisSchema>;
/** How the graph-tracking processor is registered and what it can miss (lib/processor-report.ts). */
export type ProcessorReport = Static<typeof S.ProcessorReportSchema>;
/** A live buffer in the way of a CB region or of a failed allocation (docs/report.md#l1). */
export type Blocker = Static<typeof S.BlockerSchema>;
/** CB headroom of one op on one chip: the minimum over its launches (docs/report.md#l1). */
export type CbHeadroom = Static<typeof S.CbHeadroomSchema>;
export type SnapshotCb = Static<typeof S.SnapshotCbSchema>;
/** One chip's L1 at its tightest CB allocation: the program's CBs and the live L1 buffers, lowest first. */
export type L1Snapshot = Static<typeof S.L1SnapshotSchema>;
/** Free space of one device × memory type in one bank's address space (docs/report.md#l1). */
export type FragmentationReport = Static<typeof S.FragmentationReportSchema>;
/** Why an allocation failed, or a CB region clashed: the live buffers in the way (docs/report.md#l1). */
export type FailureExplanation = Static<typeof S.FailureExplanationSchema>;
/** CB headroom, the tightest moments, fragmentation and failure explanations (docs/report.md#l1). */
export type L1Report = Static<typeof S.L1ReportSchema>;
/** The report: plain, JSON-serialisable (docs/report.md, docs/report.schema.json). */
export type Report = Static<typeof S.ReportSchema>;
