/**
 * The classification rules of DESIGN.md ("The aggregator's model"): every Alloc and Free event gets
 * exactly one class, decided here from the live table, the ids seen before and the range lookups.
 * This file decides; aggregator.ts applies the decision (accounting, attribution, examples).
 */
import { Flag } from '../events/format';
import { AliasKind, type AliasKindCode } from './buffer';
import { NONE, type BufferStore, type Slot } from './buffer-store';
import type { MemoryMap } from './memory-map';
import type { SeenIds } from './seen-ids';

export const AllocClass = { Ok: 0, Alias: 1, Overlap: 2, DuplicateAlloc: 3, Invalid: 4 } as const;
export type AllocClassCode = (typeof AllocClass)[keyof typeof AllocClass];

export const FreeClass = { Ok: 0, AliasFree: 1, DoubleFree: 2, StaleFree: 3, UntrackedFree: 4, Invalid: 5 } as const;
export type FreeClassCode = (typeof FreeClass)[keyof typeof FreeClass];

/** Subkinds beside AliasKind's view (1) and replica (2). */
export const AFTER_REUSE = 3;
export type SubkindCode = AliasKindCode | typeof AFTER_REUSE;

/**
 * An alias is a `view` when the runtime says so, or when it is smaller than or offset into its owner;
 * otherwise (same address, same size — the per-chip buffer of a MeshBuffer) a `replica`.
 */
export function aliasKindOf(ownerAddress: number, ownerSize: number, address: number, size: number, flags: number): AliasKindCode {
  if ((flags & Flag.View) !== 0 || address !== ownerAddress || size < ownerSize) return AliasKind.View;
  return AliasKind.Replica;
}

/**
 * One decision: the class, its subkind, and the buffer it relates to (an alias's owner, the live
 * buffer now holding a reused or overlapped range). Reused across events: no object per event.
 */
export class Decision {
  subkind: SubkindCode = 0;
  related: Slot = NONE;

  reset(): void {
    this.subkind = 0;
    this.related = NONE;
  }
}

export class Classifier {
  readonly decision = new Decision();

  constructor(
    private readonly seen: SeenIds,
    private readonly memory: MemoryMap,
    private readonly store: BufferStore,
  ) {}

  /**
   * Allocation rules. `existing` is the live buffer with this id, if any (else NONE); [address, end) is the
   * event's range in one bank's address space (DeviceState.footprint).
   */
  allocation(existing: Slot, device: number, type: number, address: number, size: number, end: number, flags: number): AllocClassCode {
    const d = this.decision;
    d.reset();
    if (existing !== NONE) {
      d.related = existing;
      return AllocClass.DuplicateAlloc;
    }
    const owner = this.memory.ownerContaining(device, type, address, end);
    if (owner !== NONE) {
      d.related = owner;
      d.subkind = this.aliasKindIn(owner, address, size, flags);
      return AllocClass.Alias;
    }
    const overlapped = this.memory.firstOverlap(device, type, address, end);
    if (overlapped !== NONE) {
      d.related = overlapped;
      return AllocClass.Overlap;
    }
    return AllocClass.Ok;
  }

  /**
   * Free rules 1–5, first match wins. `buffer` is the live buffer with the event's id, or NONE; the
   * range of an object not live comes from the event itself.
   */
  free(buffer: Slot, id: number, device: number, type: number, address: number, size: number, end: number, flags: number): FreeClassCode {
    const d = this.decision;
    d.reset();
    // 1. the object is live
    if (buffer !== NONE) {
      const owner = this.store.owner(buffer);
      if (owner === NONE) return FreeClass.Ok;
      d.related = owner;
      if (this.store.live(owner)) {
        d.subkind = this.store.aliasKind(buffer);
        return FreeClass.AliasFree;
      }
      return FreeClass.StaleFree;
    }
    // 2. seen and already freed; after reuse when its range now belongs to another live object.
    // unique_id is a global counter, so memory reused after this object's free belongs to a larger
    // id; a smaller one is the owner a view or replica lived in, still holding its own range.
    if (this.seen.has(id)) {
      let holder = this.memory.firstOverlap(device, type, address, end);
      if (holder === NONE) holder = this.memory.ownerContaining(device, type, address, end);
      if (holder !== NONE) {
        d.related = holder;
        if (this.store.id(holder) > id) d.subkind = AFTER_REUSE;
      }
      return FreeClass.DoubleFree;
    }
    // 3. never seen, inside a live owner on this device or its mesh
    const owner = this.memory.ownerContaining(device, type, address, end);
    if (owner !== NONE) {
      d.related = owner;
      d.subkind = this.aliasKindIn(owner, address, size, flags);
      return FreeClass.AliasFree;
    }
    // 4. never seen, range matches memory that was freed or now belongs to another object
    const holder = this.memory.firstOverlap(device, type, address, end);
    if (holder !== NONE) {
      d.related = holder;
      return FreeClass.StaleFree;
    }
    if (this.memory.everOwned(device, type, address)) return FreeClass.StaleFree;
    // 5. otherwise: allocated before tracking began
    return FreeClass.UntrackedFree;
  }

  private aliasKindIn(owner: Slot, address: number, size: number, flags: number): AliasKindCode {
    return aliasKindOf(this.store.address(owner), this.store.size(owner), address, size, flags);
  }
}
