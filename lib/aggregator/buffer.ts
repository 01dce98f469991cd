/**
 * Vocabulary shared by the buffer records (buffer-store.ts) and the report: how an allocation
 * relates to memory, and how a block of memory is named.
 */

/** How an allocation relates to memory: it owns its range, or it is an alias inside an owner. */
export const AliasKind = { None: 0, View: 1, Replica: 2 } as const;
export type AliasKindCode = (typeof AliasKind)[keyof typeof AliasKind];

/** `0x1000#3`: an address and its generation, the name of one block of memory in time. */
export function blockName(address: number, generation: number): string {
  return `0x${address.toString(16)}#${generation}`;
}
