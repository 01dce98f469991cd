/**
 * Attribution to ops (OpStart/OpEnd per thread, nested) and harness scopes (Mark begin/end by token),
 * per chip (docs/report.md#ops-and-scopes):
 * - `peak`: the most bytes that allocations made inside the op (on its thread; a scope: any thread)
 *   held at once on one chip. Frees of memory allocated before the op do not offset it; an inner
 *   op's allocations count toward its outer op's peak too.
 * - `devicePeak`: the highest usage a chip reached while the op ran (what ttnn's peak-L1 extraction
 *   reports), over the chips whose usage changed meanwhile; a chip's level at the op's start counts.
 * Each names its chip. A mesh backing allocation counts on each chip of the mesh.
 */
import { MEM_TYPE_NAMES } from '../events/format';
import type { BytesByType, DeviceRef, DevicesByType, OpReport, OpSlices } from '../report/types';
import { keyId, keyKind } from './device-key';
import type { ScopeInstances } from './scope-instances';
import { MEM_TYPES } from './usage';

// Past this nesting an OpStart or scope begin is counted but not tracked: a hostile stream of starts
// without ends must not make every allocation walk an unbounded stack. Real ttnn nesting is < 20.
const MAX_DEPTH = 256;
const NO_KEY = -1;

/** Per-type peaks with the device key where each happened. */
class Peaks {
  readonly held = new Float64Array(MEM_TYPES);
  readonly heldKey = new Int32Array(MEM_TYPES).fill(NO_KEY);
  readonly device = new Float64Array(MEM_TYPES);
  readonly deviceKey = new Int32Array(MEM_TYPES).fill(NO_KEY);

  clear(): void {
    // Loops, not fill(): four builtin calls per op call cost more than the 24 stores (Llama: 58,000 op calls).
    for (let t = 0; t < MEM_TYPES; t++) {
      this.held[t] = 0;
      this.heldKey[t] = NO_KEY;
      this.device[t] = 0;
      this.deviceKey[t] = NO_KEY;
    }
  }

  mergeFrom(p: Peaks): void {
    for (let t = 0; t < MEM_TYPES; t++) {
      if (p.held[t] > this.held[t]) { this.held[t] = p.held[t]; this.heldKey[t] = p.heldKey[t]; }
      if (p.device[t] > this.device[t]) { this.device[t] = p.device[t]; this.deviceKey[t] = p.deviceKey[t]; }
    }
  }
}

class Frame {
  readonly peaks = new Peaks();
  /**
   * Device keys this frame saw change (`count` of them), and per key × type the bytes its own
   * allocations hold. A mesh charge to chips that all mirror the mesh (equal usage everywhere) is
   * applied once, to the first chip of the list standing for all (`group`): on a 2×4 mesh one update
   * instead of eight. The group is split into its chips (copies) before a change to one chip alone.
   */
  keys = new Int32Array(8);
  count = 0;
  held = new Float64Array(8 * MEM_TYPES);
  /** Per key: bit t set once type t changed on it during the frame. */
  touched = new Int32Array(8);
  group: readonly number[] | null = null;
  private lastKey = -1;
  private lastSlot = -1;
  /** Index of this call's slice in Attribution.slices, -1 when past the slice limit. */
  slice = -1;
  /** A scope's instance (scope-instances.ts); 0 for an op. */
  instance = 0;
  /** Its name's totals, what close() merges into: kept here so an op call probes the totals Map once, not twice. */
  totals: Totals | null = null;
  constructor(public nameId: number, public token: number, public thread: number, public start: number) {}

  /** Readies a finished frame for another call (frames are pooled). */
  reuse(nameId: number, token: number, thread: number, start: number): Frame {
    this.nameId = nameId;
    this.token = token;
    this.thread = thread;
    this.start = start;
    this.slice = -1;
    this.instance = 0;
    const held = this.held;
    for (let h = 0, n = this.count * MEM_TYPES; h < n; h++) held[h] = 0;
    const touched = this.touched;
    for (let k = 0; k < this.count; k++) touched[k] = 0;
    this.count = 0;
    this.group = null;
    this.lastKey = -1;
    this.peaks.clear();
    return this;
  }

  private slotOf(key: number): number {
    if (key === this.lastKey) return this.lastSlot;
    const keys = this.keys;
    const n = this.count;
    let k = 0;
    while (k < n && keys[k] !== key) k++;
    if (k === n) k = this.addSlot(key);
    this.lastKey = key;
    this.lastSlot = k;
    return k;
  }

  private addSlot(key: number): number {
    const k = this.count++;
    if (k === this.keys.length) {
      const keys = new Int32Array(2 * k);
      keys.set(this.keys);
      this.keys = keys;
      const touched = new Int32Array(2 * k);
      touched.set(this.touched);
      this.touched = touched;
      const held = new Float64Array(2 * k * MEM_TYPES);
      held.set(this.held);
      this.held = held;
    }
    this.keys[k] = key;
    return k;
  }

  private has(key: number): boolean {
    for (let k = 0; k < this.count; k++) if (this.keys[k] === key) return true;
    return false;
  }

  /** Gives every chip of the group its own copy of the group's figures. */
  private splitGroup(): void {
    const chips = this.group!;
    this.group = null;
    const from = this.slotOf(chips[0]);
    for (let c = 1; c < chips.length; c++) {
      const k = this.slotOf(chips[c]);
      this.touched[k] = this.touched[from];
      for (let t = 0; t < MEM_TYPES; t++) this.held[k * MEM_TYPES + t] = this.held[from * MEM_TYPES + t];
    }
  }

  /**
   * One change of `delta` bytes of `type` on device `key`, whose usage went from `before` to
   * `after`; `own`: the bytes belong to an allocation made inside this frame.
   */
  apply(key: number, type: number, delta: number, own: boolean, before: number, after: number): void {
    if (this.group?.includes(key)) this.splitGroup();
    this.applyTo(this.slotOf(key), key, type, delta, own, before, after);
  }

  /**
   * The same change on every chip of `chips`, whose usages are all equal (they mirror their mesh).
   * Returns false when the frame already holds one of them apart: the caller applies chip by chip.
   */
  applyGroup(chips: readonly number[], type: number, delta: number, own: boolean, before: number, after: number): boolean {
    if (this.group !== chips) {
      if (this.group !== null) return false;
      for (let c = 0; c < chips.length; c++) if (this.has(chips[c])) return false;
      this.group = chips;
    }
    this.applyTo(this.slotOf(chips[0]), chips[0], type, delta, own, before, after);
    return true;
  }

  private applyTo(k: number, key: number, type: number, delta: number, own: boolean, before: number, after: number): void {
    const p = this.peaks;
    const bit = 1 << type;
    if ((this.touched[k] & bit) === 0) {
      // First change of this type on this chip during the frame: `before` is its level at the start.
      this.touched[k] |= bit;
      if (before > p.device[type]) { p.device[type] = before; p.deviceKey[type] = key; }
    }
    if (after > p.device[type]) { p.device[type] = after; p.deviceKey[type] = key; }
    if (!own) return;
    const h = k * MEM_TYPES + type;
    const now = this.held[h] + delta;
    this.held[h] = now;
    if (now > p.held[type]) { p.held[type] = now; p.heldKey[type] = key; }
  }
}

interface Totals {
  calls: number;
  peaks: Peaks;
  /** Double, stale and untracked frees while this op (innermost on its thread) or scope (innermost) ran. */
  suspiciousFrees: number;
}

/** Counts one call of `nameId` and returns its totals. */
function count(totals: Map<number, Totals>, nameId: number): Totals {
  let t = totals.get(nameId);
  if (t) t.calls++;
  else totals.set(nameId, (t = { calls: 1, peaks: new Peaks(), suspiciousFrees: 0 }));
  return t;
}

/** One op call's interval; `end` is -1 while the op is open. */
interface SliceRecord {
  nameId: number;
  thread: number;
  depth: number;
  start: number;
  end: number;
}

export class Attribution {
  /** The first `sliceLimit` op calls in start order: what a trace viewer draws as slices. */
  private readonly slices: SliceRecord[] = [];
  /** Op calls not in `slices`: past the limit or past the nesting bound. */
  private slicesOmitted = 0;
  private readonly stacks: (Frame[] | undefined)[] = [];
  private readonly scopes: Frame[] = [];
  /** Every open frame: ops of all threads and scopes (device peaks see every thread's changes). */
  private readonly open: Frame[] = [];
  private readonly opTotals = new Map<number, Totals>();
  private readonly scopeTotals = new Map<number, Totals>();
  /** Finished frames, merged into their totals, for the next calls. */
  private readonly pool: Frame[] = [];

  constructor(private readonly sliceLimit: number, private readonly instances: ScopeInstances) {}

  /** Whether any op or scope is open: when not, changes need not be reported here at all. */
  get active(): boolean {
    return this.open.length > 0;
  }

  /** Open frames (ops of every thread and scopes). */
  get openCount(): number {
    return this.open.length;
  }

  /** `ordinal`: the stream position of the OpStart; allocations after it are the op's own. */
  opStart(thread: number, nameId: number, time: number, ordinal: number): void {
    const totals = count(this.opTotals, nameId);
    const stack = (this.stacks[thread] ??= []);
    if (stack.length >= MAX_DEPTH) {
      this.slicesOmitted++;
      return;
    }
    const frame = this.frame(nameId, 0, thread, ordinal);
    frame.totals = totals;
    if (this.slices.length < this.sliceLimit) {
      frame.slice = this.slices.length;
      this.slices.push({ nameId, thread, depth: stack.length, start: time, end: -1 });
    } else {
      this.slicesOmitted++;
    }
    stack.push(frame);
    this.open.push(frame);
  }

  /** Ends the innermost op on `thread`; an end without a start is ignored. */
  opEnd(thread: number, time: number): void {
    const frame = this.stacks[thread]?.pop();
    if (!frame) return;
    this.close(frame);
    if (frame.slice >= 0) this.slices[frame.slice].end = time;
  }

  scopeBegin(token: number, nameId: number, ordinal: number): void {
    const totals = count(this.scopeTotals, nameId);
    if (this.scopes.length >= MAX_DEPTH) return;
    const frame = this.frame(nameId, token, -1, ordinal);
    frame.totals = totals;
    frame.instance = this.instances.begin(nameId);
    this.scopes.push(frame);
    this.open.push(frame);
  }

  /** Ends the most recent open scope with `token` at stream position `ordinal`; an unknown token is ignored. */
  scopeEnd(token: number, ordinal: number): void {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      if (this.scopes[i].token !== token) continue;
      const [frame] = this.scopes.splice(i, 1);
      this.instances.finish(frame.instance, ordinal);
      this.close(frame);
      return;
    }
  }

  private close(frame: Frame): void {
    // Remove from `open` in place (splice allocates the removed part): usually the last entry.
    const open = this.open;
    let i = open.length - 1;
    while (open[i] !== frame) i--;
    for (; i < open.length - 1; i++) open[i] = open[i + 1];
    open.pop();
    frame.totals!.peaks.mergeFrom(frame.peaks);
    frame.totals = null;
    this.pool.push(frame);
  }

  private frame(nameId: number, token: number, thread: number, start: number): Frame {
    const pooled = this.pool.pop();
    return pooled !== undefined ? pooled.reuse(nameId, token, thread, start) : new Frame(nameId, token, thread, start);
  }

  /** A suspicious free on `thread`: counted for the innermost op open on it and the innermost open scope. */
  suspiciousFree(thread: number): void {
    const stack = this.stacks[thread];
    if (stack && stack.length > 0) stack[stack.length - 1].totals!.suspiciousFrees++;
    if (this.scopes.length > 0) this.scopes[this.scopes.length - 1].totals!.suspiciousFrees++;
  }

  /** Name id of the innermost op open on `thread`, 0 if none. */
  opOf(thread: number): number {
    const stack = this.stacks[thread];
    return stack && stack.length > 0 ? stack[stack.length - 1].nameId : 0;
  }

  /** Name id of the innermost open scope, 0 if none. */
  scope(): number {
    return this.scopes.length > 0 ? this.scopes[this.scopes.length - 1].nameId : 0;
  }

  /** Instance (scope-instances.ts) of the innermost open scope, 0 if none. */
  scopeInstance(): number {
    return this.scopes.length > 0 ? this.scopes[this.scopes.length - 1].instance : 0;
  }

  /**
   * A change of `delta` bytes of `type` on chip (device key) `key`, from `before` to `after`, for
   * memory allocated on `allocThread` at stream position `allocOrdinal`. Call only when `active`.
   */
  change(key: number, type: number, delta: number, before: number, after: number, allocThread: number, allocOrdinal: number): void {
    const open = this.open;
    for (let i = 0; i < open.length; i++) {
      const f = open[i];
      f.apply(key, type, delta, allocOrdinal > f.start && (f.thread < 0 || f.thread === allocThread), before, after);
    }
  }

  /**
   * The same change on every chip of `chips`, all at the same usage (they mirror their mesh), from
   * `before` to `after`. Returns the index of the first open frame that holds one of the chips apart
   * (frames before it took the change): the caller applies chip by chip from there (changeFrom).
   * Call only when `active`.
   */
  changeGroup(chips: readonly number[], type: number, delta: number, before: number, after: number, allocThread: number, allocOrdinal: number): number {
    const open = this.open;
    for (let i = 0; i < open.length; i++) {
      const f = open[i];
      if (!f.applyGroup(chips, type, delta, allocOrdinal > f.start && (f.thread < 0 || f.thread === allocThread), before, after)) return i;
    }
    return open.length;
  }

  /** change() on the frames from index `from` on (after a changeGroup() that stopped there). */
  changeFrom(from: number, key: number, type: number, delta: number, before: number, after: number, allocThread: number, allocOrdinal: number): void {
    const open = this.open;
    for (let i = from; i < open.length; i++) {
      const f = open[i];
      f.apply(key, type, delta, allocOrdinal > f.start && (f.thread < 0 || f.thread === allocThread), before, after);
    }
  }

  /** Ops by name, largest total peak first; open frames count with their peak so far. */
  opsReport(names: readonly string[]): OpReport[] {
    const open: Frame[] = [];
    for (const stack of this.stacks) if (stack) open.push(...stack);
    return report(this.opTotals, open, names);
  }

  scopesReport(names: readonly string[]): OpReport[] {
    return report(this.scopeTotals, this.scopes, names);
  }

  /** Recorded op calls in start order; an op still open has `end: null`. */
  slicesReport(names: readonly string[]): OpSlices {
    return {
      omitted: this.slicesOmitted,
      slices: this.slices.map((r) => ({
        name: names[r.nameId] ?? `#${r.nameId}`, thread: r.thread, depth: r.depth, start: r.start, end: r.end < 0 ? null : r.end,
      })),
    };
  }
}

function deviceRef(key: number): DeviceRef {
  return { id: keyId(key), kind: keyKind(key) };
}

function report(totals: Map<number, Totals>, open: readonly Frame[], names: readonly string[]): OpReport[] {
  const peaks = new Map<number, Peaks>();
  for (const [nameId, t] of totals) {
    const p = new Peaks();
    p.mergeFrom(t.peaks);
    peaks.set(nameId, p);
  }
  for (const frame of open) peaks.get(frame.nameId)?.mergeFrom(frame.peaks);
  const rows = [...totals].map(([nameId, t]) => {
    const p = peaks.get(nameId)!;
    const peak = {} as BytesByType;
    const devicePeak = {} as BytesByType;
    const peakDevice: DevicesByType = {};
    const devicePeakDevice: DevicesByType = {};
    let total = 0;
    MEM_TYPE_NAMES.forEach((name, k) => {
      peak[name] = p.held[k];
      devicePeak[name] = p.device[k];
      total += p.held[k];
      if (p.heldKey[k] !== NO_KEY && p.held[k] > 0) peakDevice[name] = deviceRef(p.heldKey[k]);
      if (p.deviceKey[k] !== NO_KEY && p.device[k] > 0) devicePeakDevice[name] = deviceRef(p.deviceKey[k]);
    });
    return {
      row: { name: names[nameId] ?? `#${nameId}`, calls: t.calls, peak, peakDevice, devicePeak, devicePeakDevice, suspiciousFrees: t.suspiciousFrees },
      total,
    };
  });
  rows.sort((a, b) => b.total - a.total || (a.row.name < b.row.name ? -1 : a.row.name > b.row.name ? 1 : 0));
  return rows.map((r) => r.row);
}
