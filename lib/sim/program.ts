/** createProgram: circular buffers, a buffer pool kept alive by the program, launches. */
import { invalidOption } from '../errors';
import { expectInteger, expectKnownKeys, expectObject } from '../validate';
import { call, simNative } from './binding';
import { expectBuffer, type SimBuffer } from './buffer';
import { expectDevice, type SimDevice } from './device';

export interface CircularBufferOptions {
  /** Bytes per core, 1..1048576. */
  size: number;
  /** Number of cores of the 8×8 grid (row-major from core (0,0)), 1..64. */
  cores: number;
  /** @default false */
  globallyAllocated?: boolean;
}

export class SimProgram {
  /** @internal */
  constructor(readonly id: number, readonly device: SimDevice) {}

  /** Adds a CB; it is allocated (one CbAlloc) when the program is launched. Returns its index. */
  addCircularBuffer(options: CircularBufferOptions): number {
    const o = expectObject('addCircularBuffer() options', options);
    expectKnownKeys('addCircularBuffer()', o, ['size', 'cores', 'globallyAllocated']);
    const size = expectInteger('addCircularBuffer() size', o.size, 1, 1048576);
    const cores = expectInteger('addCircularBuffer() cores', o.cores, 1, 64);
    if (o.globallyAllocated !== undefined && typeof o.globallyAllocated !== 'boolean') {
      throw invalidOption('addCircularBuffer() globallyAllocated', 'a boolean', o.globallyAllocated, 'type');
    }
    return call(() => simNative().programAddCircularBuffer(this.id, size, cores, o.globallyAllocated === true));
  }

  /** The program keeps `buffer` alive until destroy() (a cached program's buffer pool). */
  addBuffer(buffer: SimBuffer): void {
    const b = expectBuffer('addBuffer() buffer', buffer);
    call(() => simNative().programAddBuffer(this.id, b.id));
  }

  /**
   * Launches on the program's device: releases another program's live CBs there, reports the launch,
   * then allocates this program's CBs (unless they are still live). Returns the CB addresses.
   */
  launch(): number[] {
    return call(() => simNative().programLaunch(this.id));
  }

  /** Destroys the program and lets go of its buffer pool. */
  destroy(): void {
    call(() => simNative().programDestroy(this.id));
  }
}

export function createProgram(device: SimDevice): SimProgram {
  const d = expectDevice('createProgram() device', device);
  return new SimProgram(call(() => simNative().createProgram(d.id)), d);
}
