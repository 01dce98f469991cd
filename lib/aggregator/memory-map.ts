/**
 * Range lookups that see through mesh membership: a chip's lookups also search the owning ranges of
 * every mesh containing the chip, because a MeshBuffer's backing allocation lives on the mesh id.
 */
import { NONE, type Slot } from './buffer-store';
import type { MeshMembership } from './mesh';
import type { Devices } from './usage';

export class MemoryMap {
  constructor(private readonly devices: Devices, private readonly mesh: MeshMembership) {}

  /** The live owner containing [address, end) on `device`, else on a mesh containing it. */
  ownerContaining(device: number, type: number, address: number, end: number): Slot {
    const own = this.devices.peek(device)?.peekRanges(type)?.containing(address, end) ?? NONE;
    if (own !== NONE) return own;
    const meshes = this.mesh.meshesOf(device);
    for (let i = 0; i < meshes.length; i++) {
      const owner = this.devices.peek(meshes[i])?.peekRanges(type)?.containing(address, end) ?? NONE;
      if (owner !== NONE) return owner;
    }
    return NONE;
  }

  /** A live owner intersecting [address, end) on `device` or a mesh containing it. */
  firstOverlap(device: number, type: number, address: number, end: number): Slot {
    const own = this.devices.peek(device)?.peekRanges(type)?.firstOverlap(address, end) ?? NONE;
    if (own !== NONE) return own;
    const meshes = this.mesh.meshesOf(device);
    for (let i = 0; i < meshes.length; i++) {
      const owner = this.devices.peek(meshes[i])?.peekRanges(type)?.firstOverlap(address, end) ?? NONE;
      if (owner !== NONE) return owner;
    }
    return NONE;
  }

  /** Whether an owning allocation ever started at `address` on `device` or a mesh containing it. */
  everOwned(device: number, type: number, address: number): boolean {
    if ((this.devices.peek(device)?.peekRanges(type)?.generationOf(address) ?? 0) > 0) return true;
    const meshes = this.mesh.meshesOf(device);
    for (let i = 0; i < meshes.length; i++) {
      if ((this.devices.peek(meshes[i])?.peekRanges(type)?.generationOf(address) ?? 0) > 0) return true;
    }
    return false;
  }
}
