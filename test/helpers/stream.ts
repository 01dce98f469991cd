/** Hand-built event streams for aggregator tests: plain records in, a report out. */
import { Aggregator, type AggregatorOptions } from '../../lib/aggregator/aggregator';
import { EventBatch, EventKind, Flag, MemType, encodeRecords, type EventRecord } from '../../lib/events/format';
import type { Report } from '../../lib/report/types';

export { EventKind, Flag, MemType };

type Fields = Partial<EventRecord>;

export const alloc = (objectId: number, address: number, size: number, more: Fields = {}): Fields =>
  ({ kind: EventKind.Alloc, objectId, address, size, device: 0, memType: MemType.DRAM, ...more });
export const free = (objectId: number, address: number, size: number, more: Fields = {}): Fields =>
  ({ kind: EventKind.Free, objectId, address, size, device: 0, memType: MemType.DRAM, ...more });
export const meshChip = (mesh: number, chip: number, index: number, count: number): Fields =>
  ({ kind: EventKind.MeshChip, device: mesh, objectId: chip, aux: index, size: count, flags: Flag.MeshDevice });
/** Fields of an event on mesh `id` (format v2: MeshDevice on every event of a mesh). */
export const onMesh = (id: number, more: Fields = {}): Fields => ({ device: id, ...more, flags: Flag.MeshDevice | (more.flags ?? 0) });
/** DeviceInfo of one memory type, as the processor announces a device object (again when a new object appears under the id). */
export const deviceInfo = (device: number, memType: number, capacity: number, banks: number, more: Fields = {}): Fields =>
  ({ kind: EventKind.DeviceInfo, device, memType, size: capacity, aux: banks, ...more });
export const cbAlloc = (device: number, program: number, size: number, more: Fields = {}): Fields =>
  ({ kind: EventKind.CbAlloc, device, objectId: program, size, memType: MemType.CB, ...more });
export const program = (device: number, programId: number, more: Fields = {}): Fields =>
  ({ kind: EventKind.Program, device, objectId: programId, ...more });
export const cbRelease = (device: number): Fields => ({ kind: EventKind.CbRelease, device });
export const opStart = (nameId: number, thread = 1): Fields => ({ kind: EventKind.OpStart, aux: nameId, thread });
export const opEnd = (thread = 1): Fields => ({ kind: EventKind.OpEnd, thread });
export const scopeBegin = (token: number, nameId: number): Fields => ({ kind: EventKind.Mark, objectId: token, aux: nameId });
export const scopeEnd = (token: number): Fields => ({ kind: EventKind.Mark, objectId: token, flags: Flag.ScopeEnd });

/** Feeds `records` (seq and time = position unless given) to a new aggregator. */
export function aggregate(records: Fields[], options?: AggregatorOptions, names: string[] = []): { agg: Aggregator; report: Report } {
  const agg = new Aggregator(options);
  if (names.length > 0) agg.addNames(1, names);
  agg.consume(new EventBatch(encodeRecords(records)));
  return { agg, report: agg.report({ dropped: 0 }) };
}

/** Feeds further records to `agg`, numbering seq/time after `start`. */
export function feed(agg: Aggregator, records: Fields[], start: number): void {
  agg.consume(new EventBatch(encodeRecords(records.map((r, k) => ({ seq: start + k, time: start + k, ...r })))));
}

/** The device row (id, kind); without `kind`, the only row with that id. */
export function deviceOf(report: Report, id: number, kind?: 'chip' | 'mesh') {
  const rows = report.devices.filter((x) => x.id === id && (kind === undefined || x.kind === kind));
  if (rows.length !== 1) throw new Error(`${rows.length} rows for device ${kind ?? ''} ${id} in report`);
  return rows[0];
}

/** Anomaly counts other than the named ones must be zero. */
export function otherAnomalyCounts(report: Report, except: string[]): Record<string, number> {
  const a = report.anomalies;
  const all: Record<string, number> = {
    doubleFree: a.doubleFree.count, aliasFree: a.aliasFree.count, staleFree: a.staleFree.count,
    untrackedFree: a.untrackedFree.count, overlap: a.overlap.count, duplicateAlloc: a.duplicateAlloc.count, alias: a.alias.count,
  };
  for (const k of except) delete all[k];
  return all;
}

export const zeros = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, 0]));
