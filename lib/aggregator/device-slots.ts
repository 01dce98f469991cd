/**
 * A map from device key to a value, as two dense arrays indexed by id: chips by key, meshes by
 * key − 65536 (device-key.ts), as Devices keeps its states (usage.ts). One array indexed by key would
 * be sparse past 65,536 and V8 would keep it as a dictionary; a Map for meshes cost a hash probe per
 * lookup, several per program launch on a mesh (the recorded Llama stream launches on a mesh 58,000 times).
 */
import { MESH_KEY } from './device-key';

export class DeviceSlots<T> {
  private readonly chips: (T | undefined)[] = [];
  private readonly meshes: (T | undefined)[] = [];

  get(key: number): T | undefined {
    return key < MESH_KEY ? this.chips[key] : this.meshes[key - MESH_KEY];
  }

  set(key: number, value: T): void {
    if (key < MESH_KEY) this.chips[key] = value;
    else this.meshes[key - MESH_KEY] = value;
  }

  delete(key: number): void {
    if (key < MESH_KEY) this.chips[key] = undefined;
    else this.meshes[key - MESH_KEY] = undefined;
  }

  /** Every (key, value), ascending key. */
  entries(): [number, T][] {
    const out: [number, T][] = [];
    this.chips.forEach((v, k) => { if (v !== undefined) out.push([k, v]); });
    this.meshes.forEach((v, k) => { if (v !== undefined) out.push([k + MESH_KEY, v]); });
    return out;
  }
}
