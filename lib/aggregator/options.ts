/** Aggregator options: defaults and validation at the boundary (lib/validate.ts vocabulary). */
import { expectInteger, expectKnownKeys, expectObject } from '../validate';

export interface AggregatorOptions {
  /**
   * Points kept per device × memory type timeline. When full, every group of four points is reduced
   * to its lowest and highest, so each peak survives exactly. At least 4.
   * @default 2000
   */
  timelinePoints?: number;
  /**
   * Examples kept per anomaly class (the first ones, in sequence order).
   * @default 20
   */
  examplesPerClass?: number;
  /**
   * Freed buffers whose allocation and free sites are remembered for double-free examples. Older
   * ones are still recognised as freed (a bitset of seen ids), only their sites are forgotten.
   * @default 65536
   */
  freedHistory?: number;
  /**
   * Leaks listed individually in the report (largest first); all of them are counted and grouped.
   * @default 1000
   */
  leakListLimit?: number;
  /**
   * Op calls whose start and end times are kept for trace viewers (`opSlices`), the first ones in
   * start order; later calls are counted in `opSlices.omitted`. 0 keeps none.
   * @default 10000
   */
  opSliceLimit?: number;
  /**
   * Bytes of CB headroom (lowest L1 buffer − static CB region end) under which an op is flagged as a
   * near miss (`l1.headroom[].flag`). 0 flags clashes only.
   * @default 65536
   */
  cbHeadroomMargin?: number;
}

export type ResolvedAggregatorOptions = Required<AggregatorOptions>;

export const DEFAULT_AGGREGATOR_OPTIONS: Readonly<ResolvedAggregatorOptions> = Object.freeze({
  timelinePoints: 2000,
  examplesPerClass: 20,
  freedHistory: 65536,
  leakListLimit: 1000,
  opSliceLimit: 10000,
  // 64 KiB: 32 bf16 tiles per core, ~4% of a Wormhole core's 1464 KiB L1.
  cbHeadroomMargin: 65536,
});

const OPTION_NAMES = ['timelinePoints', 'examplesPerClass', 'freedHistory', 'leakListLimit', 'opSliceLimit', 'cbHeadroomMargin'] as const;
// Bounds keep every structure bounded: 1e6 points × 16 bytes × (devices × types) is the most a
// timeline may hold; 2^24 remembered frees is ~2 GiB of sites, past any sane use.
const TIMELINE_MIN = 4;
const TIMELINE_MAX = 1_000_000;
const EXAMPLES_MAX = 10_000;
const HISTORY_MAX = 2 ** 24;
const LEAK_LIST_MAX = 10_000_000;
// A slice is ~100 bytes of report JSON: 1e6 slices is a 100 MB report, past what a viewer loads well.
const OP_SLICE_MAX = 1_000_000;
// 2^31: past the L1 of any core (Blackhole: 1.5 MiB), so any larger margin is a mistake.
const MARGIN_MAX = 2 ** 31;

export function resolveAggregatorOptions(options: unknown): ResolvedAggregatorOptions {
  if (options === undefined) return { ...DEFAULT_AGGREGATOR_OPTIONS };
  const o = expectObject('Aggregator options', options);
  expectKnownKeys('Aggregator', o, OPTION_NAMES);
  const d = DEFAULT_AGGREGATOR_OPTIONS;
  return {
    timelinePoints: o.timelinePoints === undefined ? d.timelinePoints : expectInteger('timelinePoints', o.timelinePoints, TIMELINE_MIN, TIMELINE_MAX),
    examplesPerClass: o.examplesPerClass === undefined ? d.examplesPerClass : expectInteger('examplesPerClass', o.examplesPerClass, 0, EXAMPLES_MAX),
    freedHistory: o.freedHistory === undefined ? d.freedHistory : expectInteger('freedHistory', o.freedHistory, 0, HISTORY_MAX),
    leakListLimit: o.leakListLimit === undefined ? d.leakListLimit : expectInteger('leakListLimit', o.leakListLimit, 0, LEAK_LIST_MAX),
    opSliceLimit: o.opSliceLimit === undefined ? d.opSliceLimit : expectInteger('opSliceLimit', o.opSliceLimit, 0, OP_SLICE_MAX),
    cbHeadroomMargin: o.cbHeadroomMargin === undefined ? d.cbHeadroomMargin : expectInteger('cbHeadroomMargin', o.cbHeadroomMargin, 0, MARGIN_MAX),
  };
}
