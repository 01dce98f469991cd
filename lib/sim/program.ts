/**
 * createProgram: circular buffers, a buffer pool, enqueues. `launch()` is the raw EnqueueProgram /
 * EnqueueMeshWorkload; `launchOperation()` is ttnn's device-operation path (track_program first, the
 * program kept in the device's program cache). What each reports follows the generation (docs/sim.md#programs).
 */
import { invalidOption } from '../errors';
import { expectInteger, expectKnownKeys, expectObject } from '../validate';
import { call, simNative } from './binding';
import { expectBuffer, type SimBuffer } from './buffer';
import { expectDevice, partInfo, type SimDevice } from './device';

export interface CircularBufferOptions {
  /** Bytes per core, 1..1048576. */
  size: number;
  /** Number of cores of the device's worker grid (row-major from core (0,0)), 1..the grid's cores. */
  cores: number;
  /** Makes the CB globally allocated: it lives in this buffer's memory, at its address. */
  buffer?: SimBuffer;
}

export class SimProgram {
  /** @internal */
  constructor(readonly id: number, readonly device: SimDevice) {}

  /** CreateCircularBuffer; its allocation is reported when the program is enqueued. Returns its index. */
  addCircularBuffer(options: CircularBufferOptions): number {
    const o = expectObject('addCircularBuffer() options', options);
    expectKnownKeys('addCircularBuffer()', o, ['size', 'cores', 'buffer']);
    const size = expectInteger('addCircularBuffer() size', o.size, 1, 1048576);
    const cores = expectInteger('addCircularBuffer() cores', o.cores, 1, partInfo(this.device.part).l1Banks);
    const buffer = o.buffer === undefined ? undefined : expectBuffer('addCircularBuffer() buffer', o.buffer);
    if (buffer !== undefined && buffer.type !== 'L1') {
      throw invalidOption('addCircularBuffer() buffer', "an L1 buffer (a globally allocated CB lives in L1)", buffer.type, 'range');
    }
    return call(() => simNative().programAddCircularBuffer(this.id, size, cores, buffer === undefined ? -1 : buffer.id));
  }

  /** The program's buffer pool: keeps `buffer` alive until the pool is released (2025-06: after each enqueue; since: with the program). */
  addBuffer(buffer: SimBuffer): void {
    const b = expectBuffer('addBuffer() buffer', buffer);
    call(() => simNative().programAddBuffer(this.id, b.id));
  }

  /** Raw EnqueueProgram / EnqueueMeshWorkload: no track_program. Returns the CB addresses. */
  launch(): number[] {
    return call(() => simNative().programLaunch(this.id));
  }

  /** ttnn's device-operation path: track_program, then the enqueue; the device's program cache keeps the program. */
  launchOperation(): number[] {
    return call(() => simNative().programLaunchOperation(this.id));
  }

  /** Program::invalidate_circular_buffer_allocation: the next enqueue allocates and reports the CBs again. */
  invalidateCircularBuffers(): void {
    call(() => simNative().programInvalidateCircularBuffers(this.id));
  }

  /** Drops the program handle: the program is destroyed now unless a device's program cache holds it. */
  destroy(): void {
    call(() => simNative().programDestroy(this.id));
  }
}

export function createProgram(device: SimDevice): SimProgram {
  const d = expectDevice('createProgram() device', device);
  return new SimProgram(call(() => simNative().createProgram(d.id, d.isMesh)), d);
}
