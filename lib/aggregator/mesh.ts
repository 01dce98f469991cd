/**
 * Mesh membership from MeshChip events: which chips a mesh contains and which meshes contain a chip.
 * Meshes and chips are device keys (device-key.ts). Chip lists are replaced, never mutated, so an
 * allocation can keep the list it was charged to.
 *
 * Both directions are dense arrays indexed by id (chips by key, meshes by key − 65536), as Devices
 * keeps its states (usage.ts): every allocation, free and launch on a mesh asks for its chips, and
 * every range lookup for the meshes over a device; a Map probe each time was measurable on the
 * recorded Llama stream, where every buffer is a mesh's.
 */
import { MESH_KEY } from './device-key';

const NO_MESHES: readonly number[] = Object.freeze([]);

export class MeshMembership {
  /** By mesh key − 65536: the mesh's chips, ascending. */
  private readonly chipsOfMesh: (readonly number[] | undefined)[] = [];
  /** By chip key: the meshes containing it. */
  private readonly meshesOfChip: (readonly number[] | undefined)[] = [];
  /** Chips in some mesh: none (most streams) lets meshesOf() answer without a lookup. */
  private chipsInMeshes = 0;

  addChip(mesh: number, chip: number): void {
    const chips = this.chipsOfMesh[mesh - MESH_KEY] ?? NO_MESHES;
    if (chips.includes(chip)) return;
    this.chipsOfMesh[mesh - MESH_KEY] = Object.freeze([...chips, chip].sort((a, b) => a - b));
    const meshes = this.meshesOfChip[chip];
    if (meshes === undefined) this.chipsInMeshes++;
    this.meshesOfChip[chip] = Object.freeze([...(meshes ?? NO_MESHES), mesh]);
  }

  has(mesh: number, chip: number): boolean {
    return this.chipsOfMesh[mesh - MESH_KEY]?.includes(chip) ?? false;
  }

  /** Forgets a mesh's chips: a new mesh object under its id announces its own (a closed and reopened mesh). */
  clear(mesh: number): void {
    const chips = this.chipsOfMesh[mesh - MESH_KEY];
    if (!chips) return;
    this.chipsOfMesh[mesh - MESH_KEY] = undefined;
    for (const chip of chips) {
      const rest = (this.meshesOfChip[chip] ?? NO_MESHES).filter((m) => m !== mesh);
      if (rest.length > 0) {
        this.meshesOfChip[chip] = Object.freeze(rest);
      } else if (this.meshesOfChip[chip] !== undefined) {
        this.meshesOfChip[chip] = undefined;
        this.chipsInMeshes--;
      }
    }
  }

  /** Chips of `mesh`, ascending; null when `mesh` has no known chips. */
  chipsOf(mesh: number): readonly number[] | null {
    return mesh < MESH_KEY ? null : this.chipsOfMesh[mesh - MESH_KEY] ?? null;
  }

  /** Meshes containing `chip` (usually none or one). */
  meshesOf(chip: number): readonly number[] {
    // Most streams have no mesh: skip the lookup every range lookup would make.
    return this.chipsInMeshes === 0 || chip >= MESH_KEY ? NO_MESHES : this.meshesOfChip[chip] ?? NO_MESHES;
  }
}
