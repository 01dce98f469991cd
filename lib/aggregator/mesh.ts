/**
 * Mesh membership from MeshChip events: which chips a mesh contains and which meshes contain a chip.
 * Chip lists are replaced, never mutated, so an allocation can keep the list it was charged to.
 */
const NO_MESHES: readonly number[] = Object.freeze([]);

export class MeshMembership {
  private readonly chipsOfMesh = new Map<number, readonly number[]>();
  private readonly meshesOfChip = new Map<number, readonly number[]>();

  addChip(mesh: number, chip: number): void {
    const chips = this.chipsOfMesh.get(mesh) ?? NO_MESHES;
    if (chips.includes(chip)) return;
    this.chipsOfMesh.set(mesh, Object.freeze([...chips, chip].sort((a, b) => a - b)));
    const meshes = this.meshesOfChip.get(chip) ?? NO_MESHES;
    this.meshesOfChip.set(chip, Object.freeze([...meshes, mesh]));
  }

  isMesh(device: number): boolean {
    return this.chipsOfMesh.has(device);
  }

  /** Chips of `mesh`, ascending; null when `mesh` has no known chips. */
  chipsOf(mesh: number): readonly number[] | null {
    return this.chipsOfMesh.get(mesh) ?? null;
  }

  /** Meshes containing `chip` (usually none or one). */
  meshesOf(chip: number): readonly number[] {
    // Most streams have no mesh: skip the Map probe every range lookup would make.
    return this.meshesOfChip.size === 0 ? NO_MESHES : this.meshesOfChip.get(chip) ?? NO_MESHES;
  }
}
