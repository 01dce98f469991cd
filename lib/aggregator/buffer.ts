/**
 * One tracked buffer object, keyed by its unique id (never by address). Created once per
 * allocation event: the only object the hot loop allocates, so it carries only what a live buffer
 * needs. The free site (seq, thread, op, scope) goes straight into FreedHistory at free time:
 * four more fields here cost 16 bytes on every live buffer.
 */

/** How an allocation relates to memory: it owns its range, or it is an alias inside an owner. */
export const AliasKind = { None: 0, View: 1, Replica: 2 } as const;
export type AliasKindCode = (typeof AliasKind)[keyof typeof AliasKind];

export class TrackedBuffer {
  /** Owning buffer this alias lies in; null for an owner. */
  owner: TrackedBuffer | null = null;
  aliasKind: AliasKindCode = AliasKind.None;
  /** Chips this owner's bytes were charged to besides its own device (mesh backing buffers). */
  chargedChips: readonly number[] | null = null;
  live = true;
  /** True while this owner is in its (device, type) range set; false once displaced by an overlap. */
  inRanges = false;

  constructor(
    readonly id: number,
    readonly device: number,
    readonly type: number,
    readonly address: number,
    readonly size: number,
    /** Exclusive end of the range in one bank's address space (address + per-bank footprint). */
    readonly end: number,
    /** Owning allocations seen at `address` on this device × type, this one included. */
    readonly generation: number,
    readonly allocSeq: number,
    readonly allocThread: number,
    /** Interned name ids (0 = none) of the innermost op on the allocating thread and innermost scope. */
    readonly allocOp: number,
    readonly allocScope: number,
    /** Position in the consumed stream: what checkpoint() compares against. */
    readonly ordinal: number,
  ) {}
}

/** `0x1000#3`: an address and its generation, the name of one block of memory in time. */
export function blockName(address: number, generation: number): string {
  return `0x${address.toString(16)}#${generation}`;
}
