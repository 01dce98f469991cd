/**
 * Lifetime classes (docs/report.md#lifetimes-why-a-buffer-outlived-its-test): why an owning buffer
 * outlived the harness scope (test, hook) that allocated it, and which buffers went only with their
 * device. Each class rests on what the runtime reports, nothing else:
 * - deviceClose: live when its device closed. Upstream reports no free after `Device::close`.
 * - program: freed after its scope ended inside a program's teardown: on the thread of a CB release
 *   for its chip (or a chip of its mesh), with only frees and CB releases between. Upstream (2026-04,
 *   PR #37218) `ProgramImpl::~ProgramImpl` releases the program's CBs (`track_deallocate_cb` per chip)
 *   before its members go: the kernel binaries (`kernels_buffer_`) and the buffer pool
 *   (`owned_buffer_pool`). A program cache cleared (`disable_and_clear_program_cache`, also at
 *   `Device::close`) tears its programs down so.
 * - trace: live when a trace was captured on its device, and the trace still held when the scope
 *   ended: replays of a trace read and write the addresses it captured. A trace is seen as its trace
 *   buffer (`MeshTrace::populate_mesh_buffer`, at the end of a capture; freed by `release_trace`): a
 *   TRACE buffer, or since PR #36999 a top-down DRAM buffer allocated outside any op (kernel binaries,
 *   the other top-down DRAM buffers, are allocated while an op launches its program).
 * - laterFree: freed after its scope ended, none of the above. live: still live at report time.
 */
import { MEM_TYPE_NAMES, MemType } from '../events/format';
import type { LifetimeClass, LifetimeExample, LifetimeRow, Lifetimes as LifetimesReport } from '../report/types';
import type { BufferStore, Slot } from './buffer-store';
import { keyId, keyKind, MESH_KEY } from './device-key';
import { nameOf } from './leaks';
import type { MeshMembership } from './mesh';
import type { ScopeInstances } from './scope-instances';

/** Examples kept per (scope, class) row. */
export const LIFETIME_EXAMPLES = 5;
export const LIFETIME_CLASSES: readonly LifetimeClass[] = ['deviceClose', 'program', 'trace', 'laterFree', 'live'];
const DEVICE_CLOSE = 0;
const PROGRAM = 1;
const TRACE = 2;
const LATER_FREE = 3;
const LIVE = 4;
// Traces remembered: real workloads hold a handful; a hostile stream must not grow the list without end.
const TRACE_LIMIT = 4096;

interface Trace {
  id: number;
  key: number;
  /** Stream positions of its allocation and its free (or loss); Infinity while it holds. */
  from: number;
  to: number;
}

interface Row {
  scope: number;
  cls: number;
  buffers: number;
  bytes: number;
  examples: LifetimeExample[];
}

export class Lifetimes {
  /** Rows of buffers classified at their free (final), by scope name id × class. */
  private readonly freed = new Map<number, Row>();
  private readonly traces: Trace[] = [];
  /** The thread of the teardown in progress (-1: none) and the devices whose CBs it released. */
  private teardownThread = -1;
  private readonly teardownKeys: number[] = [];

  constructor(
    private readonly store: BufferStore,
    private readonly scopes: ScopeInstances,
    private readonly mesh: MeshMembership,
    private readonly names: readonly string[],
  ) {}

  /** The thread a teardown is in progress on, -1 for none: any event there but a free or a CB release ends it. */
  get teardownOn(): number {
    return this.teardownThread;
  }

  /** Whether any trace buffer was seen: only then does a free need checking against them. */
  get tracing(): boolean {
    return this.traces.length > 0;
  }

  endTeardown(): void {
    this.teardownThread = -1;
  }

  /** A CB release of device `key` on `thread`: a program is being torn down. */
  cbRelease(key: number, thread: number): void {
    if (thread !== this.teardownThread) {
      this.teardownThread = thread;
      this.teardownKeys.length = 0;
    }
    if (!this.teardownKeys.includes(key)) this.teardownKeys.push(key);
  }

  /** Whether an owning allocation is a trace buffer (see the module comment). */
  static isTrace(type: number, topDown: boolean, opOpen: boolean): boolean {
    return type === MemType.TRACE || (type === MemType.DRAM && topDown && !opOpen);
  }

  traceAllocated(id: number, key: number, ordinal: number): void {
    if (this.traces.length === TRACE_LIMIT) this.traces.shift();
    this.traces.push({ id, key, from: ordinal, to: Infinity });
  }

  /** Owner `id` of `type` freed (or lost with its device) at `ordinal`: a trace ends if it was one. */
  traceGone(id: number, key: number, type: number, ordinal: number): void {
    if (type !== MemType.TRACE && type !== MemType.DRAM) return;
    for (let k = this.traces.length - 1; k >= 0; k--) {
      const t = this.traces[k];
      if (t.id === id && t.key === key && t.to === Infinity) {
        t.to = ordinal;
        return;
      }
    }
  }

  /**
   * Owner `s` freed (a plain free) on `thread` at sequence `seq`, inside op `op` and scope `scope`
   * (name ids): classified if its scope had ended. Read before the slot is released.
   */
  freedOwner(s: Slot, thread: number, seq: number, op: number, scope: number): void {
    const store = this.store;
    const end = this.scopes.end(store.allocScopeInstance(s));
    if (end < 0) return;
    const key = store.device(s);
    const cls = thread === this.teardownThread && this.tornDown(key) ? PROGRAM
      : this.acrossTrace(s, end) ? TRACE : LATER_FREE;
    this.add(this.freed, s, cls, { seq, op: nameOf(this.names, op), scope: nameOf(this.names, scope) });
  }

  /** The class of a live owner or one lost with its device (`lost`), or null when neither applies. */
  classOf(s: Slot, lost: boolean): LifetimeClass | null {
    if (lost) return 'deviceClose';
    const end = this.scopes.end(this.store.allocScopeInstance(s));
    if (end < 0) return null;
    return this.acrossTrace(s, end) ? 'trace' : 'live';
  }

  /** Freed rows so far plus the classes of `live` owners and those `lost` with their device. */
  report(live: readonly Slot[], lost: readonly Slot[]): LifetimesReport {
    const rows = new Map<number, Row>();
    for (const [k, row] of this.freed) rows.set(k, { ...row, examples: [...row.examples] });
    for (const s of lost) this.add(rows, s, DEVICE_CLOSE, null);
    for (const s of live) {
      const cls = this.classOf(s, false);
      if (cls !== null) this.add(rows, s, cls === 'trace' ? TRACE : LIVE, null);
    }
    return summarizeLifetimes([...rows.values()].map((r): LifetimeRow => ({
      scope: nameOf(this.names, r.scope), class: LIFETIME_CLASSES[r.cls], buffers: r.buffers, bytes: r.bytes, examples: r.examples,
    })));
  }

  private add(rows: Map<number, Row>, s: Slot, cls: number, freed: LifetimeExample['freed']): void {
    const store = this.store;
    const scope = store.allocScope(s);
    const k = scope * 8 + cls;
    let row = rows.get(k);
    if (!row) rows.set(k, (row = { scope, cls, buffers: 0, bytes: 0, examples: [] }));
    row.buffers++;
    row.bytes += store.size(s);
    if (row.examples.length < LIFETIME_EXAMPLES) {
      const key = store.device(s);
      row.examples.push({
        id: store.id(s), device: keyId(key), deviceKind: keyKind(key), type: MEM_TYPE_NAMES[store.type(s)],
        address: store.address(s), size: store.size(s), seq: store.allocSeq(s), op: nameOf(this.names, store.allocOp(s)), freed,
      });
    }
  }

  /** Whether the teardown in progress released CBs of `key`, of a chip of mesh `key`, or of its mesh. */
  private tornDown(key: number): boolean {
    for (const k of this.teardownKeys) if (this.related(k, key)) return true;
    return false;
  }

  /** A trace captured on `s`'s device while `s` was live, still held at `end` (its scope's end). */
  private acrossTrace(s: Slot, end: number): boolean {
    if (this.traces.length === 0) return false;
    const from = this.store.ordinal(s);
    const key = this.store.device(s);
    for (const t of this.traces) if (t.from > from && t.from < end && t.to > end && this.related(t.key, key)) return true;
    return false;
  }

  /** The same device, or a mesh and one of its chips. */
  private related(a: number, b: number): boolean {
    if (a === b) return true;
    return a >= MESH_KEY ? b < MESH_KEY && this.mesh.has(a, b) : b >= MESH_KEY && this.mesh.has(b, a);
  }
}

/**
 * The report's lifetimes from its (scope, class) rows: per-class totals, rows most bytes first, then
 * most buffers, class order, scope name. One rule for report() and for merged reports.
 */
export function summarizeLifetimes(rows: LifetimeRow[]): LifetimesReport {
  const classes = Object.fromEntries(LIFETIME_CLASSES.map((c) => [c, { buffers: 0, bytes: 0 }])) as LifetimesReport['classes'];
  for (const row of rows) {
    classes[row.class].buffers += row.buffers;
    classes[row.class].bytes += row.bytes;
  }
  const order = (c: LifetimeClass) => LIFETIME_CLASSES.indexOf(c);
  rows.sort((a, b) => b.bytes - a.bytes || b.buffers - a.buffers || order(a.class) - order(b.class) ||
    (a.scope ?? '').localeCompare(b.scope ?? ''));
  return { classes, byScope: rows };
}
