/**
 * Circular buffers, as each TT-Metal generation reports them (docs/report.md#circular-buffers-memorycb-circularbuffers).
 * A CB's size is its bytes on each core of its core range (`track_allocate_cb(core_range_set, addr,
 * size, ...)`, program.cpp `ProgramImpl::allocate_circular_buffers`): CB figures are bytes per core.
 *
 * - Up to 2026-04-18: `track_allocate_cb` once per program (again only after invalidation) and no
 *   `track_deallocate_cb` anywhere: nothing is ever released, usage is "allocated since program creation".
 * - Since 2026-04-19 (PR #37218): once per program per chip; `ProgramImpl::~ProgramImpl` →
 *   `deallocate_circular_buffers()` calls `track_deallocate_cb(device)` once per chip the program
 *   allocated on. The callback names no program, and CBs of several programs live at once, so a
 *   release takes the CBs of one program: the program of the newest CB on that device (C++ objects
 *   die in reverse order of creation; at a device close every program goes, in any order, and the
 *   total is exact either way). CbAllocs name their program with the HasProgram flag; those that
 *   name none group by runs between Program launches.
 * A launch releases nothing: CBs of several programs live at once.
 */

import { DeviceSlots } from './device-slots';

export interface CbRelease {
  (device: number, bytes: number, chips: readonly number[] | null, ordinal: number, thread: number): void;
}

/** Parallel lists of `count` live CBs, in allocation order; entries past `count` are stale. */
class DeviceCbs {
  /** Program id (HasProgram), or -1 when the event named none. */
  readonly programs: number[] = [];
  /** Run number: CbAllocs naming no program group by runs between launches. */
  readonly runs: number[] = [];
  readonly sizes: number[] = [];
  readonly chips: (readonly number[] | null)[] = [];
  readonly ordinals: number[] = [];
  readonly threads: number[] = [];
  count = 0;
  run = 0;
}

/** releaseWhere(): every entry (program ids are u64 ≥ 0 and -1 stands for none, so never this). */
const ALL = -2;

function matches(cbs: DeviceCbs, k: number, program: number, run: number): boolean {
  return program === ALL || (cbs.programs[k] === program && (program >= 0 || cbs.runs[k] === run));
}

export class CircularBuffers {
  private readonly byDevice = new DeviceSlots<DeviceCbs>();
  /** Whether any CbAlloc named no program: only then do launches matter (they split runs). */
  unnamed = false;

  /** `program`: the program id when the event names one (HasProgram), else -1. */
  add(device: number, program: number, bytes: number, chips: readonly number[] | null, ordinal: number, thread: number): void {
    let cbs = this.byDevice.get(device);
    if (!cbs) this.byDevice.set(device, (cbs = new DeviceCbs()));
    if (program < 0) this.unnamed = true;
    const k = cbs.count++;
    cbs.programs[k] = program;
    cbs.runs[k] = cbs.run;
    cbs.sizes[k] = bytes;
    cbs.chips[k] = chips;
    cbs.ordinals[k] = ordinal;
    cbs.threads[k] = thread;
  }

  /** A program launch on `device`: CbAllocs that name no program start a new run. */
  launched(device: number): void {
    const cbs = this.byDevice.get(device);
    if (cbs) cbs.run++;
  }

  /**
   * `track_deallocate_cb(device)`: one program's CBs on `device` go, the program of the newest CB:
   * every CB naming that program, or, when it names none, the newest run of CBs naming none.
   */
  releaseOne(device: number, onRelease: CbRelease): void {
    const cbs = this.byDevice.get(device);
    if (!cbs || cbs.count === 0) return;
    this.releaseWhere(device, cbs, cbs.programs[cbs.count - 1], cbs.runs[cbs.count - 1], onRelease);
  }

  /** The device closed: every CB of it goes. */
  releaseAll(device: number, onRelease: CbRelease): void {
    const cbs = this.byDevice.get(device);
    if (cbs) this.releaseWhere(device, cbs, ALL, 0, onRelease);
  }

  /**
   * Releases, newest first, every entry of `program` (when it names none, of run `run` among those
   * naming none; ALL: every entry), and compacts the rest in order. No closure: one per CbRelease.
   */
  private releaseWhere(device: number, cbs: DeviceCbs, program: number, run: number, onRelease: CbRelease): void {
    const n = cbs.count;
    for (let k = n - 1; k >= 0; k--) if (matches(cbs, k, program, run)) onRelease(device, cbs.sizes[k], cbs.chips[k], cbs.ordinals[k], cbs.threads[k]);
    let kept = 0;
    for (let k = 0; k < n; k++) {
      if (matches(cbs, k, program, run)) continue;
      cbs.programs[kept] = cbs.programs[k];
      cbs.runs[kept] = cbs.runs[k];
      cbs.sizes[kept] = cbs.sizes[k];
      cbs.chips[kept] = cbs.chips[k];
      cbs.ordinals[kept] = cbs.ordinals[k];
      cbs.threads[kept] = cbs.threads[k];
      kept++;
    }
    cbs.count = kept;
    // Stale entries must not keep replaced mesh chip lists alive.
    for (let k = kept; k < n; k++) cbs.chips[k] = null;
  }
}
