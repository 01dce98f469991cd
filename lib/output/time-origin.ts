/** The time exporters count from: the earliest time the report carries. */
import type { Report } from '../report/types';

/** Earliest CLOCK_MONOTONIC ns among timeline points and op slice starts (a merged report's process tracks too) and anomaly times; 0 when none. */
export function timeOrigin(report: Report): number {
  let origin = Infinity;
  for (const track of [report, ...(report.processes ?? [])]) {
    for (const s of track.timeline) for (const [t] of s.points) if (t < origin) origin = t;
    for (const s of track.opSlices.slices) if (s.start < origin) origin = s.start;
  }
  for (const e of report.anomalies.examples) if (e.offending.time < origin) origin = e.offending.time;
  return Number.isFinite(origin) ? origin : 0;
}
