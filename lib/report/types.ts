import type { MemTypeName } from '../events/format';

export const REPORT_SCHEMA = 'tt-alloc-tracker/report@1';

export interface MemoryUsage {
  current: number;
  peak: number;
  allocated: number;
  freed: number;
  liveBuffers: number;
}

export interface DeviceReport {
  id: number;
  kind: 'chip' | 'mesh';
  chips?: number[];
  memory: Record<MemTypeName, MemoryUsage>;
}

export interface EventCounts {
  total: number;
  alloc: number;
  free: number;
  cbAlloc: number;
  program: number;
  dropped: number;
}

/** Report v1: plain, JSON-serialisable (docs/report.md). */
export interface Report {
  schema: typeof REPORT_SCHEMA;
  complete: boolean;
  events: EventCounts;
  devices: DeviceReport[];
}
