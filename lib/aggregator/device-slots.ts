/**
 * A map from device key to a value, as a dense array for chip keys (small ids: one indexed load) and a
 * Map for mesh keys (device-key.ts: id + 65536, past which an array would turn into a dictionary).
 */
import { MESH_KEY } from './device-key';

export class DeviceSlots<T> {
  private readonly chips: (T | undefined)[] = [];
  private readonly meshes = new Map<number, T>();

  get(key: number): T | undefined {
    return key < MESH_KEY ? this.chips[key] : this.meshes.get(key);
  }

  set(key: number, value: T): void {
    if (key < MESH_KEY) this.chips[key] = value;
    else this.meshes.set(key, value);
  }

  delete(key: number): void {
    if (key < MESH_KEY) this.chips[key] = undefined;
    else this.meshes.delete(key);
  }

  /** Every (key, value), ascending key. */
  entries(): [number, T][] {
    const out: [number, T][] = [];
    this.chips.forEach((v, k) => { if (v !== undefined) out.push([k, v]); });
    for (const e of [...this.meshes].sort(([a], [b]) => a - b)) out.push(e);
    return out;
  }
}
