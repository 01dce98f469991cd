/**
 * Leaks: owning allocations still live at report time (or made after a checkpoint), largest first,
 * and grouped by the op and scope that allocated them. Aliases hold no memory of their own and CBs
 * are released by the next launch, so neither is a leak.
 */
import { MEM_TYPE_NAMES } from '../events/format';
import type { Leak, LeakGroup } from '../report/types';
import { blockName, type TrackedBuffer } from './buffer';

/** Live owners with `ordinal > since`, largest first (ties: allocation order). */
export function liveOwners(live: readonly TrackedBuffer[], since: number): TrackedBuffer[] {
  const out: TrackedBuffer[] = [];
  for (const buffer of live) if (buffer.owner === null && buffer.ordinal > since) out.push(buffer);
  out.sort((a, b) => b.size - a.size || a.ordinal - b.ordinal);
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

/** Groups by (op, scope), most bytes first. */
export function groupLeaks(owners: readonly TrackedBuffer[], names: readonly string[]): LeakGroup[] {
  const groups = new Map<string, LeakGroup>();
  for (const b of owners) {
    const key = `${b.allocOp}:${b.allocScope}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { op: nameOf(names, b.allocOp), scope: nameOf(names, b.allocScope), buffers: 0, bytes: 0 }));
    g.buffers++;
    g.bytes += b.size;
  }
  return [...groups.values()].sort((a, b) => b.bytes - a.bytes || b.buffers - a.buffers);
}

/** The interned name of `id`; null for 0 (none). */
export function nameOf(names: readonly string[], id: number): string | null {
  if (id === 0) return null;
  return names[id] ?? `#${id}`;
}
