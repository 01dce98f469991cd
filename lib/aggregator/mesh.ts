/**
 * Mesh membership from MeshChip events: which chips a mesh contains and which meshes contain a chip.
 * Meshes and chips are device keys (device-key.ts). Chip lists are replaced, never mutated, so an
 * allocation can keep the list it was charged to.
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

  has(mesh: number, chip: number): boolean {
    return this.chipsOfMesh.get(mesh)?.includes(chip) ?? false;
  }

  /** Forgets a mesh's chips: a new mesh object under its id announces its own (a closed and reopened mesh). */
  clear(mesh: number): void {
    const chips = this.chipsOfMesh.get(mesh);
    if (!chips) return;
    this.chipsOfMesh.delete(mesh);
    for (const chip of chips) {
      const rest = (this.meshesOfChip.get(chip) ?? NO_MESHES).filter((m) => m !== mesh);
      if (rest.length > 0) this.meshesOfChip.set(chip, Object.freeze(rest));
      else this.meshesOfChip.delete(chip);
    }
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
