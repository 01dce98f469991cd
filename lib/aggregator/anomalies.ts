/**
 * What the classification found: counts per class and subkind, a bounded set of examples per class,
 * and the summary figures in the vocabulary of the socket-fed allocation server (docs/sim.md#bug-modes) (suspicious frees, affected buffers,
 * excess free rate, worst address).
 */
import { excessFreeRate } from '../report/excess-free-rate';
import { MEM_TYPE_NAMES } from '../events/format';
import type { AnomalyClass, AnomalyExample, Anomalies, Classification, Summary, WorstAddress } from '../report/types';
import { AliasKind } from './buffer';
import { keyId, keyKind } from './device-key';
import { AFTER_REUSE, AllocClass, DEVICE_CLOSED, DISPLACED, FreeClass, type AllocClassCode, type FreeClassCode, type SubkindCode } from './classify';

interface AddressExcess {
  device: number;
  type: number;
  address: number;
  count: number;
}

export class AnomalyLog {
  readonly allocClasses = new Float64Array(5);
  readonly freeClasses = new Float64Array(6);
  private aliasView = 0;
  private aliasReplica = 0;
  private aliasFreeView = 0;
  private aliasFreeReplica = 0;
  private doubleFreeAfterReuse = 0;
  private staleFreeDeviceClosed = 0;
  private staleFreeDisplaced = 0;
  private readonly examples = new Map<AnomalyClass, AnomalyExample[]>();
  private readonly affected = new Set<number>();
  private readonly excess = new Map<string, AddressExcess>();

  constructor(private readonly examplesPerClass: number) {}

  countAlloc(cls: AllocClassCode, subkind: SubkindCode): void {
    this.allocClasses[cls]++;
    if (cls === AllocClass.Alias) {
      if (subkind === AliasKind.View) this.aliasView++;
      else this.aliasReplica++;
    }
  }

  countFree(cls: FreeClassCode, subkind: SubkindCode): void {
    this.freeClasses[cls]++;
    if (cls === FreeClass.AliasFree) {
      if (subkind === AliasKind.View) this.aliasFreeView++;
      else this.aliasFreeReplica++;
    } else if (cls === FreeClass.DoubleFree && subkind === AFTER_REUSE) {
      this.doubleFreeAfterReuse++;
    } else if (cls === FreeClass.StaleFree) {
      if (subkind === DEVICE_CLOSED) this.staleFreeDeviceClosed++;
      else if (subkind === DISPLACED) this.staleFreeDisplaced++;
    }
  }

  /** A free no lifecycle explains: its buffer is affected and its address gains an excess free. `device` is a device key. */
  noteSuspiciousFree(id: number, device: number, type: number, address: number): void {
    this.affected.add(id);
    const key = `${device}:${type}:${address}`;
    const e = this.excess.get(key);
    if (e) e.count++;
    else this.excess.set(key, { device, type, address, count: 1 });
  }

  /** Whether an example of `cls` is still wanted: check before building one. */
  wantsExample(cls: AnomalyClass): boolean {
    return (this.examples.get(cls)?.length ?? 0) < this.examplesPerClass;
  }

  addExample(example: AnomalyExample): void {
    let list = this.examples.get(example.class);
    if (!list) this.examples.set(example.class, (list = []));
    if (list.length < this.examplesPerClass) list.push(example);
  }

  classification(): Classification {
    const a = this.allocClasses;
    const f = this.freeClasses;
    return {
      alloc: { ok: a[AllocClass.Ok], alias: a[AllocClass.Alias], overlap: a[AllocClass.Overlap], duplicateAlloc: a[AllocClass.DuplicateAlloc], invalid: a[AllocClass.Invalid] },
      free: {
        ok: f[FreeClass.Ok], aliasFree: f[FreeClass.AliasFree], doubleFree: f[FreeClass.DoubleFree],
        staleFree: f[FreeClass.StaleFree], untrackedFree: f[FreeClass.UntrackedFree], invalid: f[FreeClass.Invalid],
      },
    };
  }

  report(): Anomalies {
    const a = this.allocClasses;
    const f = this.freeClasses;
    const order: AnomalyClass[] = ['doubleFree', 'staleFree', 'untrackedFree', 'aliasFree', 'overlap', 'duplicateAlloc', 'alias'];
    const examples: AnomalyExample[] = [];
    for (const cls of order) examples.push(...(this.examples.get(cls) ?? []).map((e) => structuredClone(e)));
    return {
      doubleFree: { count: f[FreeClass.DoubleFree], afterReuse: this.doubleFreeAfterReuse },
      aliasFree: { count: f[FreeClass.AliasFree], view: this.aliasFreeView, replica: this.aliasFreeReplica },
      staleFree: { count: f[FreeClass.StaleFree], deviceClosed: this.staleFreeDeviceClosed, displaced: this.staleFreeDisplaced },
      untrackedFree: { count: f[FreeClass.UntrackedFree] },
      overlap: { count: a[AllocClass.Overlap] },
      duplicateAlloc: { count: a[AllocClass.DuplicateAlloc] },
      alias: { count: a[AllocClass.Alias], view: this.aliasView, replica: this.aliasReplica },
      examples,
    };
  }

  summary(allocs: number, frees: number): Summary {
    const f = this.freeClasses;
    let worst: AddressExcess | undefined;
    for (const e of this.excess.values()) if (!worst || e.count > worst.count) worst = e;
    const worstAddress: WorstAddress | null = worst
      ? { device: keyId(worst.device), deviceKind: keyKind(worst.device), type: MEM_TYPE_NAMES[worst.type], address: worst.address, excessFrees: worst.count }
      : null;
    const suspiciousFrees = f[FreeClass.DoubleFree] + f[FreeClass.StaleFree] + f[FreeClass.UntrackedFree];
    return {
      allocs,
      frees,
      suspiciousFrees,
      aliasFrees: f[FreeClass.AliasFree],
      affectedBuffers: this.affected.size,
      excessFreeRate: excessFreeRate(suspiciousFrees, allocs),
      worstAddress,
    };
  }
}
