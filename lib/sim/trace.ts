/**
 * createTraceBuffer: the buffer a trace capture allocates for its commands. 2025-06: a TRACE buffer (a
 * MeshBuffer on a mesh) in the trace region; since PR #36999 (2026-02), when the trace region size is 0
 * (the default), a DRAM buffer allocated top-down (docs/sim.md#trace-buffers).
 */
import { invalidOption } from '../errors';
import { MemType } from '../events/format';
import { expectInteger } from '../validate';
import { call, simNative } from './binding';
import { DEFAULT_PAGE_SIZE, SimBuffer } from './buffer';
import { expectDevice, type SimDevice } from './device';

/** `size`: bytes per device, 2048..2^40, whole 2048-byte pages (the simulator's trace page). */
export function createTraceBuffer(device: SimDevice, size: number): SimBuffer {
  const d = expectDevice('createTraceBuffer() device', device);
  expectInteger('createTraceBuffer() size', size, DEFAULT_PAGE_SIZE, 2 ** 40);
  if (size % DEFAULT_PAGE_SIZE !== 0) {
    throw invalidOption('createTraceBuffer() size', `a multiple of the page size ${DEFAULT_PAGE_SIZE}`, size, 'range');
  }
  const info = call(() => simNative().createTraceBuffer(d.id, d.isMesh, size, DEFAULT_PAGE_SIZE));
  return new SimBuffer(info, info.type === MemType.TRACE ? 'TRACE' : 'DRAM', true);
}
