/**
 * Leaks: owning allocations still live at report time (or made after a checkpoint), and those that
 * were live when their device closed (lost with it, marked), largest first, and grouped by the op and
 * scope that allocated them. Aliases hold no memory of their own and CBs belong to programs, so
 * neither is a leak. Buffers are BufferStore slots.
 */
import { MEM_TYPE_NAMES } from '../events/format';
import type { Leak, LeakGroup } from '../report/types';
import { blockName } from './buffer';
import type { BufferStore, Slot } from './buffer-store';
import { keyId, keyKind } from './device-key';

/** Leak order: largest first, ties in allocation order. A total order (ordinals are unique). */
export function leakOrder(store: BufferStore): (a: Slot, b: Slot) => number {
  return (a, b) => store.size(b) - store.size(a) || store.ordinal(a) - store.ordinal(b);
}

/** Live owners, then owners lost with their device (`lost`), with `ordinal > since`, unsorted (see leakOrder, topK). */
export function liveOwners(store: BufferStore, live: readonly Slot[], since: number, lost: readonly Slot[] = []): Slot[] {
  const out: Slot[] = [];
  for (const s of live) if (!store.isAlias(s) && store.ordinal(s) > since) out.push(s);
  for (const s of lost) if (store.ordinal(s) > since) out.push(s);
  return out;
}

export function toLeak(store: BufferStore, s: Slot, names: readonly string[]): Leak {
  const leak: Leak = {
    id: store.id(s),
    device: keyId(store.device(s)),
    deviceKind: keyKind(store.device(s)),
    type: MEM_TYPE_NAMES[store.type(s)],
    address: store.address(s),
    block: blockName(store.address(s), store.generation(s)),
    size: store.size(s),
    seq: store.allocSeq(s),
    op: nameOf(names, store.allocOp(s)),
    scope: nameOf(names, store.allocScope(s)),
  };
  if (store.lost(s)) leak.lostWithDevice = true;
  return leak;
}

interface Group {
  row: LeakGroup;
  op: number;
  scope: number;
  /** The group's member first in leak order: ties in bytes and buffers go by it. */
  first: Slot;
}

/**
 * Groups by (op, scope), most bytes first, then most buffers, then the group whose first member
 * leads in leak order. Keyed by the numeric name ids (op, then scope): no string built per buffer.
 */
export function groupLeaks(store: BufferStore, owners: readonly Slot[], names: readonly string[]): LeakGroup[] {
  const order = leakOrder(store);
  const byOp = new Map<number, Map<number, Group>>();
  const groups: Group[] = [];
  let g: Group | undefined;
  for (const b of owners) {
    const op = store.allocOp(b);
    const scope = store.allocScope(b);
    // Buffers of one op and scope come in runs: the previous group is usually the right one.
    if (!g || g.op !== op || g.scope !== scope) g = byOp.get(op)?.get(scope);
    if (!g) {
      g = { row: { op: nameOf(names, op), scope: nameOf(names, scope), buffers: 0, bytes: 0 }, op, scope, first: b };
      let byScope = byOp.get(op);
      if (!byScope) byOp.set(op, (byScope = new Map()));
      byScope.set(scope, g);
      groups.push(g);
    } else if (order(b, g.first) < 0) {
      g.first = b;
    }
    g.row.buffers++;
    g.row.bytes += store.size(b);
  }
  groups.sort((a, b) => b.row.bytes - a.row.bytes || b.row.buffers - a.row.buffers || order(a.first, b.first));
  return groups.map((g) => g.row);
}

/** The interned name of `id`; null for 0 (none). */
export function nameOf(names: readonly string[], id: number): string | null {
  if (id === 0) return null;
  return names[id] ?? `#${id}`;
}
