import { describe, expect, it } from 'vitest';
import { AliasKind } from '../lib/aggregator/buffer';
import { BufferStore, NONE } from '../lib/aggregator/buffer-store';

const add = (store: BufferStore, id: number) =>
  store.add(id, 3, 1, 0x1000 * id, 0x100, 0x1000 * id + 0x80, 2, 10 * id, 4, 5, 6, 100 + id);

describe('BufferStore', () => {
  it('round-trips every field of a record, across growth', () => {
    const store = new BufferStore();
    const slots = Array.from({ length: 3000 }, (_, k) =>
      store.add(2 ** 53 - 1 - k, 65535, 5, 2 ** 52 + k, 2 ** 40, 2 ** 52 + k + 2 ** 38, 0xffffffff, 2 ** 60, 65535, 0xfffffffe, 7, 2 ** 33 + k));
    expect(new Set(slots).size).toBe(3000);
    const s = slots[2999];
    expect([store.id(s), store.device(s), store.type(s), store.address(s), store.size(s), store.end(s)])
      .toEqual([2 ** 53 - 1 - 2999, 65535, 5, 2 ** 52 + 2999, 2 ** 40, 2 ** 52 + 2999 + 2 ** 38]);
    expect([store.generation(s), store.allocSeq(s), store.allocThread(s), store.allocOp(s), store.allocScopeInstance(s), store.ordinal(s)])
      .toEqual([0xffffffff, 2 ** 60, 65535, 0xfffffffe, 7, 2 ** 33 + 2999]);
    expect([store.owner(s), store.aliasKind(s), store.live(s), store.inRanges(s), store.chargedChips(s)])
      .toEqual([NONE, AliasKind.None, true, false, null]);
    const chips = Object.freeze([0, 1, 2]);
    store.setChargedChips(s, chips);
    store.setInRanges(s, true);
    expect(store.chargedChips(s)).toBe(chips);
    expect([store.inRanges(s), store.type(s), store.live(s)]).toEqual([true, 5, true]);
  });

  it('reuses a freed slot at once, but keeps a freed owner until its last alias is released', () => {
    const store = new BufferStore();
    const owner = add(store, 1);
    const view = add(store, 2);
    const replica = add(store, 3);
    store.setOwner(view, owner, AliasKind.View);
    store.setOwner(replica, owner, AliasKind.Replica);
    expect([store.owner(view), store.aliasKind(view), store.aliasKind(replica)]).toEqual([owner, AliasKind.View, AliasKind.Replica]);
    store.release(owner);
    expect(store.live(owner)).toBe(false);
    store.release(view);
    // The view's slot comes back; the owner's is still held by the replica.
    const next = add(store, 4);
    expect(next).toBe(view);
    expect(store.id(owner)).toBe(1);
    store.release(replica);
    // Last in, first out: the owner (released with the replica) and then the replica's slot.
    expect(add(store, 5)).toBe(owner);
    expect(add(store, 6)).toBe(replica);
    expect(add(store, 7)).toBe(3);
  });
});
