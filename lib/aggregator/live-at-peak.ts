/**
 * What was live at the peak (memory_viz's most used view): per device × memory type, the owning
 * buffers charged there at the moment usage first reached its peak, largest first.
 *
 * Kept without a snapshot per new peak (an allocation ramp sets a new peak at every allocation):
 * each device × type remembers the stream position of its peak; at report time the buffers live at
 * the peak are the live ones allocated at or before it, plus those freed since (kept as the largest
 * `limit` records, which is all a bounded list can show). CBs have no buffer objects: not listed.
 */
import { MEM_TYPE_NAMES } from '../events/format';
import type { LiveAtPeak, LiveBuffer } from '../report/types';
import { blockName } from './buffer';
import type { BufferStore, Slot } from './buffer-store';
import { keyId, keyKind, MESH_KEY } from './device-key';
import { nameOf } from './leaks';

/** Buffers listed per device × type. Like leakListLimit: enough to see what dominates. */
export const LIVE_AT_PEAK_LIMIT = 20;

interface Held {
  id: number;
  size: number;
  address: number;
  generation: number;
  seq: number;
  op: number;
  scope: number;
  freedAfterPeak: boolean;
}

interface State {
  key: number;
  type: number;
  current: number;
  live: number;
  peak: number;
  /** Stream position (ordinal) of the allocation that reached the peak; buffers at or before it were live then. */
  peakOrdinal: number;
  peakTime: number;
  peakLive: number;
  /** Buffers live at the peak and freed since: the largest `limit`, largest first. */
  freed: Held[];
  /** On a mesh's state: the chip list (as charged) whose chips' slots hold this very state (see LiveAtPeakTracker). */
  mirrorChips: readonly number[] | null;
}

function fresh(key: number, type: number): State {
  return { key, type, current: 0, live: 0, peak: 0, peakOrdinal: -1, peakTime: 0, peakLive: 0, freed: [], mirrorChips: null };
}

function held(store: BufferStore, s: Slot, freedAfterPeak: boolean): Held {
  return {
    id: store.id(s), size: store.size(s), address: store.address(s), generation: store.generation(s),
    seq: store.allocSeq(s), op: store.allocOp(s), scope: store.allocScope(s), freedAfterPeak,
  };
}

const bySize = (a: Held, b: Held): number => b.size - a.size || a.seq - b.seq;

export class LiveAtPeakTracker {
  /**
   * States by `key * 8 + type`, in two dense arrays as Devices keeps its states (usage.ts): chips by
   * key, meshes by key − 65536. A Map probe per state was ~5% of the mixed stream's time and ~12% of
   * the recorded Llama stream's (every mesh charge visits the mesh and its eight chips).
   *
   * Mirroring, as usage.ts does it: a mesh charge whose mesh and chips have no state yet for the type
   * creates one state for all of them, and each chip's slot holds the mesh's very state (its `key` is
   * the mesh's): they would go through exactly the same updates, so one update stands for all. Before
   * anything reaches a chip without the mesh (a chip's own buffer, another mesh, another chip list),
   * every chip gets its own copy and is updated one by one from then on. Every figure stays what
   * updating each state would give.
   */
  private readonly chipStates: (State | undefined)[] = [];
  private readonly meshStates: (State | undefined)[] = [];

  constructor(private readonly store: BufferStore, private readonly limit = LIVE_AT_PEAK_LIMIT) {}

  /**
   * The state of `key` × `type` for a change to it alone, created if needed: a chip's own, and a
   * mesh's with no chip mirroring it (a mirror is dissolved first).
   */
  private state(key: number, type: number): State {
    if (key >= MESH_KEY) {
      const k = (key - MESH_KEY) * 8 + type;
      let st = this.meshStates[k];
      if (st === undefined) this.meshStates[k] = st = fresh(key, type);
      else if (st.mirrorChips !== null) this.dissolve(st);
      return st;
    }
    const k = key * 8 + type;
    let st = this.chipStates[k];
    if (st === undefined) this.chipStates[k] = st = fresh(key, type);
    else if (st.key !== key) {
      this.dissolve(st);
      st = this.chipStates[k] as State;
    }
    return st;
  }

  /** The state of mesh `mesh` × `type` for a charge to `chips`: a fresh mesh and chips start a mirror; a mirror of another list is dissolved. */
  private meshState(mesh: number, type: number, chips: readonly number[]): State {
    const k = (mesh - MESH_KEY) * 8 + type;
    let st = this.meshStates[k];
    if (st === undefined) {
      this.meshStates[k] = st = fresh(mesh, type);
      for (let c = 0; c < chips.length; c++) if (this.chipStates[chips[c] * 8 + type] !== undefined) return st;
      st.mirrorChips = chips;
      for (let c = 0; c < chips.length; c++) this.chipStates[chips[c] * 8 + type] = st;
      return st;
    }
    if (st.mirrorChips !== null && st.mirrorChips !== chips) this.dissolve(st);
    return st;
  }

  /** Gives every chip mirroring mesh state `st` its own copy. */
  private dissolve(st: State): void {
    const chips = st.mirrorChips as readonly number[];
    for (let c = 0; c < chips.length; c++) {
      // Held records are never changed once made: the copies share them.
      this.chipStates[chips[c] * 8 + st.type] = { ...st, key: chips[c], freed: st.freed.slice(), mirrorChips: null };
    }
    st.mirrorChips = null;
  }

  /** The state of `key * 8 + type` if one exists. */
  private peekState(k: number): State | undefined {
    return k >= MESH_KEY * 8 ? this.meshStates[k - MESH_KEY * 8] : this.chipStates[k];
  }

  /** Every state (a mirrored one once per slot it fills), by ascending `key * 8 + type`, with that key and type. */
  private allStates(): { key: number; type: number; st: State }[] {
    const out: { key: number; type: number; st: State }[] = [];
    const chips = this.chipStates;
    for (let k = 0; k < chips.length; k++) { const st = chips[k]; if (st !== undefined) out.push({ key: k >>> 3, type: k & 7, st }); }
    const meshes = this.meshStates;
    for (let k = 0; k < meshes.length; k++) { const st = meshes[k]; if (st !== undefined) out.push({ key: (k >>> 3) + MESH_KEY, type: k & 7, st }); }
    return out;
  }

  /** Keys an owning buffer is charged to: its device, and each chip of a mesh backing allocation. */
  private keys(s: Slot): number[] {
    const chips = this.store.chargedChips(s);
    return chips === null ? [this.store.device(s)] : [this.store.device(s), ...chips];
  }

  // allocated() and released() run on every owning charge: they visit the device and then each chip
  // without building a key array (an array per event was ~5% of the mixed stream's time, in GC).

  /** An owning buffer was charged (after Aggregator.charge). */
  allocated(s: Slot, time: number): void {
    const store = this.store;
    // The buffer's fields are read once for the device and all its chips.
    const type = store.type(s);
    const size = store.size(s);
    const ordinal = store.ordinal(s);
    const chips = store.chargedChips(s);
    if (chips === null) {
      this.allocatedOn(this.state(store.device(s), type), size, ordinal, time);
      return;
    }
    const st = this.meshState(store.device(s), type, chips);
    this.allocatedOn(st, size, ordinal, time);
    if (st.mirrorChips !== chips) for (let c = 0; c < chips.length; c++) this.allocatedOn(this.state(chips[c], type), size, ordinal, time);
  }

  private allocatedOn(st: State, size: number, ordinal: number, time: number): void {
    st.current += size;
    st.live++;
    if (st.current > st.peak) {
      st.peak = st.current;
      st.peakOrdinal = ordinal;
      st.peakTime = time;
      st.peakLive = st.live;
      if (st.freed.length !== 0) st.freed.length = 0;
    }
  }

  /** An owning buffer's charge was released (freed, displaced or lost with its device), before the store releases it. */
  released(s: Slot): void {
    const store = this.store;
    const type = store.type(s);
    const size = store.size(s);
    const ordinal = store.ordinal(s);
    const chips = store.chargedChips(s);
    if (chips === null) {
      this.releasedOn(this.state(store.device(s), type), s, size, ordinal);
      return;
    }
    const st = this.meshState(store.device(s), type, chips);
    this.releasedOn(st, s, size, ordinal);
    if (st.mirrorChips !== chips) for (let c = 0; c < chips.length; c++) this.releasedOn(this.state(chips[c], type), s, size, ordinal);
  }

  private releasedOn(st: State, s: Slot, size: number, ordinal: number): void {
    st.current -= size;
    st.live--;
    if (ordinal > st.peakOrdinal) return;
    const store = this.store;
    const freed = st.freed;
    if (freed.length === this.limit) {
      // Not among the largest `limit` (bySize order): no record needed.
      const worst = freed[this.limit - 1];
      if (worst.size > size || (worst.size === size && worst.seq <= store.allocSeq(s))) return;
    }
    freed.push(held(store, s, true));
    freed.sort(bySize);
    if (freed.length > this.limit) freed.length = this.limit;
  }

  /** resetPeak(): the peak is now, with what is live now. */
  resetPeak(ordinal: number, time: number): void {
    for (const { st } of this.allStates()) {
      st.peak = st.current;
      st.peakOrdinal = ordinal;
      st.peakTime = time;
      st.peakLive = st.live;
      st.freed.length = 0;
    }
  }

  /** One entry per device × type that had a peak, in device key then type order. */
  report(liveOwners: readonly Slot[], names: readonly string[]): LiveAtPeak[] {
    const store = this.store;
    const limit = this.limit;
    // Per device × type, only the largest `limit` live buffers are kept while scanning (largest first):
    // a record per live owner and a sort of them all made report() ~10× slower at 100,000 live buffers.
    const candidates = new Map<number, Held[]>();
    for (const s of liveOwners) {
      if (store.lost(s)) continue;
      const type = store.type(s);
      const ordinal = store.ordinal(s);
      const size = store.size(s);
      const seq = store.allocSeq(s);
      for (const key of this.keys(s)) {
        const k = key * 8 + type;
        const st = this.peekState(k);
        if (!st || ordinal > st.peakOrdinal) continue;
        let list = candidates.get(k);
        if (!list) candidates.set(k, (list = []));
        if (list.length === limit) {
          const worst = list[limit - 1];
          if (worst.size > size || (worst.size === size && worst.seq <= seq)) continue;
        }
        list.push(held(store, s, false));
        list.sort(bySize);
        if (list.length > limit) list.length = limit;
      }
    }
    const out: LiveAtPeak[] = [];
    for (const { key, type, st } of this.allStates()) {
      if (!(st.peak > 0)) continue;
      const listed = [...(candidates.get(key * 8 + type) ?? []), ...st.freed].sort(bySize).slice(0, this.limit);
      out.push({
        device: keyId(key),
        deviceKind: keyKind(key),
        type: MEM_TYPE_NAMES[type],
        peak: st.peak,
        time: st.peakTime,
        buffers: st.peakLive,
        listed: listed.map((h): LiveBuffer => ({
          id: h.id, size: h.size, block: blockName(h.address, h.generation), seq: h.seq,
          op: nameOf(names, h.op), scope: nameOf(names, h.scope), freedAfterPeak: h.freedAfterPeak,
        })),
        omitted: st.peakLive - listed.length,
      });
    }
    return out;
  }
}
