/**
 * Circular buffers: allocated per program (CbAlloc), never freed one by one. All CBs of a device go
 * at CbRelease; a Program launch releases the CBs of every *other* program on that device (ttnn's
 * graph capture treats a launch as "deallocate all CBs" of the device; keeping the launched
 * program's own CBs makes the result independent of whether its CbAllocs came before the launch).
 */
export interface CbRelease {
  (device: number, bytes: number, chips: readonly number[] | null): void;
}

/** Parallel lists of `count` live CBs; entries past `count` are stale (truncating an array's length is a runtime call). */
class DeviceCbs {
  readonly programs: number[] = [];
  readonly sizes: number[] = [];
  readonly chips: (readonly number[] | null)[] = [];
  count = 0;
}

export class CircularBuffers {
  private readonly byDevice = new Map<number, DeviceCbs>();

  add(device: number, program: number, bytes: number, chips: readonly number[] | null): void {
    let cbs = this.byDevice.get(device);
    if (!cbs) this.byDevice.set(device, (cbs = new DeviceCbs()));
    const k = cbs.count++;
    cbs.programs[k] = program;
    cbs.sizes[k] = bytes;
    cbs.chips[k] = chips;
  }

  /** Releases the CBs of `device` not belonging to `keepProgram` (NaN keeps none), oldest first. */
  release(device: number, keepProgram: number, onRelease: CbRelease): void {
    const cbs = this.byDevice.get(device);
    if (!cbs || cbs.count === 0) return;
    const n = cbs.count;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      if (cbs.programs[i] === keepProgram) {
        cbs.programs[kept] = cbs.programs[i];
        cbs.sizes[kept] = cbs.sizes[i];
        cbs.chips[kept] = cbs.chips[i];
        kept++;
      } else {
        onRelease(device, cbs.sizes[i], cbs.chips[i]);
      }
    }
    cbs.count = kept;
    // Stale entries must not keep replaced mesh chip lists alive.
    for (let i = kept; i < n; i++) cbs.chips[i] = null;
  }
}
