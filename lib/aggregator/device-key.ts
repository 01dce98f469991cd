/**
 * Device identity: a device is the pair (id, is-mesh). Upstream chip ids and MeshDevice ids both
 * count from 0 (`generate_unique_mesh_id()` in mesh_device.cpp), so mesh 0 and chip 0 can coexist;
 * event format v2 sets the MeshDevice flag on every event of a mesh (docs/events.md). Internally a
 * device is one number, its key: the id for a chip, id + 65536 for a mesh (event ids are u16).
 */
import { Flag } from '../events/format';

export const MESH_KEY = 65536;

export type DeviceKind = 'chip' | 'mesh';

/** The key of an event's device from its `device` field and flags. */
export function deviceKey(id: number, flags: number): number {
  return (flags & Flag.MeshDevice) !== 0 ? id + MESH_KEY : id;
}

export function keyId(key: number): number {
  return key >= MESH_KEY ? key - MESH_KEY : key;
}

export function keyKind(key: number): DeviceKind {
  return key >= MESH_KEY ? 'mesh' : 'chip';
}

/** `chip 0`, `mesh 0`: how text names a device. */
export function deviceLabel(key: number): string {
  return `${keyKind(key)} ${keyId(key)}`;
}
