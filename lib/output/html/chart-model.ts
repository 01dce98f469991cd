/**
 * What the HTML page charts: per process track (one for a single report, one per process of a merged
 * report), one chart per memory type, one line per group of devices with identical usage over time.
 */
import { MEM_TYPE_NAMES, type MemTypeName } from '../../events/format';
import type { DeviceReport, Report, TimelineSeries } from '../../report/types';
import { groupSeries } from '../device-groups';

export interface ChartLine {
  label: string;
  kind: DeviceReport['kind'];
  ids: number[];
  samples: number;
  points: [number, number][];
  /** Highest bytes of the line and the first time it was reached (CLOCK_MONOTONIC ns). */
  peak: number;
  peakTime: number;
}

export interface TypeChart {
  type: MemTypeName;
  lines: ChartLine[];
}

export interface TrackCharts {
  /** '' for a single report; `pid 4242 thread 3` in a merged one. */
  label: string;
  files: string[];
  charts: TypeChart[];
}

function chartsOf(timeline: readonly TimelineSeries[]): TypeChart[] {
  const charts: TypeChart[] = [];
  for (const type of MEM_TYPE_NAMES) {
    const groups = groupSeries(timeline, type);
    if (groups.length === 0) continue;
    charts.push({
      type,
      lines: groups.map((g) => {
        let top = 0;
        g.points.forEach((p, i) => { if (p[1] > g.points[top][1]) top = i; });
        return { ...g, peak: g.points[top]?.[1] ?? 0, peakTime: g.points[top]?.[0] ?? 0 };
      }),
    });
  }
  return charts;
}

export function chartModel(report: Report): TrackCharts[] {
  if (!report.processes) return [{ label: '', files: [], charts: chartsOf(report.timeline) }];
  return report.processes.map((p) => ({ label: p.label, files: p.files, charts: chartsOf(p.timeline) }));
}
