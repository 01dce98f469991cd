/** allocatorStats: what the simulated allocator itself sees, to check the tracker's numbers against. */
import { MemType } from '../events/format';
import { expectOneOf } from '../validate';
import { call, simNative, type NativeAllocatorStats } from './binding';
import { BUFFER_TYPES, type SimBufferType } from './buffer';
import { expectDevice, type SimDevice } from './device';

/**
 * `current`/`peak`: sizes (as reported in events) of the live owning buffers of this type, and their
 * peak since the device opened. A mesh and its chips share one per-chip-identical allocator, so a chip
 * of a mesh shows the mesh's numbers. The `...PerBank` figures are one bank's address space.
 */
export type AllocatorStats = NativeAllocatorStats;

export function allocatorStats(device: SimDevice, type: SimBufferType): AllocatorStats {
  const d = expectDevice('allocatorStats() device', device);
  const t = expectOneOf('allocatorStats() type', type, BUFFER_TYPES);
  return call(() => simNative().allocatorStats(d.id, d.isMesh, MemType[t]));
}
