/**
 * Circular buffers: allocated per program (CbAlloc), never freed one by one. All CBs of a device go
 * at CbRelease; a Program launch releases the CBs of every *other* program on that device (ttnn's
 * graph capture treats a launch as "deallocate all CBs" of the device; keeping the launched
 * program's own CBs makes the result independent of whether its CbAllocs came before the launch).
 */
export interface CbRelease {
  (device: number, bytes: number, chips: readonly number[] | null): void;
}

class DeviceCbs {
  readonly programs: number[] = [];
  readonly sizes: number[] = [];
  readonly chips: (readonly number[] | null)[] = [];
}

export class CircularBuffers {
  private readonly byDevice = new Map<number, DeviceCbs>();

  add(device: number, program: number, bytes: number, chips: readonly number[] | null): void {
    let cbs = this.byDevice.get(device);
    if (!cbs) this.byDevice.set(device, (cbs = new DeviceCbs()));
    cbs.programs.push(program);
    cbs.sizes.push(bytes);
    cbs.chips.push(chips);
  }

  /** Releases the CBs of `device` not belonging to `keepProgram` (NaN keeps none), oldest first. */
  release(device: number, keepProgram: number, onRelease: CbRelease): void {
    const cbs = this.byDevice.get(device);
    if (!cbs || cbs.programs.length === 0) return;
    let kept = 0;
    for (let i = 0; i < cbs.programs.length; i++) {
      if (cbs.programs[i] === keepProgram) {
        cbs.programs[kept] = cbs.programs[i];
        cbs.sizes[kept] = cbs.sizes[i];
        cbs.chips[kept] = cbs.chips[i];
        kept++;
      } else {
        onRelease(device, cbs.sizes[i], cbs.chips[i]);
      }
    }
    cbs.programs.length = kept;
    cbs.sizes.length = kept;
    cbs.chips.length = kept;
  }
}
