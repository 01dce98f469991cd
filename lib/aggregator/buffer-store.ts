/**
 * Tracked buffers, one fixed-size record per buffer in one growable ArrayBuffer, named by slot
 * number. Why not one object per allocation: with 100,000 live buffers under churn
 * (scripts/bench-aggregator.js) every object lived long enough to be promoted out of the young
 * generation (copied twice, then marked), and the live table and range sets reached each one
 * through an array of pointers: two cache misses where one will do. Why records rather than one
 * typed array per field: an event reads most of a buffer's fields, and a record keeps them in one
 * or two cache lines; a column per field would be a miss per field.
 *
 * Record: 80 bytes, seen as 10 doubles (`f`) and 20 int32s (`i`) over the same memory.
 * Freed slots are reused last-in first-out: a churn's allocation lands on the record its free just
 * touched. A freed owner keeps its slot while an alias still refers to it (`refs`): a free of that
 * alias reports the owner's id, block and size.
 */
import type { AliasKindCode } from './buffer';
import { ScopeInstances } from './scope-instances';

/** A buffer's slot number; NONE for no buffer. */
export type Slot = number;
export const NONE = -1;

const F = 10; // doubles per record
const I = 2 * F; // int32s per record
// Doubles.
const ID = 0;
const ADDRESS = 1;
const SIZE = 2;
const END = 3;
const ALLOC_SEQ = 4;
const ORDINAL = 5;
// Int32s (after the six doubles).
const GENERATION = 12; // uint32
const ALLOC_OP = 13; // uint32
const ALLOC_SCOPE = 14; // scope instance (scope-instances.ts), 0 for none
const OWNER = 15; // slot or NONE
const DEVICE_THREAD = 16; // device key's low 16 bits | allocThread (u16) << 16
const TYPE_BITS = 17; // type (u8) | aliasKind << 8 | LIVE | IN_RANGES | MESH | DECLARED | LOST
const CHIPS = 18; // index into chipLists, or NONE
const REFS = 19; // aliases stored with this buffer as their owner
const LIVE = 1 << 16;
const IN_RANGES = 1 << 17;
/** The device key's bit 16 (device-key.ts: a mesh). */
const MESH = 1 << 18;
/** An alias the runtime declared (View or NonOwning flag), not one inferred from its address. */
const DECLARED = 1 << 19;
/** Live when its device closed: kept for the leak report, never freed, never in the live table. */
const LOST = 1 << 20;

const INITIAL_CAPACITY = 1024;

export class BufferStore {
  private f = new Float64Array(INITIAL_CAPACITY * F);
  private i = new Int32Array(this.f.buffer);
  private freeSlots = new Int32Array(INITIAL_CAPACITY);
  private freeCount = 0;
  private used = 0; // slots ever handed out (the high-water mark)
  /** Distinct chip lists charged to (mesh lists are replaced, never mutated: kept by identity). */
  private readonly chipLists: (readonly number[])[] = [];
  private lastChips: readonly number[] | null = null;
  private lastChipsIndex = NONE;

  /** `scopes`: the instances `add()`'s allocScope numbers refer to. */
  constructor(private readonly scopes: ScopeInstances = new ScopeInstances()) {}

  /** A new live buffer: an owner (no alias kind, not in ranges, no chips) until told otherwise. */
  add(
    id: number,
    /** Device key (device-key.ts): id + 65536 for a mesh. */
    device: number, type: number, address: number, size: number,
    /** Exclusive end of the range in one bank's address space (address + per-bank footprint). */
    end: number,
    /** Owning allocations seen at `address` on this device × type, this one included. */
    generation: number,
    allocSeq: number, allocThread: number,
    /** Interned name id (0 = none) of the innermost op on the allocating thread; the innermost scope's instance. */
    allocOp: number, allocScope: number,
    /** Position in the consumed stream: what checkpoint() compares against. */
    ordinal: number,
  ): Slot {
    const s = this.freeCount > 0 ? this.freeSlots[--this.freeCount] : this.fresh();
    const f = this.f;
    const fb = s * F;
    f[fb + ID] = id;
    f[fb + ADDRESS] = address;
    f[fb + SIZE] = size;
    f[fb + END] = end;
    f[fb + ALLOC_SEQ] = allocSeq;
    f[fb + ORDINAL] = ordinal;
    const i = this.i;
    const ib = s * I;
    i[ib + GENERATION] = generation;
    i[ib + ALLOC_OP] = allocOp;
    i[ib + ALLOC_SCOPE] = allocScope;
    i[ib + OWNER] = NONE;
    i[ib + DEVICE_THREAD] = (device & 0xffff) | (allocThread << 16);
    i[ib + TYPE_BITS] = type | LIVE | (device > 0xffff ? MESH : 0);
    i[ib + CHIPS] = NONE;
    i[ib + REFS] = 0;
    return s;
  }

  /**
   * Makes `alias` an alias of `owner` (NONE: the runtime named a root that is not live, or a
   * non-owning buffer outside any owner); the owner then keeps its slot until the alias is released.
   * `declared`: the runtime said so (View / NonOwning flag), rather than its address alone.
   */
  setOwner(alias: Slot, owner: Slot, kind: AliasKindCode, declared = false): void {
    this.i[alias * I + OWNER] = owner;
    this.i[alias * I + TYPE_BITS] |= (kind << 8) | (declared ? DECLARED : 0);
    if (owner !== NONE) this.i[owner * I + REFS]++;
  }

  /** Marks a live owner lost with its device: no longer live, but its slot stays for the report. */
  markLost(s: Slot): void {
    this.i[s * I + TYPE_BITS] = (this.i[s * I + TYPE_BITS] & ~LIVE) | LOST;
  }

  /**
   * Marks `s` freed and gives its slot back unless an alias still refers to it; an alias's release
   * may give back its freed owner's slot too. The caller reads what it needs from `s` first.
   */
  release(s: Slot): void {
    const i = this.i;
    i[s * I + TYPE_BITS] &= ~LIVE;
    const owner = i[s * I + OWNER];
    if (i[s * I + REFS] === 0) this.freeSlots[this.freeCount++] = s;
    if (owner !== NONE && --i[owner * I + REFS] === 0 && (i[owner * I + TYPE_BITS] & (LIVE | LOST)) === 0) {
      this.freeSlots[this.freeCount++] = owner;
    }
  }

  id(s: Slot): number { return this.f[s * F + ID]; }
  address(s: Slot): number { return this.f[s * F + ADDRESS]; }
  size(s: Slot): number { return this.f[s * F + SIZE]; }
  end(s: Slot): number { return this.f[s * F + END]; }
  allocSeq(s: Slot): number { return this.f[s * F + ALLOC_SEQ]; }
  ordinal(s: Slot): number { return this.f[s * F + ORDINAL]; }
  generation(s: Slot): number { return this.i[s * I + GENERATION] >>> 0; }
  allocOp(s: Slot): number { return this.i[s * I + ALLOC_OP] >>> 0; }
  /** Interned name id of the innermost scope open at the allocation, 0 for none. */
  allocScope(s: Slot): number { return this.scopes.name(this.i[s * I + ALLOC_SCOPE]); }
  /** That scope's instance (scope-instances.ts), 0 for none. */
  allocScopeInstance(s: Slot): number { return this.i[s * I + ALLOC_SCOPE]; }
  /** Device key (device-key.ts). */
  device(s: Slot): number { return (this.i[s * I + DEVICE_THREAD] & 0xffff) | ((this.i[s * I + TYPE_BITS] & MESH) !== 0 ? 0x10000 : 0); }
  allocThread(s: Slot): number { return this.i[s * I + DEVICE_THREAD] >>> 16; }
  type(s: Slot): number { return this.i[s * I + TYPE_BITS] & 0xff; }
  /** Owning buffer this alias lies in; NONE for an owner, or for an alias whose named root was not live. */
  owner(s: Slot): Slot { return this.i[s * I + OWNER]; }
  /** An alias (view or replica), with or without a live owner: tracked, never charged. */
  isAlias(s: Slot): boolean { return (this.i[s * I + TYPE_BITS] & 0xff00) !== 0; }
  /** An alias the runtime declared (View / NonOwning): its free is aliasFree whether or not its owner lives. */
  declared(s: Slot): boolean { return (this.i[s * I + TYPE_BITS] & DECLARED) !== 0; }
  lost(s: Slot): boolean { return (this.i[s * I + TYPE_BITS] & LOST) !== 0; }
  aliasKind(s: Slot): AliasKindCode { return ((this.i[s * I + TYPE_BITS] >>> 8) & 0xff) as AliasKindCode; }
  live(s: Slot): boolean { return (this.i[s * I + TYPE_BITS] & LIVE) !== 0; }

  /** True while this owner is in its (device, type) range set; false once displaced by an overlap. */
  inRanges(s: Slot): boolean { return (this.i[s * I + TYPE_BITS] & IN_RANGES) !== 0; }
  setInRanges(s: Slot, value: boolean): void {
    if (value) this.i[s * I + TYPE_BITS] |= IN_RANGES;
    else this.i[s * I + TYPE_BITS] &= ~IN_RANGES;
  }

  /** Chips this owner's bytes were charged to besides its own device (mesh backing buffers). */
  chargedChips(s: Slot): readonly number[] | null {
    const k = this.i[s * I + CHIPS];
    return k === NONE ? null : this.chipLists[k];
  }
  setChargedChips(s: Slot, chips: readonly number[] | null): void {
    this.i[s * I + CHIPS] = chips === null ? NONE : this.chipsIndex(chips);
  }

  private chipsIndex(chips: readonly number[]): number {
    if (chips === this.lastChips) return this.lastChipsIndex;
    let k = this.chipLists.indexOf(chips);
    if (k < 0) k = this.chipLists.push(chips) - 1;
    this.lastChips = chips;
    this.lastChipsIndex = k;
    return k;
  }

  private fresh(): Slot {
    if (this.used * F === this.f.length) this.grow();
    return this.used++;
  }

  private grow(): void {
    const capacity = (this.f.length / F) * 2;
    const f = new Float64Array(capacity * F);
    f.set(this.f);
    this.f = f;
    this.i = new Int32Array(f.buffer);
    const freeSlots = new Int32Array(capacity);
    freeSlots.set(this.freeSlots);
    this.freeSlots = freeSlots;
  }
}
