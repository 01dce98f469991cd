/**
 * Attribution to ops (OpStart/OpEnd per thread, nested) and harness scopes (Mark begin/end by token).
 * Every change of charged bytes is applied to the frames open on the event's thread and to every open
 * scope: a frame's peak is the most bytes allocated during it and still held, so an inner op's bytes
 * count toward its outer op's peak too.
 */
import { MEM_TYPE_NAMES } from '../events/format';
import type { BytesByType, OpReport, OpSlices } from '../report/types';
import { MEM_TYPES } from './usage';

// Past this nesting an OpStart or scope begin is counted but not tracked: a hostile stream of starts
// without ends must not make every allocation walk an unbounded stack. Real ttnn nesting is < 20.
const MAX_DEPTH = 256;

class Frame {
  readonly net = new Float64Array(MEM_TYPES);
  readonly peak = new Float64Array(MEM_TYPES);
  /** Index of this call's slice in Attribution.slices, -1 when past the slice limit. */
  slice = -1;
  constructor(public nameId: number, public token: number) {}

  /** Readies a finished frame for another call (frames are pooled: two typed arrays per op call showed in the profile). */
  reuse(nameId: number, token: number): Frame {
    this.nameId = nameId;
    this.token = token;
    this.slice = -1;
    this.net.fill(0);
    this.peak.fill(0);
    return this;
  }

  apply(type: number, delta: number): void {
    const now = this.net[type] + delta;
    this.net[type] = now;
    if (now > this.peak[type]) this.peak[type] = now;
  }
}

interface Totals {
  calls: number;
  peak: Float64Array;
}

function merge(totals: Map<number, Totals>, frame: Frame): void {
  const t = totals.get(frame.nameId);
  if (!t) return;
  for (let k = 0; k < MEM_TYPES; k++) if (frame.peak[k] > t.peak[k]) t.peak[k] = frame.peak[k];
}

function count(totals: Map<number, Totals>, nameId: number): void {
  const t = totals.get(nameId);
  if (t) t.calls++;
  else totals.set(nameId, { calls: 1, peak: new Float64Array(MEM_TYPES) });
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
  private readonly opTotals = new Map<number, Totals>();
  private readonly scopeTotals = new Map<number, Totals>();
  /** Open op frames on all threads plus open scopes: 0 makes apply() a single branch. */
  private openFrames = 0;
  /** Finished frames, merged into their totals, for the next calls. */
  private readonly pool: Frame[] = [];

  constructor(private readonly sliceLimit: number) {}

  opStart(thread: number, nameId: number, time: number): void {
    count(this.opTotals, nameId);
    const stack = (this.stacks[thread] ??= []);
    if (stack.length >= MAX_DEPTH) {
      this.slicesOmitted++;
      return;
    }
    const frame = this.frame(nameId, 0);
    if (this.slices.length < this.sliceLimit) {
      frame.slice = this.slices.length;
      this.slices.push({ nameId, thread, depth: stack.length, start: time, end: -1 });
    } else {
      this.slicesOmitted++;
    }
    stack.push(frame);
    this.openFrames++;
  }

  /** Ends the innermost op on `thread`; an end without a start is ignored. */
  opEnd(thread: number, time: number): void {
    const frame = this.stacks[thread]?.pop();
    if (!frame) return;
    this.openFrames--;
    merge(this.opTotals, frame);
    if (frame.slice >= 0) this.slices[frame.slice].end = time;
    this.pool.push(frame);
  }

  scopeBegin(token: number, nameId: number): void {
    count(this.scopeTotals, nameId);
    if (this.scopes.length >= MAX_DEPTH) return;
    this.scopes.push(this.frame(nameId, token));
    this.openFrames++;
  }

  /** Ends the most recent open scope with `token`; an unknown token is ignored. */
  scopeEnd(token: number): void {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      if (this.scopes[i].token !== token) continue;
      const [frame] = this.scopes.splice(i, 1);
      this.openFrames--;
      merge(this.scopeTotals, frame);
      this.pool.push(frame);
      return;
    }
  }

  private frame(nameId: number, token: number): Frame {
    const pooled = this.pool.pop();
    return pooled !== undefined ? pooled.reuse(nameId, token) : new Frame(nameId, token);
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

  apply(thread: number, type: number, delta: number): void {
    if (this.openFrames === 0) return;
    const stack = this.stacks[thread];
    if (stack) for (let i = 0; i < stack.length; i++) stack[i].apply(type, delta);
    for (let i = 0; i < this.scopes.length; i++) this.scopes[i].apply(type, delta);
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

function report(totals: Map<number, Totals>, open: readonly Frame[], names: readonly string[]): OpReport[] {
  const peaks = new Map<number, Float64Array>();
  for (const [nameId, t] of totals) peaks.set(nameId, Float64Array.from(t.peak));
  for (const frame of open) {
    const p = peaks.get(frame.nameId);
    if (p) for (let k = 0; k < MEM_TYPES; k++) if (frame.peak[k] > p[k]) p[k] = frame.peak[k];
  }
  const rows = [...totals].map(([nameId, t]) => {
    const p = peaks.get(nameId)!;
    const peak = {} as BytesByType;
    MEM_TYPE_NAMES.forEach((name, k) => { peak[name] = p[k]; });
    return { name: names[nameId] ?? `#${nameId}`, calls: t.calls, peak, total: p.reduce((a, b) => a + b, 0) };
  });
  rows.sort((a, b) => b.total - a.total || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return rows.map(({ name, calls, peak }) => ({ name, calls, peak }));
}
