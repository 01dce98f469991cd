/**
 * Leaks: owning allocations still live at report time (or made after a checkpoint), largest first,
 * and grouped by the op and scope that allocated them. Aliases hold no memory of their own and CBs
 * are released by the next launch, so neither is a leak.
 */
import { MEM_TYPE_NAMES } from '../events/format';
import type { Leak, LeakGroup } from '../report/types';
import { blockName, type TrackedBuffer } from './buffer';

/** Leak order: largest first, ties in allocation order. A total order (ordinals are unique). */
export function byLeakOrder(a: TrackedBuffer, b: TrackedBuffer): number {
  return b.size - a.size || a.ordinal - b.ordinal;
}

/** Live owners with `ordinal > since`, unsorted (see byLeakOrder, topK). */
export function liveOwners(live: readonly TrackedBuffer[], since: number): TrackedBuffer[] {
  const out: TrackedBuffer[] = [];
  for (const buffer of live) if (buffer.owner === null && buffer.ordinal > since) out.push(buffer);
  return out;
}

export function toLeak(buffer: TrackedBuffer, names: readonly string[]): Leak {
  return {
    id: buffer.id,
    device: buffer.device,
    type: MEM_TYPE_NAMES[buffer.type],
    address: buffer.address,
    block: blockName(buffer.address, buffer.generation),
    size: buffer.size,
    seq: buffer.allocSeq,
    op: nameOf(names, buffer.allocOp),
    scope: nameOf(names, buffer.allocScope),
  };
}

interface Group {
  row: LeakGroup;
  /** The group's member first in leak order: ties in bytes and buffers go by it. */
  first: TrackedBuffer;
}

/**
 * Groups by (op, scope), most bytes first, then most buffers, then the group whose first member
 * leads in leak order. Keyed by the numeric name ids (op, then scope): no string built per buffer.
 */
export function groupLeaks(owners: readonly TrackedBuffer[], names: readonly string[]): LeakGroup[] {
  const byOp = new Map<number, Map<number, Group>>();
  const groups: Group[] = [];
  let g: Group | undefined;
  for (const b of owners) {
    // Buffers of one op and scope come in runs: the previous group is usually the right one.
    if (!g || g.first.allocOp !== b.allocOp || g.first.allocScope !== b.allocScope) g = findGroup(byOp, b);
    if (!g) {
      g = { row: { op: nameOf(names, b.allocOp), scope: nameOf(names, b.allocScope), buffers: 0, bytes: 0 }, first: b };
      let byScope = byOp.get(b.allocOp);
      if (!byScope) byOp.set(b.allocOp, (byScope = new Map()));
      byScope.set(b.allocScope, g);
      groups.push(g);
    } else if (byLeakOrder(b, g.first) < 0) {
      g.first = b;
    }
    g.row.buffers++;
    g.row.bytes += b.size;
  }
  groups.sort((a, b) => b.row.bytes - a.row.bytes || b.row.buffers - a.row.buffers || byLeakOrder(a.first, b.first));
  return groups.map((g) => g.row);
}

function findGroup(byOp: Map<number, Map<number, Group>>, b: TrackedBuffer): Group | undefined {
  return byOp.get(b.allocOp)?.get(b.allocScope);
}

/** The interned name of `id`; null for 0 (none). */
export function nameOf(names: readonly string[], id: number): string | null {
  if (id === 0) return null;
  return names[id] ?? `#${id}`;
}
