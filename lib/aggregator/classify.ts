/**
 * The classification rules (docs/report.md#classification-the-runtimes-word-first): every Alloc and Free event gets exactly
 * one class, decided here from the runtime's own word (the event's flags), the live table, the ids
 * seen before and the range lookups. This file decides; aggregator.ts applies the decision
 * (accounting, attribution, examples).
 *
 * The runtime's word comes first. TT-Metal's `Buffer::view()` (buffer.cpp) creates a non-owning
 * buffer at the root's own address with its offset kept apart, so an address never tells a view
 * apart from new memory: an event with the View flag names its root (rootId, valid only with the
 * flag; ids start at 0) and is that root's alias whatever its address. NonOwning is never charged;
 * Owning is never an alias. Address containment decides only when the stream says neither.
 */
import { Flag } from '../events/format';
import { AliasKind, type AliasKindCode } from './buffer';
import { NONE, type BufferStore, type Slot } from './buffer-store';
import type { LiveTable } from './live-table';
import type { MemoryMap } from './memory-map';
import type { SeenIds } from './seen-ids';

export const AllocClass = { Ok: 0, Alias: 1, Overlap: 2, DuplicateAlloc: 3, Invalid: 4 } as const;
export type AllocClassCode = (typeof AllocClass)[keyof typeof AllocClass];

export const FreeClass = { Ok: 0, AliasFree: 1, DoubleFree: 2, StaleFree: 3, UntrackedFree: 4, Invalid: 5 } as const;
export type FreeClassCode = (typeof FreeClass)[keyof typeof FreeClass];

/** Subkinds beside AliasKind's view (1) and replica (2). */
export const AFTER_REUSE = 3;
/** staleFree of a buffer that was live when its device closed (lost with the device). */
export const DEVICE_CLOSED = 4;
/** staleFree of a buffer an owning allocation displaced (overlap: gone without a free). */
export const DISPLACED = 5;
export type SubkindCode = AliasKindCode | typeof AFTER_REUSE | typeof DEVICE_CLOSED | typeof DISPLACED;

/**
 * What became of a buffer that left the live table without a free, as stored in the retired map:
 * DISPLACED_MARK for one an owning allocation displaced, else the slot kept for a buffer lost with
 * its closed device (an alias lost with it: LOST_ALIAS_MARK, no slot kept).
 */
export const DISPLACED_MARK = -1;
export const LOST_ALIAS_MARK = -2;

const OWNERSHIP = Flag.NonOwning | Flag.View | Flag.Owning;

/**
 * An alias is a `view` when the runtime says so, or when it is smaller than or offset into its owner;
 * otherwise (same address, same size — the per-chip buffer of a MeshBuffer) a `replica`.
 */
function aliasKindOf(ownerAddress: number, ownerSize: number, address: number, size: number, flags: number): AliasKindCode {
  if ((flags & Flag.View) !== 0 || address !== ownerAddress || size < ownerSize) return AliasKind.View;
  return AliasKind.Replica;
}

/**
 * One decision: the class, its subkind, the buffer it relates to (an alias's owner, the live
 * buffer now holding a reused or overlapped range), and whether the runtime declared it (flags).
 * Reused across events: no object per event.
 */
export class Decision {
  subkind: SubkindCode = 0;
  related: Slot = NONE;
  /** Alias: the runtime said so (View / NonOwning). Overlap: the runtime said the new buffer owns its memory. */
  declared = false;
  /** A free of a buffer lost with its device: its kept slot (for the example's allocation site). */
  lost: Slot = NONE;

  reset(): void {
    this.subkind = 0;
    this.related = NONE;
    this.declared = false;
    this.lost = NONE;
  }
}

export class Classifier {
  readonly decision = new Decision();

  constructor(
    private readonly seen: SeenIds,
    private readonly memory: MemoryMap,
    private readonly store: BufferStore,
    private readonly live: LiveTable,
    /** Ids that left the live table without a free (DISPLACED_MARK, LOST_ALIAS_MARK or a lost slot), until their late free. */
    private readonly retired: Map<number, number>,
  ) {}

  /**
   * Allocation rules. `existing` is the live buffer with this id, if any (else NONE); [address, end) is the
   * event's range in one bank's address space (DeviceState.footprint); `device` is a device key.
   */
  allocation(existing: Slot, device: number, type: number, address: number, size: number, end: number, flags: number, rootId: number): AllocClassCode {
    const d = this.decision;
    d.reset();
    if (existing !== NONE) {
      d.related = existing;
      return AllocClass.DuplicateAlloc;
    }
    if ((flags & OWNERSHIP) !== 0) {
      // The runtime's word. A view names its root: its alias whatever its address (root dead: no owner).
      if ((flags & Flag.View) !== 0) {
        d.declared = true;
        d.subkind = AliasKind.View;
        const root = this.seen.has(rootId) ? this.live.get(rootId) : NONE;
        d.related = root !== NONE && !this.store.isAlias(root) ? root : root !== NONE ? this.store.owner(root) : NONE;
        return AllocClass.Alias;
      }
      if ((flags & Flag.NonOwning) !== 0) {
        d.declared = true;
        const owner = this.memory.ownerContaining(device, type, address, end);
        d.related = owner;
        d.subkind = owner !== NONE ? this.aliasKindIn(owner, address, size, flags) : AliasKind.Replica;
        return AllocClass.Alias;
      }
      // Owning: never an alias. A live owning range under it means its holder is gone without a free.
      const overlapped = this.memory.firstOverlap(device, type, address, end);
      if (overlapped !== NONE) {
        d.related = overlapped;
        d.declared = true;
        return AllocClass.Overlap;
      }
      return AllocClass.Ok;
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
  free(buffer: Slot, id: number, device: number, type: number, address: number, size: number, end: number, flags: number, rootId: number): FreeClassCode {
    const d = this.decision;
    d.reset();
    // 1. the object is live
    if (buffer !== NONE) {
      const store = this.store;
      if (!store.isAlias(buffer)) return FreeClass.Ok;
      const owner = store.owner(buffer);
      d.related = owner;
      // A declared alias (view, non-owning) never held memory: its free is explained whether or not
      // its root still lives (a MeshBuffer deallocated under a live view returns its memory at once).
      if (store.declared(buffer) || (owner !== NONE && store.live(owner))) {
        d.subkind = store.aliasKind(buffer);
        return FreeClass.AliasFree;
      }
      return FreeClass.StaleFree;
    }
    // 1b. left the live table without a free: lost with its closed device, or displaced by an owning allocation
    if (this.retired.size > 0) {
      const mark = this.retired.get(id);
      if (mark !== undefined) {
        this.retired.delete(id);
        if (mark === DISPLACED_MARK) {
          d.subkind = DISPLACED;
          d.related = this.memory.firstOverlap(device, type, address, end);
        } else {
          d.subkind = DEVICE_CLOSED;
          d.lost = mark;
        }
        return FreeClass.StaleFree;
      }
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
    // 3. never seen: the runtime says it is a view or non-owning, or it lies inside a live owner
    if ((flags & Flag.View) !== 0) {
      d.subkind = AliasKind.View;
      const root = this.seen.has(rootId) ? this.live.get(rootId) : NONE;
      d.related = root !== NONE && !this.store.isAlias(root) ? root : NONE;
      return FreeClass.AliasFree;
    }
    if ((flags & Flag.Owning) === 0) {
      const owner = this.memory.ownerContaining(device, type, address, end);
      if (owner !== NONE) {
        d.related = owner;
        d.subkind = this.aliasKindIn(owner, address, size, flags);
        return FreeClass.AliasFree;
      }
      if ((flags & Flag.NonOwning) !== 0) {
        d.subkind = AliasKind.Replica;
        return FreeClass.AliasFree;
      }
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
