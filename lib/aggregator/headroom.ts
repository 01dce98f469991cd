/**
 * CB headroom per op and chip: at every program's CB allocation, the lowest occupied L1 address minus
 * the end of the program's static CB region, the minimum kept over the op's calls. Upstream's check is
 * `ProgramImpl::validate_circular_buffer_region` (tt_metal/impl/program/program.cpp): it throws when
 * `device->lowest_occupied_compute_l1_address()` is below a core range's CB region end, and skips the
 * check when no L1 buffer is allocated (headroom null here).
 */
import type { CbHeadroom } from '../report/types';
import { keyId, keyKind } from './device-key';
import { DeviceSlots } from './device-slots';
import { nameOf } from './leaks';

/** Op name ids below this are looked up in an array; above (no interned name table is that large), in the Map. */
const BY_OP_LIMIT = 1 << 20;

interface Row {
  op: number;
  device: number;
  launches: number;
  headroom: number | null;
  cbRegionEnd: number;
  lowest: number | null;
  program: number | null;
  seq: number;
  time: number;
}

export class HeadroomTable {
  /** op name id → chip → row, in the order ops were first noted (the report's order before sorting). */
  private readonly rows = new Map<number, DeviceSlots<Row>>();
  /** The same by op name id (interned ids are small and dense): an indexed load instead of a hash probe per launch. */
  private readonly byOp: (DeviceSlots<Row> | undefined)[] = [];
  // The last op's rows: a launch notes every chip of a mesh under one op.
  private lastOp = -1;
  private lastRows: DeviceSlots<Row> | undefined;

  /** One launch's CB allocation on one chip. A null headroom (no L1 buffer live) never replaces a number. */
  note(op: number, device: number, headroom: number | null, cbRegionEnd: number, lowest: number | null, program: number | null, seq: number, time: number): void {
    let byChip = op === this.lastOp ? this.lastRows : op < BY_OP_LIMIT ? this.byOp[op] : this.rows.get(op);
    if (!byChip) {
      this.rows.set(op, (byChip = new DeviceSlots()));
      if (op < BY_OP_LIMIT) this.byOp[op] = byChip;
    }
    this.lastOp = op;
    this.lastRows = byChip;
    const row = byChip.get(device);
    if (!row) {
      byChip.set(device, { op, device, launches: 1, headroom, cbRegionEnd, lowest, program, seq, time });
      return;
    }
    row.launches++;
    const tighter = headroom !== null && (row.headroom === null || headroom < row.headroom);
    if (tighter || (row.headroom === null && headroom === null && cbRegionEnd > row.cbRegionEnd)) {
      Object.assign(row, { headroom, cbRegionEnd, lowest, program, seq, time });
    }
  }

  /**
   * Rows sorted tightest first (null headroom last), then op name and chip; flagged against `margin`.
   * `meshRows` (noted under mesh ids) are expanded to each chip of the mesh and merged with this
   * table's rows: the lower headroom (the earlier on a tie), launches added.
   */
  report(names: readonly string[], margin: number, meshRows?: HeadroomTable, chipsOf?: (mesh: number) => readonly number[]): CbHeadroom[] {
    const merged = new Map<number, Map<number, Row>>();
    const add = (r: Row, device: number) => {
      let byChip = merged.get(r.op);
      if (!byChip) merged.set(r.op, (byChip = new Map()));
      const m = byChip.get(device);
      if (!m) {
        byChip.set(device, { ...r, device });
        return;
      }
      const launches = m.launches + r.launches;
      const key = (h: number | null) => (h === null ? Infinity : h);
      if (key(r.headroom) < key(m.headroom) || (key(r.headroom) === key(m.headroom) && r.seq < m.seq)) Object.assign(m, r, { device });
      m.launches = launches;
    };
    for (const byChip of this.rows.values()) for (const [, r] of byChip.entries()) add(r, r.device);
    if (meshRows && chipsOf) {
      for (const byMesh of meshRows.rows.values()) for (const [, r] of byMesh.entries()) for (const chip of chipsOf(r.device)) add(r, chip);
    }
    const out: CbHeadroom[] = [];
    for (const byChip of merged.values()) {
      for (const r of byChip.values()) {
        out.push({
          op: nameOf(names, r.op),
          device: keyId(r.device),
          deviceKind: keyKind(r.device),
          launches: r.launches,
          headroom: r.headroom,
          cbRegionEnd: r.cbRegionEnd,
          lowestL1Address: r.lowest,
          program: r.program,
          seq: r.seq,
          time: r.time,
          flag: flagOf(r.headroom, margin),
        });
      }
    }
    const key = (h: number | null) => (h === null ? Infinity : h);
    return out.sort((a, b) => key(a.headroom) - key(b.headroom) || (a.op ?? '').localeCompare(b.op ?? '') ||
      a.deviceKind.localeCompare(b.deviceKind) || a.device - b.device);
  }
}

/** 'clash' below zero (the runtime refuses the program), 'nearMiss' under the margin, else null. */
export function flagOf(headroom: number | null, margin: number): 'clash' | 'nearMiss' | null {
  if (headroom === null) return null;
  if (headroom < 0) return 'clash';
  return headroom < margin ? 'nearMiss' : null;
}
