/**
 * CB headroom per op and chip: at every program's CB allocation, the lowest occupied L1 address minus
 * the end of the program's static CB region, the minimum kept over the op's calls. Upstream's check is
 * `ProgramImpl::validate_circular_buffer_region` (tt_metal/impl/program/program.cpp): it throws when
 * `device->lowest_occupied_compute_l1_address()` is below a core range's CB region end, and skips the
 * check when no L1 buffer is allocated (headroom null here).
 */
import type { CbHeadroom } from '../report/types';
import { nameOf } from './leaks';

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
  /** op name id → chip → row. */
  private readonly rows = new Map<number, Map<number, Row>>();

  /**
   * One evaluation at a CB allocation. `newLaunch`: the first evaluation of this program's CB
   * allocation on this chip (counts one launch). A null headroom (no L1 buffer live) never replaces a number.
   */
  note(op: number, device: number, headroom: number | null, cbRegionEnd: number, lowest: number | null, program: number | null, seq: number, time: number, newLaunch: boolean): void {
    let byChip = this.rows.get(op);
    if (!byChip) this.rows.set(op, (byChip = new Map()));
    const row = byChip.get(device);
    if (!row) {
      byChip.set(device, { op, device, launches: 1, headroom, cbRegionEnd, lowest, program, seq, time });
      return;
    }
    if (newLaunch) row.launches++;
    const tighter = headroom !== null && (row.headroom === null || headroom < row.headroom);
    // Within one launch the region only grows: a later CB of the same launch with equal headroom still
    // has the larger region end, so the row follows it while no number is known yet.
    if (tighter || (row.headroom === null && headroom === null && cbRegionEnd > row.cbRegionEnd)) {
      Object.assign(row, { headroom, cbRegionEnd, lowest, program, seq, time });
    }
  }

  /** Rows sorted tightest first (null headroom last), then op name and chip; flagged against `margin`. */
  report(names: readonly string[], margin: number): CbHeadroom[] {
    const out: CbHeadroom[] = [];
    for (const byChip of this.rows.values()) {
      for (const r of byChip.values()) {
        out.push({
          op: nameOf(names, r.op),
          device: r.device,
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
    return out.sort((a, b) => key(a.headroom) - key(b.headroom) || (a.op ?? '').localeCompare(b.op ?? '') || a.device - b.device);
  }
}

/** 'clash' below zero (the runtime refuses the program), 'nearMiss' under the margin, else null. */
export function flagOf(headroom: number | null, margin: number): 'clash' | 'nearMiss' | null {
  if (headroom === null) return null;
  if (headroom < 0) return 'clash';
  return headroom < margin ? 'nearMiss' : null;
}
