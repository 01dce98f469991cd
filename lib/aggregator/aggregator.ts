/**
 * The aggregator: consumes drained batches in sequence order, classifies every Alloc and Free event
 * exactly once (classify.ts), and applies the decision to the live table, the range sets, usage,
 * attribution, anomalies and timelines. Reads records in place from typed arrays; buffers are
 * records in a BufferStore, so no object is made per event.
 */
import { EventBatch, EventKind, Flag, MEM_TYPE_NAMES, MemType, Offset, RECORD_BYTES, type MemTypeName } from '../events/format';
import { REPORT_SCHEMA, type AnomalyClass, type AnomalyExample, type AnomalySubkind, type EventCounts, type FailureExplanation, type Leak, type RelatedBuffer, type Report, type Site, type TimelineSeries } from '../report/types';
import { expectInteger } from '../validate';
import { AnomalyLog } from './anomalies';
import { AliasKind, blockName } from './buffer';
import { BufferStore, NONE, type Slot } from './buffer-store';
import { CircularBuffers } from './circular-buffers';
import { AllocClass, Classifier, DISPLACED_MARK, FreeClass, LOST_ALIAS_MARK, type SubkindCode } from './classify';
import { deviceKey, keyId, keyKind, MESH_KEY } from './device-key';
import { FreedHistory, type FreedStory } from './freed-history';
import { failureMessage } from './explain-failure';
import { L1Picture } from './l1-picture';
import { Lifetimes } from './lifetimes';
import { LiveTable } from './live-table';
import { LiveAtPeakTracker } from './live-at-peak';
import { groupLeaks, leakOrder, liveOwners, nameOf, toLeak } from './leaks';
import { MemoryMap } from './memory-map';
import { MeshMembership } from './mesh';
import { Attribution } from './ops-scopes';
import { resolveAggregatorOptions, type AggregatorOptions, type ResolvedAggregatorOptions } from './options';
import { ScopeInstances } from './scope-instances';
import { SeenIds } from './seen-ids';
import { topK } from './top-k';
import { Devices, MEM_TYPES, type DeviceState } from './usage';

export type { AggregatorOptions } from './options';

/** What the drain knows and the aggregator does not: loss and collection figures. */
export interface ReportMeta {
  dropped: number;
}

/** An opaque position in the consumed stream, from checkpoint(); pass it to leaksSince(). */
export type Checkpoint = number & { readonly __checkpoint: unique symbol };

const CB = MemType.CB; // a module constant: read on every CB event
const SUBKIND_NAMES = ['', 'view', 'replica', 'afterReuse', 'deviceClosed', 'displaced'] as const;
// Ids remembered for the class of a late free after they left the live table without one (lost with
// their device, displaced): bounded so a hostile stream cannot grow it without end; past it a late
// free falls to the seen-id rule (doubleFree).
const RETIRED_LIMIT = 1 << 20;

// Where apply(), onAlloc() and onFree() read a record's fields (docs/events.md), in the batch's u32 / u16 /
// u8 views: they read them in place rather than through EventBatch's accessors. Called from these large
// functions, the accessors went past V8's inlining budget and stayed calls (about a tenth of the time on
// the pairs and mixed streams, node --cpu-prof; raising --max-inlined-bytecode-size-cumulative to 3000
// gave the same streams 15-30%).
const WORDS = RECORD_BYTES / 4;
const HALVES = RECORD_BYTES / 2;
const TWO_32 = 4294967296;
const SEQ_W = Offset.seq / 4;
const TIME_W = Offset.time / 4;
const OBJECT_ID_W = Offset.objectId / 4;
const ADDRESS_W = Offset.address / 4;
const SIZE_W = Offset.size / 4;
const PAGE_SIZE_W = Offset.pageSize / 4;
const DEVICE_H = Offset.device / 2;
const THREAD_H = Offset.thread / 2;

export class Aggregator {
  private readonly options: ResolvedAggregatorOptions;
  private readonly counts: Omit<EventCounts, 'dropped'> = {
    total: 0, alloc: 0, free: 0, cbAlloc: 0, cbRelease: 0, program: 0, opStart: 0, opEnd: 0,
    mark: 0, deviceInfo: 0, meshChip: 0, unknown: 0, outOfOrder: 0,
  };
  private readonly names: string[] = [''];
  /** Harness scope instances: buffers remember the one that allocated them (lifetimes.ts). */
  private readonly scopeInstances = new ScopeInstances();
  /** Every tracked buffer: live ones, and freed owners a live alias still refers to. */
  private readonly store = new BufferStore(this.scopeInstances);
  /** Live buffers by unique id: owners and aliases. */
  private readonly live = new LiveTable(this.store);
  private readonly seen = new SeenIds();
  private readonly history: FreedHistory;
  private readonly devices: Devices;
  private readonly mesh = new MeshMembership();
  private readonly classifier: Classifier;
  private readonly memory: MemoryMap;
  private readonly attribution: Attribution;
  private readonly anomalies: AnomalyLog;
  /** What was live at each peak (live-at-peak.ts): told of every owning charge and release. */
  private readonly peaks: LiveAtPeakTracker;
  private readonly cbs = new CircularBuffers();
  /** Ids that left the live table without a free (classify.ts marks), until their late free. */
  private readonly retired = new Map<number, number>();
  /** Owners live when their device closed, kept for the leak report. */
  private readonly lost: Slot[] = [];
  /** CB headroom, fragmentation, failure explanations (l1-picture.ts): told of range and CB changes. */
  private readonly l1: L1Picture;
  /** Why buffers outlived their scope (lifetimes.ts): told of owner frees, trace buffers and CB releases. */
  private readonly lifetimes: Lifetimes;
  /** Events consumed so far: the position checkpoint() hands out. */
  private ordinal = 0;
  private maxSeq = -1;
  // The event being applied, for the CB release callback (set before cbs.release*()).
  private eventTime = 0;
  private releaseLost = false;
  private readonly releaseCb = (device: number, bytes: number, chips: readonly number[] | null, ordinal: number, thread: number): void => {
    this.uncharge(this.devices.get(device), CB, bytes, chips, this.eventTime, thread, ordinal, this.releaseLost);
  };

  constructor(options?: AggregatorOptions) {
    this.options = resolveAggregatorOptions(options);
    this.history = new FreedHistory(this.store, this.options.freedHistory);
    this.peaks = new LiveAtPeakTracker(this.store);
    this.devices = new Devices(this.options.timelinePoints, this.store);
    this.memory = new MemoryMap(this.devices, this.mesh);
    this.classifier = new Classifier(this.seen, this.memory, this.store, this.live, this.retired);
    this.anomalies = new AnomalyLog(this.options.examplesPerClass);
    this.attribution = new Attribution(this.options.opSliceLimit, this.scopeInstances);
    this.lifetimes = new Lifetimes(this.store, this.scopeInstances, this.mesh, this.names);
    this.l1 = new L1Picture(this.store, this.devices, this.mesh, this.names, {
      marginBytes: this.options.cbHeadroomMargin, timelinePoints: this.options.timelinePoints, failureLimit: this.options.examplesPerClass,
    });
  }

  /** Names for ids firstId.., as interned natively (`names[id]`). */
  addNames(firstId: number, names: readonly string[]): void {
    names.forEach((name, i) => { this.names[firstId + i] = name; });
  }

  /**
   * Consumes one batch. Records are applied in sequence order: a batch that is not sorted by `seq`
   * is applied through a sorted index. A record older than one from an earlier batch is counted in
   * `events.outOfOrder` and applied where it arrives.
   */
  consume(batch: EventBatch): void {
    const n = batch.count;
    let sorted = true;
    let previous = n > 0 ? batch.seq(0) : 0;
    for (let i = 1; i < n && sorted; i++) {
      const seq = batch.seq(i);
      if (seq < previous) sorted = false;
      previous = seq;
    }
    if (sorted) {
      for (let i = 0; i < n; i++) this.apply(batch, i);
    } else {
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => batch.seq(a) - batch.seq(b) || a - b);
      for (let k = 0; k < n; k++) this.apply(batch, order[k]);
    }
  }

  /** Resets every device × type peak to its current usage. */
  resetPeak(): void {
    for (const device of this.devices.all()) device.resetPeak();
    this.peaks.resetPeak(this.ordinal, this.eventTime);
  }

  /** The current position in the consumed stream. */
  checkpoint(): Checkpoint {
    return this.ordinal as Checkpoint;
  }

  /** Live owning allocations made after `checkpoint`, largest first. */
  leaksSince(checkpoint: Checkpoint): Leak[] {
    const since = expectInteger('checkpoint', checkpoint, 0, Number.MAX_SAFE_INTEGER);
    return liveOwners(this.store, this.live.all(), since, this.lost).sort(leakOrder(this.store)).map((b) => this.leak(b));
  }

  /**
   * Explains an allocation failure the runtime raised (a CB clash or an out-of-memory, by its message):
   * the live buffers in the way; also listed in the report's `l1.failures`. Null for other errors.
   */
  explainFailure(error: unknown, device?: number, kind: 'chip' | 'mesh' = 'chip'): FailureExplanation | null {
    const message = failureMessage('explainFailure() error', error);
    const d = device === undefined ? undefined : expectInteger('explainFailure() device', device, 0, 65535);
    return this.l1.explain(message, d === undefined ? undefined : kind === 'mesh' ? d + MESH_KEY : d);
  }

  report(meta: ReportMeta): Report {
    const store = this.store;
    const owners = liveOwners(store, this.live.all(), 0, this.lost);
    const listed = topK(owners, this.options.leakListLimit, leakOrder(store));
    const devices = this.devices.all();
    const timeline: TimelineSeries[] = [];
    for (const d of devices) {
      for (let t = 0; t < MEM_TYPES; t++) {
        const series = d.timelineOf(t);
        if (series) timeline.push({ device: d.id, deviceKind: keyKind(d.key), type: MEM_TYPE_NAMES[t], samples: series.samples, points: series.points() });
      }
    }
    return {
      schema: REPORT_SCHEMA,
      complete: meta.dropped === 0,
      events: { ...this.counts, dropped: meta.dropped },
      classes: this.anomalies.classification(),
      devices: devices.map((d) => d.toReport(this.mesh.chipsOf(d.key))),
      // A stream with CBs but no release is an older generation's: its CB figures only grow.
      circularBuffers: { unit: 'bytes per core', basis: this.counts.cbAlloc > 0 && this.counts.cbRelease === 0 ? 'allocated since program creation' : 'live' },
      anomalies: this.anomalies.report(),
      leaks: listed.map((b) => this.leak(b)),
      leakSummary: {
        buffers: owners.length,
        bytes: owners.reduce((sum, b) => sum + store.size(b), 0),
        lostWithDevice: { buffers: this.lost.length, bytes: this.lost.reduce((sum, b) => sum + store.size(b), 0) },
        listed: listed.length,
        groups: groupLeaks(store, owners, this.names),
      },
      ops: this.attribution.opsReport(this.names),
      scopes: this.attribution.scopesReport(this.names),
      opSlices: this.attribution.slicesReport(this.names),
      timeline,
      liveAtPeak: this.peaks.report(owners, this.names),
      summary: this.anomalies.summary(this.counts.alloc, this.counts.free),
      l1: this.l1.report(),
      // Live buffers get a class only once their scope ended: without a harness scope, skip the walk.
      lifetimes: this.lifetimes.report(this.scopeInstances.anyEnded ? liveOwners(store, this.live.all(), 0) : [], this.lost),
    };
  }

  private leak(s: Slot): Leak {
    const leak = toLeak(this.store, s, this.names);
    const lifetime = this.lifetimes.classOf(s, this.store.lost(s));
    if (lifetime !== null) leak.lifetime = lifetime;
    return leak;
  }

  private apply(b: EventBatch, i: number): void {
    this.counts.total++;
    this.ordinal++;
    const w = i * WORDS;
    const seq = b.u32[w + SEQ_W] + b.u32[w + SEQ_W + 1] * TWO_32;
    if (seq < this.maxSeq) this.counts.outOfOrder++;
    else this.maxSeq = seq;
    const kind = b.u8[i * RECORD_BYTES + Offset.kind];
    // A program's teardown on a thread is its CB releases and the frees right after them.
    if (this.lifetimes.teardownOn >= 0 && kind !== EventKind.Free && kind !== EventKind.CbRelease && b.u16[i * HALVES + THREAD_H] === this.lifetimes.teardownOn) {
      this.lifetimes.endTeardown();
    }
    switch (kind) {
      case EventKind.Alloc: this.onAlloc(b, i, seq); break;
      case EventKind.Free: this.onFree(b, i, seq); break;
      case EventKind.CbAlloc: this.onCbAlloc(b, i); break;
      case EventKind.CbRelease: this.onCbRelease(b, i); break;
      case EventKind.Program: this.onProgram(b, i); break;
      case EventKind.OpStart:
        this.counts.opStart++;
        this.attribution.opStart(b.thread(i), b.aux(i), b.time(i), this.ordinal);
        break;
      case EventKind.OpEnd:
        this.counts.opEnd++;
        this.attribution.opEnd(b.thread(i), b.time(i));
        break;
      case EventKind.Mark:
        this.counts.mark++;
        if ((b.flags(i) & Flag.ScopeEnd) !== 0) this.attribution.scopeEnd(b.objectId(i), this.ordinal);
        else this.attribution.scopeBegin(b.objectId(i), b.aux(i), this.ordinal);
        break;
      case EventKind.DeviceInfo: this.onDeviceInfo(b, i); break;
      case EventKind.MeshChip: this.onMeshChip(b, i); break;
      default: this.counts.unknown++; break;
    }
  }

  private onAlloc(b: EventBatch, i: number, seq: number): void {
    this.counts.alloc++;
    const u32 = b.u32;
    const w = i * WORDS;
    const r8 = i * RECORD_BYTES;
    const type = b.u8[r8 + Offset.memType];
    const address = u32[w + ADDRESS_W] + u32[w + ADDRESS_W + 1] * TWO_32;
    const size = u32[w + SIZE_W] + u32[w + SIZE_W + 1] * TWO_32;
    // A range past 2^53 is no device's (and the report's numbers could not hold it exactly): charging
    // it would cost every other buffer of the type its exact bytes to float rounding.
    if (type >= MEM_TYPES || address + size > Number.MAX_SAFE_INTEGER) {
      this.anomalies.countAlloc(AllocClass.Invalid, 0);
      return;
    }
    const id = u32[w + OBJECT_ID_W] + u32[w + OBJECT_ID_W + 1] * TWO_32;
    const flags = b.u8[r8 + Offset.flags];
    const key = deviceKey(b.u16[i * HALVES + DEVICE_H], flags);
    const thread = b.u16[i * HALVES + THREAD_H];
    const time = u32[w + TIME_W] + u32[w + TIME_W + 1] * TWO_32;
    const device = this.devices.get(key);
    const end = address + device.footprint(type, size, u32[w + PAGE_SIZE_W]);
    // Only an id seen before can be live: fresh ids (nearly every allocation) skip the table probe.
    const existing = this.seen.has(id) ? this.live.get(id) : NONE;
    // rootId means something only with the View flag (docs/events.md): read it only then.
    const cls = this.classifier.allocation(existing, key, type, address, size, end, flags, (flags & Flag.View) !== 0 ? b.rootId(i) : 0);
    const decision = this.classifier.decision;
    this.anomalies.countAlloc(cls, decision.subkind);
    if (cls === AllocClass.DuplicateAlloc) {
      if (this.anomalies.wantsExample('duplicateAlloc')) {
        this.example('duplicateAlloc', 0, id, key, type, address, this.store.generation(existing), size, existing, existing, null, seq, thread, time);
      }
      return;
    }
    this.seen.add(id);
    const op = this.attribution.opOf(thread);
    const scope = this.attribution.scopeInstance();
    if (cls === AllocClass.Alias) {
      this.addAlias(device, id, key, type, address, size, end, seq, thread, time, op, scope);
      return;
    }
    const ranges = device.rangesOf(type);
    const related = decision.related;
    // Read before the holder is retired: its slot may be reused by this very allocation.
    const relatedInfo = cls === AllocClass.Overlap && related !== NONE && this.anomalies.wantsExample('overlap') ? this.relatedBuffer(related) : undefined;
    if (cls === AllocClass.Overlap) {
      if (decision.declared) {
        // The runtime says this buffer owns its memory: whatever held the range here or on a mesh
        // containing this chip is gone without a free. Retire it (uncharged) and charge the new one.
        let holder: Slot;
        while ((holder = this.memory.firstOverlap(key, type, address, end)) !== NONE) this.retire(holder, false, time);
      } else {
        // Ownership unknown: what it overlaps on this device is stale (a missed free). Displaced
        // owners stay live and charged until freed, but no longer own the range.
        for (const displaced of ranges.overlapping(address, end)) {
          this.l1.removing(displaced, seq, time);
          ranges.remove(displaced);
          this.store.setInRanges(displaced, false);
        }
      }
    }
    const generation = ranges.nextGeneration(address);
    const buffer = this.store.add(id, key, type, address, size, end, generation, seq, thread, op, scope, this.ordinal);
    if (size > 0) {
      this.l1.inserting(buffer, seq, time);
      ranges.insert(buffer);
      this.store.setInRanges(buffer, true);
    }
    this.live.set(buffer);
    device.objects++;
    if (cls === AllocClass.Overlap && this.anomalies.wantsExample('overlap')) {
      this.example('overlap', 0, id, key, type, address, generation, size, NONE, buffer, null, seq, thread, time, relatedInfo);
    }
    const chips = device.isMesh ? this.mesh.chipsOf(key) : null;
    if (chips !== null) this.store.setChargedChips(buffer, chips);
    this.charge(device, type, size, chips, time, thread, this.ordinal);
    this.peaks.allocated(buffer, time);
    if (Lifetimes.isTrace(type, (flags & Flag.TopDown) !== 0, op !== 0)) this.lifetimes.traceAllocated(id, key, this.ordinal);
  }

  /**
   * An allocation classified as an alias: tracked, never charged. Its own method, out of onAlloc(): the
   * calls here would otherwise share onAlloc's inlining budget with the owning path's (see WORDS).
   */
  private addAlias(device: DeviceState, id: number, key: number, type: number, address: number, size: number, end: number, seq: number, thread: number, time: number, op: number, scope: number): void {
    const decision = this.classifier.decision;
    const owner = decision.related;
    const generation = owner !== NONE ? this.store.generation(owner) : device.peekRanges(type)?.generationOf(address) ?? 0;
    const alias = this.store.add(id, key, type, address, size, end, generation, seq, thread, op, scope, this.ordinal);
    this.store.setOwner(alias, owner, decision.subkind === AliasKind.View ? AliasKind.View : AliasKind.Replica, decision.declared);
    this.live.set(alias);
    device.objects++;
    if (this.anomalies.wantsExample('alias')) {
      this.example('alias', decision.subkind, id, key, type, address, generation, size, owner, alias, null, seq, thread, time);
    }
  }

  /**
   * Takes a buffer out of the live table without a free: displaced by an owning allocation, or live
   * when its device closed (an owner is then kept, marked, for the leak report). Its usage is released.
   */
  private retire(s: Slot, deviceClosed: boolean, time: number): void {
    const store = this.store;
    const device = this.devices.get(store.device(s));
    const type = store.type(s);
    if (store.inRanges(s)) {
      this.l1.removing(s, this.maxSeq, time);
      device.rangesOf(type).remove(s);
      store.setInRanges(s, false);
    }
    const id = store.id(s);
    this.live.take(id);
    device.objects--;
    const owner = !store.isAlias(s);
    if (this.retired.size < RETIRED_LIMIT) this.retired.set(id, !deviceClosed ? DISPLACED_MARK : owner ? s : LOST_ALIAS_MARK);
    if (owner) this.unchargeBuffer(device, s, time, deviceClosed);
    if (owner && this.lifetimes.tracing) this.lifetimes.traceGone(id, store.device(s), type, this.ordinal);
    if (owner && deviceClosed) {
      store.markLost(s);
      this.lost.push(s);
    } else {
      store.release(s);
    }
  }

  private onFree(b: EventBatch, i: number, seq: number): void {
    this.counts.free++;
    const type = b.u8[i * RECORD_BYTES + Offset.memType];
    if (type >= MEM_TYPES) {
      this.anomalies.countFree(FreeClass.Invalid, 0);
      return;
    }
    const u32 = b.u32;
    const w = i * WORDS;
    const id = u32[w + OBJECT_ID_W] + u32[w + OBJECT_ID_W + 1] * TWO_32;
    const flags = b.u8[i * RECORD_BYTES + Offset.flags];
    const key = deviceKey(b.u16[i * HALVES + DEVICE_H], flags);
    const address = u32[w + ADDRESS_W] + u32[w + ADDRESS_W + 1] * TWO_32;
    const size = u32[w + SIZE_W] + u32[w + SIZE_W + 1] * TWO_32;
    const thread = b.u16[i * HALVES + THREAD_H];
    const time = u32[w + TIME_W] + u32[w + TIME_W + 1] * TWO_32;
    const eventDevice = this.devices.get(key);
    const end = address + eventDevice.footprint(type, size, u32[w + PAGE_SIZE_W]);
    // Taken out of the live table before classifying: the rules read only the buffer itself.
    const buffer = this.live.take(id);
    const store = this.store;
    // The buffer's own device: nearly always the event's (read once, for the count and the release).
    let bufferKey = key;
    let device = eventDevice;
    if (buffer !== NONE) {
      bufferKey = store.device(buffer);
      if (bufferKey !== key) device = this.devices.get(bufferKey);
      device.objects--;
    }
    const cls = this.classifier.free(buffer, id, key, type, address, size, end, flags, (flags & Flag.View) !== 0 ? b.rootId(i) : 0);
    const decision = this.classifier.decision;
    this.anomalies.countFree(cls, decision.subkind);
    if (buffer !== NONE) {
      const op = this.attribution.opOf(thread);
      const scope = this.attribution.scope();
      this.history.add(buffer, seq, thread, op, scope);
      if (cls === FreeClass.Ok) {
        const bufferType = store.type(buffer);
        if (store.inRanges(buffer)) {
          this.l1.removing(buffer, seq, time);
          device.rangesOf(bufferType).remove(buffer);
          store.setInRanges(buffer, false);
        }
        this.unchargeBuffer(device, buffer, time, false);
        if (this.lifetimes.tracing) this.lifetimes.traceGone(id, bufferKey, bufferType, this.ordinal);
        this.lifetimes.freedOwner(buffer, thread, seq, op, scope);
        store.release(buffer);
        return;
      }
    }
    this.reportFree(cls, buffer, id, key, type, address, size, seq, thread, time);
    if (buffer !== NONE) this.store.release(buffer);
  }

  /** The anomaly side of a free that was not a plain release of a live owner. */
  private reportFree(cls: number, buffer: Slot, id: number, key: number, type: number, address: number, size: number, seq: number, thread: number, time: number): void {
    const decision = this.classifier.decision;
    if (cls === FreeClass.DoubleFree || cls === FreeClass.StaleFree || cls === FreeClass.UntrackedFree) {
      this.anomalies.noteSuspiciousFree(id, key, type, address);
      this.attribution.suspiciousFree(thread);
    }
    const name = cls === FreeClass.AliasFree ? 'aliasFree' : cls === FreeClass.DoubleFree ? 'doubleFree' : cls === FreeClass.StaleFree ? 'staleFree' : 'untrackedFree';
    if (!this.anomalies.wantsExample(name)) return;
    const related = decision.related;
    const store = this.store;
    if (buffer !== NONE) {
      this.example(name, decision.subkind, id, key, type, address, store.generation(buffer), size, related, buffer, null, seq, thread, time);
      return;
    }
    if (decision.lost !== NONE) {
      // Lost with its device: the kept record tells where it was allocated.
      const lost = decision.lost;
      this.example(name, decision.subkind, id, key, type, address, store.generation(lost), size, NONE, lost, null, seq, thread, time);
      return;
    }
    const story = this.history.find(id) ?? null;
    const generation = story ? story.generation : related !== NONE && store.address(related) === address ? store.generation(related) : 0;
    this.example(name, decision.subkind, id, key, type, address, generation, size, related, NONE, story, seq, thread, time);
  }

  private onCbAlloc(b: EventBatch, i: number): void {
    this.counts.cbAlloc++;
    const flags = b.flags(i);
    const key = deviceKey(b.device(i), flags);
    const device = this.devices.get(key);
    const size = b.size(i);
    const thread = b.thread(i);
    const chips = device.isMesh ? this.mesh.chipsOf(key) : null;
    this.cbs.add(key, (flags & Flag.HasProgram) !== 0 ? b.objectId(i) : -1, size, chips, this.ordinal, thread);
    this.charge(device, CB, size, chips, b.time(i), thread, this.ordinal);
    this.l1.cbAlloc(key, device.isMesh, (flags & Flag.HasProgram) !== 0 ? b.objectId(i) : null, b.address(i), size,
      b.aux(i), (flags & Flag.GloballyAllocated) !== 0, this.attribution.opOf(thread), b.seq(i), b.time(i));
  }

  private onCbRelease(b: EventBatch, i: number): void {
    this.counts.cbRelease++;
    this.eventTime = b.time(i);
    this.releaseLost = false;
    const key = deviceKey(b.device(i), b.flags(i));
    this.cbs.releaseOne(key, this.releaseCb);
    this.l1.cbRelease(key);
    this.lifetimes.cbRelease(key, b.thread(i));
  }

  private onProgram(b: EventBatch, i: number): void {
    this.counts.program++;
    const key = deviceKey(b.device(i), b.flags(i));
    // A launch on a mesh: since PR #37218 its CBs are reported per chip.
    const chips = key >= MESH_KEY ? this.mesh.chipsOf(key) : null;
    this.l1Launch(b, i, key, chips);
    if (!this.cbs.unnamed) return;
    this.cbs.launched(key);
    if (chips !== null) for (let c = 0; c < chips.length; c++) this.cbs.launched(chips[c]);
  }

  /** A launch for the L1 picture: a relaunch is evaluated against its program's CB region (l1-picture.ts). */
  private l1Launch(b: EventBatch, i: number, key: number, chips: readonly number[] | null): void {
    const op = this.attribution.opOf(b.thread(i));
    if (chips !== null) this.l1.programOnMesh(key, chips, b.objectId(i), op, b.seq(i), b.time(i));
    else this.l1.program(key, b.objectId(i), op, b.seq(i), b.time(i));
  }

  /**
   * DeviceInfo comes once per memory type when the processor first sees a device object, and again
   * when a new object appears under the same (id, kind): a type announced twice means the device was
   * closed and reopened.
   */
  private onDeviceInfo(b: EventBatch, i: number): void {
    this.counts.deviceInfo++;
    const key = deviceKey(b.device(i), b.flags(i));
    const device = this.devices.get(key);
    const type = b.memType(i);
    if (type < MEM_TYPES) {
      const bit = 1 << type;
      if ((device.announced & bit) !== 0) this.reopen(key, b.time(i));
      device.announced |= bit;
      device.capacity[type] = b.size(i);
      device.banks[type] = b.aux(i);
      this.l1.deviceInfo(key, type, b.size(i), b.aux(i), (b.flags(i) & Flag.BaseKnown) !== 0 ? b.address(i) : null, b.seq(i), b.time(i));
    }
    if (device.opens === 0) {
      device.opens = 1;
      device.announcedAt = this.ordinal;
    }
  }

  /** A mesh's chip, announced with the mesh: a chip announced twice means a new mesh object (reopened). */
  private onMeshChip(b: EventBatch, i: number): void {
    this.counts.meshChip++;
    const meshKey = b.device(i) + MESH_KEY;
    const chip = b.objectId(i);
    // Chips are named by u16 ids in every other event: a larger one could never be charged.
    if (chip >= MESH_KEY) return;
    if (this.mesh.has(meshKey, chip)) this.reopen(meshKey, b.time(i));
    this.mesh.addChip(meshKey, chip);
    const mesh = this.devices.get(meshKey);
    if (mesh.opens === 0) {
      mesh.opens = 1;
      mesh.announcedAt = this.ordinal;
    }
    this.devices.get(chip);
  }

  /**
   * A new device object under `key`: the old one closed. Upstream reports no free after a close
   * (`Device::close`), so its live buffers are lost with it: released from usage, listed once as
   * leaks marked lost, and never matched against the new object's allocations; its CBs go too.
   */
  private reopen(key: number, time: number): void {
    const device = this.devices.get(key);
    const previous = device.announcedAt;
    device.opens++;
    device.announced = 0;
    device.announcedAt = this.ordinal;
    if (!device.isMesh) {
      // A chip closes only with every mesh over it (MeshDevice::close closes its chips): a mesh
      // announced before this chip's previous object is gone too, whether or not its id comes back
      // (mesh ids are never reused upstream: generate_unique_mesh_id()). One announced since is new.
      const meshes = this.mesh.meshesOf(key);
      for (let m = meshes.length - 1; m >= 0; m--) {
        const mesh = this.devices.get(meshes[m]);
        if (mesh.announcedAt < previous) this.closeMesh(mesh, time);
      }
    }
    if (device.isMesh) {
      this.closeMesh(device, time);
      return;
    }
    const store = this.store;
    // Walk the live table only if this device holds something: a stream announcing devices over and
    // over must not cost a walk of every other device's buffers each time.
    if (device.objects > 0) for (const s of this.live.all()) if (store.device(s) === key) this.retire(s, true, time);
    this.eventTime = time;
    this.releaseLost = true;
    this.cbs.releaseAll(key, this.releaseCb);
  }

  /** A mesh found closed through its chips: its buffers and CBs are lost, its chips forgotten. */
  private closeMesh(mesh: DeviceState, time: number): void {
    const store = this.store;
    if (mesh.objects > 0) for (const s of this.live.all()) if (store.device(s) === mesh.key) this.retire(s, true, time);
    this.eventTime = time;
    this.releaseLost = true;
    this.cbs.releaseAll(mesh.key, this.releaseCb);
    this.mesh.clear(mesh.key);
  }

  /** Charges `bytes` to `device` and, for a mesh backing allocation, to every chip of the mesh. */
  private charge(device: DeviceState, type: number, bytes: number, chips: readonly number[] | null, time: number, thread: number, ordinal: number): void {
    this.devices.charge(device, type, bytes, chips, time);
    if (this.attribution.active) this.attribute(device, type, bytes, chips, thread, ordinal);
  }

  /** Releases what buffer `s` (an owner) was charged; reads its allocation site only for open ops and scopes. */
  private unchargeBuffer(device: DeviceState, s: Slot, time: number, lost: boolean): void {
    this.peaks.released(s);
    const store = this.store;
    const type = store.type(s);
    const size = store.size(s);
    const chips = store.chargedChips(s);
    this.devices.uncharge(device, type, size, chips, time, lost);
    if (this.attribution.active) this.attribute(device, type, -size, chips, store.allocThread(s), store.ordinal(s));
  }

  /** Releases a charge of memory allocated on `thread` at stream position `ordinal`. */
  private uncharge(device: DeviceState, type: number, bytes: number, chips: readonly number[] | null, time: number, thread: number, ordinal: number, lost: boolean): void {
    this.devices.uncharge(device, type, bytes, chips, time, lost);
    if (this.attribution.active) this.attribute(device, type, -bytes, chips, thread, ordinal);
  }

  /** Tells the open ops and scopes of a change on each chip it touched (the mesh itself when its chips are unknown). */
  private attribute(device: DeviceState, type: number, delta: number, chips: readonly number[] | null, thread: number, ordinal: number): void {
    if (chips === null) {
      const after = device.level(type);
      this.attribution.change(device.key, type, delta, Math.max(0, after - delta), after, thread, ordinal);
      return;
    }
    let from = 0;
    if (device.mirrorChips[type] === chips) {
      // Every chip mirrors the mesh: one level for all, and frames can take the change once.
      const after = device.level(type);
      from = this.attribution.changeGroup(chips, type, delta, Math.max(0, after - delta), after, thread, ordinal);
      if (from === this.attribution.openCount) return;
    }
    for (let c = 0; c < chips.length; c++) {
      const after = this.devices.get(chips[c]).level(type);
      this.attribution.changeFrom(from, chips[c], type, delta, Math.max(0, after - delta), after, thread, ordinal);
    }
  }

  private relatedBuffer(s: Slot): RelatedBuffer {
    const store = this.store;
    const key = store.device(s);
    return { id: store.id(s), device: keyId(key), deviceKind: keyKind(key), block: blockName(store.address(s), store.generation(s)), size: store.size(s) };
  }

  private site(seq: number, thread: number, op: number, scope: number): Site {
    return { seq, thread, op: nameOf(this.names, op), scope: nameOf(this.names, scope) };
  }

  /**
   * Builds one example: the offending event plus the allocation and first free of its buffer. The
   * buffer's story is a tracked buffer (`tracked`: live, or being freed by this very event, so no
   * earlier free to show) or a remembered free (`freed`), or neither.
   */
  private example(
    cls: AnomalyClass, subkind: SubkindCode, id: number, device: number, type: number, address: number, generation: number,
    size: number, related: Slot, tracked: Slot, freed: FreedStory | null, seq: number, thread: number, time: number,
    /** The related buffer as read before it was retired (then `related` is NONE). */
    relatedInfo?: RelatedBuffer,
  ): void {
    const store = this.store;
    const example: AnomalyExample = {
      class: cls,
      object: id,
      device: keyId(device),
      deviceKind: keyKind(device),
      type: MEM_TYPE_NAMES[type] as MemTypeName,
      block: blockName(address, generation),
      size,
      allocation: tracked !== NONE ? this.site(store.allocSeq(tracked), store.allocThread(tracked), store.allocOp(tracked), store.allocScope(tracked))
        : freed ? this.site(freed.allocSeq, freed.allocThread, freed.allocOp, freed.allocScope) : null,
      firstFree: freed && freed.freeSeq !== seq ? this.site(freed.freeSeq, freed.freeThread, freed.freeOp, freed.freeScope) : null,
      offending: { ...this.site(seq, thread, this.attribution.opOf(thread), this.attribution.scope()), time },
    };
    if (subkind !== 0) example.subkind = SUBKIND_NAMES[subkind] as AnomalySubkind;
    if (related !== NONE) example.related = this.relatedBuffer(related);
    else if (relatedInfo) example.related = relatedInfo;
    this.anomalies.addExample(example);
  }
}

