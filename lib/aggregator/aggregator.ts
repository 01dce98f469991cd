/**
 * The aggregator: consumes drained batches in sequence order, classifies every Alloc and Free event
 * exactly once (classify.ts), and applies the decision to the live table, the range sets, usage,
 * attribution, anomalies and timelines. Reads records in place from typed arrays; buffers are
 * records in a BufferStore, so no object is made per event.
 */
import { EventBatch, EventKind, Flag, MEM_TYPE_NAMES, type MemTypeName } from '../events/format';
import { REPORT_SCHEMA, type FailureExplanation, type AnomalyClass, type AnomalyExample, type EventCounts, type Leak, type Report, type Site, type TimelineSeries } from '../report/types';
import { expectInteger } from '../validate';
import { AnomalyLog } from './anomalies';
import { AliasKind, blockName } from './buffer';
import { BufferStore, NONE, type Slot } from './buffer-store';
import { CircularBuffers } from './circular-buffers';
import { AllocClass, Classifier, FreeClass, type SubkindCode } from './classify';
import { FreedHistory, type FreedStory } from './freed-history';
import { failureMessage } from './explain-failure';
import { L1Picture } from './l1-picture';
import { LiveTable } from './live-table';
import { groupLeaks, leakOrder, liveOwners, nameOf, toLeak } from './leaks';
import { MemoryMap } from './memory-map';
import { MeshMembership } from './mesh';
import { Attribution } from './ops-scopes';
import { resolveAggregatorOptions, type AggregatorOptions, type ResolvedAggregatorOptions } from './options';
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

const CB = 5; // MemType.CB
const SUBKIND_NAMES = ['', 'view', 'replica', 'afterReuse'] as const;

export class Aggregator {
  private readonly options: ResolvedAggregatorOptions;
  private readonly counts: Omit<EventCounts, 'dropped'> = {
    total: 0, alloc: 0, free: 0, cbAlloc: 0, cbRelease: 0, program: 0, opStart: 0, opEnd: 0,
    mark: 0, deviceInfo: 0, meshChip: 0, unknown: 0, outOfOrder: 0,
  };
  private names: string[] = [''];
  /** Every tracked buffer: live ones, and freed owners a live alias still refers to. */
  private readonly store = new BufferStore();
  /** Live buffers by unique id: owners and aliases. */
  private readonly live = new LiveTable(this.store);
  private readonly seen = new SeenIds();
  private readonly history: FreedHistory;
  private readonly devices: Devices;
  private readonly mesh = new MeshMembership();
  private readonly classifier: Classifier;
  private readonly attribution: Attribution;
  private readonly anomalies: AnomalyLog;
  private readonly cbs = new CircularBuffers();
  /** CB headroom, fragmentation, failure explanations (l1-picture.ts): fed after each event is applied. */
  private readonly l1: L1Picture;
  /** Events consumed so far: the position checkpoint() hands out. */
  private ordinal = 0;
  private maxSeq = -1;
  // The event being applied, for the CB release callback (set before cbs.release()).
  private eventThread = 0;
  private eventTime = 0;
  private readonly releaseCb = (device: number, bytes: number, chips: readonly number[] | null): void => {
    this.uncharge(this.devices.get(device), CB, bytes, chips, this.eventThread, this.eventTime);
  };

  constructor(options?: AggregatorOptions) {
    this.options = resolveAggregatorOptions(options);
    this.history = new FreedHistory(this.store, this.options.freedHistory);
    this.devices = new Devices(this.options.timelinePoints, this.store);
    this.classifier = new Classifier(this.seen, new MemoryMap(this.devices, this.mesh), this.store);
    this.anomalies = new AnomalyLog(this.options.examplesPerClass);
    this.attribution = new Attribution(this.options.opSliceLimit);
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
  }

  /** The current position in the consumed stream. */
  checkpoint(): Checkpoint {
    return this.ordinal as Checkpoint;
  }

  /** Live owning allocations made after `checkpoint`, largest first. */
  leaksSince(checkpoint: Checkpoint): Leak[] {
    const since = expectInteger('checkpoint', checkpoint, 0, Number.MAX_SAFE_INTEGER);
    return liveOwners(this.store, this.live.all(), since).sort(leakOrder(this.store)).map((b) => toLeak(this.store, b, this.names));
  }

  /**
   * Explains an allocation failure the runtime raised (a CB clash or an out-of-memory, by its message):
   * the live buffers in the way; also listed in the report's `l1.failures`. Null for other errors.
   */
  explainFailure(error: unknown, device?: number): FailureExplanation | null {
    const message = failureMessage('explainFailure() error', error);
    const d = device === undefined ? undefined : expectInteger('explainFailure() device', device, 0, 65535);
    return this.l1.explain(message, d);
  }

  report(meta: ReportMeta): Report {
    const store = this.store;
    const owners = liveOwners(store, this.live.all(), 0);
    const listed = topK(owners, this.options.leakListLimit, leakOrder(store));
    const devices = this.devices.all();
    const timeline: TimelineSeries[] = [];
    for (const d of devices) {
      for (let t = 0; t < MEM_TYPES; t++) {
        const series = d.timelineOf(t);
        if (series) timeline.push({ device: d.id, type: MEM_TYPE_NAMES[t], samples: series.samples, points: series.points() });
      }
    }
    return {
      schema: REPORT_SCHEMA,
      complete: meta.dropped === 0,
      events: { ...this.counts, dropped: meta.dropped },
      classes: this.anomalies.classification(),
      devices: devices.map((d) => d.toReport(this.mesh.chipsOf(d.id))),
      anomalies: this.anomalies.report(),
      leaks: listed.map((b) => toLeak(store, b, this.names)),
      leakSummary: {
        buffers: owners.length,
        bytes: owners.reduce((sum, b) => sum + store.size(b), 0),
        listed: listed.length,
        groups: groupLeaks(store, owners, this.names),
      },
      ops: this.attribution.opsReport(this.names),
      scopes: this.attribution.scopesReport(this.names),
      opSlices: this.attribution.slicesReport(this.names),
      timeline,
      summary: this.anomalies.summary(this.counts.alloc, this.counts.free),
      l1: this.l1.report(),
    };
  }

  private apply(b: EventBatch, i: number): void {
    this.counts.total++;
    this.ordinal++;
    const seq = b.seq(i);
    if (seq < this.maxSeq) this.counts.outOfOrder++;
    else this.maxSeq = seq;
    switch (b.kind(i)) {
      case EventKind.Alloc: this.onAlloc(b, i, seq); break;
      case EventKind.Free: this.onFree(b, i, seq); break;
      case EventKind.CbAlloc: this.onCbAlloc(b, i); break;
      case EventKind.CbRelease: this.onCbRelease(b, i); break;
      case EventKind.Program: this.onProgram(b, i); break;
      case EventKind.OpStart:
        this.counts.opStart++;
        this.attribution.opStart(b.thread(i), b.aux(i), b.time(i));
        break;
      case EventKind.OpEnd:
        this.counts.opEnd++;
        this.attribution.opEnd(b.thread(i), b.time(i));
        break;
      case EventKind.Mark:
        this.counts.mark++;
        if ((b.flags(i) & Flag.ScopeEnd) !== 0) this.attribution.scopeEnd(b.objectId(i));
        else this.attribution.scopeBegin(b.objectId(i), b.aux(i));
        break;
      case EventKind.DeviceInfo: this.onDeviceInfo(b, i); break;
      case EventKind.MeshChip: this.onMeshChip(b, i); break;
      default: this.counts.unknown++; break;
    }
  }

  private onAlloc(b: EventBatch, i: number, seq: number): void {
    this.counts.alloc++;
    const type = b.memType(i);
    const address = b.address(i);
    const size = b.size(i);
    // A range past 2^53 is no device's (and the report's numbers could not hold it exactly): charging
    // it would cost every other buffer of the type its exact bytes to float rounding.
    if (type >= MEM_TYPES || address + size > Number.MAX_SAFE_INTEGER) {
      this.anomalies.countAlloc(AllocClass.Invalid, 0);
      return;
    }
    const id = b.objectId(i);
    const deviceId = b.device(i);
    const flags = b.flags(i);
    const thread = b.thread(i);
    const device = this.devices.get(deviceId);
    if ((flags & Flag.MeshDevice) !== 0) device.isMesh = true;
    const end = address + device.footprint(type, size, b.pageSize(i));
    // Only an id seen before can be live: fresh ids (nearly every allocation) skip the table probe.
    const existing = this.seen.has(id) ? this.live.get(id) : NONE;
    const cls = this.classifier.allocation(existing, deviceId, type, address, size, end, flags);
    const decision = this.classifier.decision;
    this.anomalies.countAlloc(cls, decision.subkind);
    if (cls === AllocClass.DuplicateAlloc) {
      if (this.anomalies.wantsExample('duplicateAlloc')) {
        this.example('duplicateAlloc', 0, id, deviceId, type, address, this.store.generation(existing), size, existing, existing, null, seq, thread, b.time(i));
      }
      return;
    }
    this.seen.add(id);
    const op = this.attribution.opOf(thread);
    const scope = this.attribution.scope();
    if (cls === AllocClass.Alias) {
      const owner = decision.related;
      const generation = this.store.generation(owner);
      const alias = this.store.add(id, deviceId, type, address, size, end, generation, seq, thread, op, scope, this.ordinal);
      this.store.setOwner(alias, owner, decision.subkind === AliasKind.View ? AliasKind.View : AliasKind.Replica);
      this.live.set(alias);
      if (this.anomalies.wantsExample('alias')) {
        this.example('alias', decision.subkind, id, deviceId, type, address, generation, size, owner, alias, null, seq, thread, b.time(i));
      }
      return;
    }
    const ranges = device.rangesOf(type);
    if (cls === AllocClass.Overlap) {
      // The allocator just handed out this range: what it overlaps on this device is stale (a missed
      // free). Displaced owners stay live and charged until freed, but no longer own the range.
      for (const displaced of ranges.overlapping(address, end)) {
        this.l1.removing(displaced, seq, b.time(i));
        ranges.remove(displaced);
        this.store.setInRanges(displaced, false);
      }
    }
    const generation = ranges.nextGeneration(address);
    const buffer = this.store.add(id, deviceId, type, address, size, end, generation, seq, thread, op, scope, this.ordinal);
    if (size > 0) {
      this.l1.inserting(buffer, seq, b.time(i));
      ranges.insert(buffer);
      this.store.setInRanges(buffer, true);
    }
    this.live.set(buffer);
    if (cls === AllocClass.Overlap && this.anomalies.wantsExample('overlap')) {
      this.example('overlap', 0, id, deviceId, type, address, generation, size, decision.related, buffer, null, seq, thread, b.time(i));
    }
    const chips = device.isMesh ? this.mesh.chipsOf(deviceId) : null;
    if (chips !== null) this.store.setChargedChips(buffer, chips);
    this.charge(device, type, size, chips, thread, b.time(i));
  }

  private onFree(b: EventBatch, i: number, seq: number): void {
    this.counts.free++;
    const type = b.memType(i);
    if (type >= MEM_TYPES) {
      this.anomalies.countFree(FreeClass.Invalid, 0);
      return;
    }
    const id = b.objectId(i);
    const deviceId = b.device(i);
    const address = b.address(i);
    const size = b.size(i);
    const thread = b.thread(i);
    const end = address + this.devices.get(deviceId).footprint(type, size, b.pageSize(i));
    // Taken out of the live table before classifying: the rules read only the buffer itself.
    const buffer = this.live.take(id);
    const cls = this.classifier.free(buffer, id, deviceId, type, address, size, end, b.flags(i));
    const decision = this.classifier.decision;
    this.anomalies.countFree(cls, decision.subkind);
    if (buffer !== NONE) {
      const store = this.store;
      this.history.add(buffer, seq, thread, this.attribution.opOf(thread), this.attribution.scope());
      if (cls === FreeClass.Ok) {
        const device = this.devices.get(store.device(buffer));
        if (store.inRanges(buffer)) {
          this.l1.removing(buffer, seq, b.time(i));
          device.rangesOf(store.type(buffer)).remove(buffer);
          store.setInRanges(buffer, false);
        }
        this.uncharge(device, store.type(buffer), store.size(buffer), store.chargedChips(buffer), thread, b.time(i));
        store.release(buffer);
        return;
      }
    }
    this.reportFree(cls, buffer, id, deviceId, type, address, size, seq, thread, b.time(i));
    if (buffer !== NONE) this.store.release(buffer);
  }

  /** The anomaly side of a free that was not a plain release of a live owner. */
  private reportFree(cls: number, buffer: Slot, id: number, deviceId: number, type: number, address: number, size: number, seq: number, thread: number, time: number): void {
    const decision = this.classifier.decision;
    if (cls === FreeClass.DoubleFree || cls === FreeClass.StaleFree || cls === FreeClass.UntrackedFree) {
      this.anomalies.noteSuspiciousFree(id, deviceId, type, address);
    }
    const name = cls === FreeClass.AliasFree ? 'aliasFree' : cls === FreeClass.DoubleFree ? 'doubleFree' : cls === FreeClass.StaleFree ? 'staleFree' : 'untrackedFree';
    if (!this.anomalies.wantsExample(name)) return;
    const related = decision.related;
    const store = this.store;
    if (buffer !== NONE) {
      this.example(name, decision.subkind, id, deviceId, type, address, store.generation(buffer), size, related, buffer, null, seq, thread, time);
      return;
    }
    const story = this.history.find(id) ?? null;
    const generation = story ? story.generation : related !== NONE && store.address(related) === address ? store.generation(related) : 0;
    this.example(name, decision.subkind, id, deviceId, type, address, generation, size, related, NONE, story, seq, thread, time);
  }

  private onCbAlloc(b: EventBatch, i: number): void {
    this.counts.cbAlloc++;
    const deviceId = b.device(i);
    const device = this.devices.get(deviceId);
    const size = b.size(i);
    const chips = device.isMesh ? this.mesh.chipsOf(deviceId) : null;
    this.cbs.add(deviceId, b.objectId(i), size, chips);
    this.charge(device, CB, size, chips, b.thread(i), b.time(i));
    const flags = b.flags(i);
    this.l1.cbAlloc(deviceId, device.isMesh || (flags & Flag.MeshDevice) !== 0, (flags & Flag.HasProgram) !== 0 ? b.objectId(i) : null, b.address(i), size,
      b.aux(i), (flags & Flag.GloballyAllocated) !== 0, this.attribution.opOf(b.thread(i)), b.seq(i), b.time(i));
  }

  private onCbRelease(b: EventBatch, i: number): void {
    this.counts.cbRelease++;
    this.eventThread = b.thread(i);
    this.eventTime = b.time(i);
    this.cbs.release(b.device(i), NaN, this.releaseCb);
    this.l1.cbRelease(b.device(i));
  }

  private onProgram(b: EventBatch, i: number): void {
    this.counts.program++;
    this.eventThread = b.thread(i);
    this.eventTime = b.time(i);
    this.cbs.release(b.device(i), b.objectId(i), this.releaseCb);
    this.l1.program(b.device(i), b.objectId(i));
  }

  private onDeviceInfo(b: EventBatch, i: number): void {
    this.counts.deviceInfo++;
    const device = this.devices.get(b.device(i));
    if ((b.flags(i) & Flag.MeshDevice) !== 0) device.isMesh = true;
    const type = b.memType(i);
    if (type < MEM_TYPES) {
      device.capacity[type] = b.size(i);
      device.banks[type] = b.aux(i);
      this.l1.deviceInfo(b.device(i), type, b.size(i), b.aux(i));
    }
  }

  private onMeshChip(b: EventBatch, i: number): void {
    this.counts.meshChip++;
    const meshId = b.device(i);
    const chip = b.objectId(i);
    this.mesh.addChip(meshId, chip);
    this.devices.get(meshId).isMesh = true;
    this.devices.get(chip);
  }

  /** Charges `bytes` to `device` and, for a mesh backing allocation, to every chip of the mesh. */
  private charge(device: DeviceState, type: number, bytes: number, chips: readonly number[] | null, thread: number, time: number): void {
    this.devices.charge(device, type, bytes, chips, time);
    this.attribution.apply(thread, type, chips ? bytes * chips.length : bytes);
  }

  private uncharge(device: DeviceState, type: number, bytes: number, chips: readonly number[] | null, thread: number, time: number): void {
    this.devices.uncharge(device, type, bytes, chips, time);
    this.attribution.apply(thread, type, -(chips ? bytes * chips.length : bytes));
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
  ): void {
    const store = this.store;
    const example: AnomalyExample = {
      class: cls,
      object: id,
      device,
      type: MEM_TYPE_NAMES[type] as MemTypeName,
      block: blockName(address, generation),
      size,
      allocation: tracked !== NONE ? this.site(store.allocSeq(tracked), store.allocThread(tracked), store.allocOp(tracked), store.allocScope(tracked))
        : freed ? this.site(freed.allocSeq, freed.allocThread, freed.allocOp, freed.allocScope) : null,
      firstFree: freed && freed.freeSeq !== seq ? this.site(freed.freeSeq, freed.freeThread, freed.freeOp, freed.freeScope) : null,
      offending: { ...this.site(seq, thread, this.attribution.opOf(thread), this.attribution.scope()), time },
    };
    if (subkind !== 0) example.subkind = SUBKIND_NAMES[subkind] as 'view' | 'replica' | 'afterReuse';
    if (related !== NONE) example.related = { id: store.id(related), device: store.device(related), block: blockName(store.address(related), store.generation(related)), size: store.size(related) };
    this.anomalies.addExample(example);
  }
}

