/**
 * The live buffers in the way of a circular-buffer region or of a failed allocation: every live owning
 * range of a chip (its own, and those of the meshes containing it: a MeshBuffer's backing buffer lives
 * on the mesh id) that intersects a window of one bank's address space, with the exact overlap.
 */
import type { MemTypeName } from '../events/format';
import { MEM_TYPE_NAMES } from '../events/format';
import type { Blocker } from '../report/types';
import type { BufferStore, Slot } from './buffer-store';
import { keyId, keyKind } from './device-key';
import { nameOf } from './leaks';
import type { MeshMembership } from './mesh';
import type { Devices } from './usage';

/** Past every address a device has (2^53: the aggregator's own bound on a range's end). */
export const ADDRESS_LIMIT = Number.MAX_SAFE_INTEGER;

/** Devices whose range sets hold a chip's memory: the chip, then every mesh containing it. */
function holdersOf(device: number, mesh: MeshMembership): number[] {
  return [device, ...mesh.meshesOf(device)];
}

/** Live owning ranges of `type` on `device` (and its meshes) intersecting [start, end), by address. */
export function liveRangesIn(devices: Devices, mesh: MeshMembership, device: number, type: number, start: number, end: number): Slot[] {
  const out: Slot[] = [];
  for (const holder of holdersOf(device, mesh)) {
    const ranges = devices.peek(holder)?.peekRanges(type);
    if (ranges && ranges.size > 0) out.push(...ranges.overlapping(start, end));
  }
  return out;
}

/** Lowest start address of a live owning range of `type` on `device` or its meshes; null when none. */
export function lowestLive(devices: Devices, store: BufferStore, mesh: MeshMembership, device: number, type: number): number | null {
  let lowest: number | null = null;
  for (const holder of holdersOf(device, mesh)) {
    const ranges = devices.peek(holder)?.peekRanges(type);
    if (!ranges || ranges.size === 0) continue;
    // The first live range intersecting the whole address space is the lowest one.
    const first = ranges.firstOverlap(0, ADDRESS_LIMIT);
    if (first >= 0 && (lowest === null || store.address(first) < lowest)) lowest = store.address(first);
  }
  return lowest;
}

/** One blocker per slot, sorted by address: id, size, range, allocating op and scope, overlap with [start, end). */
export function toBlockers(store: BufferStore, slots: readonly Slot[], start: number, end: number, names: readonly string[]): Blocker[] {
  return slots
    .map((s): Blocker => {
      const address = store.address(s);
      const bufferEnd = store.end(s);
      const overlapStart = Math.max(address, start);
      const overlapEnd = Math.min(bufferEnd, end);
      return {
        id: store.id(s),
        device: keyId(store.device(s)),
        deviceKind: keyKind(store.device(s)),
        type: MEM_TYPE_NAMES[store.type(s)] as MemTypeName,
        size: store.size(s),
        address,
        end: bufferEnd,
        op: nameOf(names, store.allocOp(s)),
        scope: nameOf(names, store.allocScope(s)),
        overlap: { start: overlapStart, end: overlapEnd, bytes: Math.max(0, overlapEnd - overlapStart) },
      };
    })
    .sort((a, b) => a.address - b.address || a.id - b.id);
}
