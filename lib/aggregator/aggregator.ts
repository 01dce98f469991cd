import { EventBatch, EventKind, MEM_TYPE_NAMES, type MemTypeName } from '../events/format';
import type { Report, MemoryUsage } from '../report/types';

/** What the drain knows and the aggregator does not: loss and collection figures. */
export interface ReportMeta {
  dropped: number;
}

export interface AggregatorOptions {
  /** @default 2000 */
  timelinePoints?: number;
}

interface Usage {
  current: number;
  peak: number;
  allocated: number;
  freed: number;
  liveBuffers: number;
}

/**
 * First aggregator: event counts and, per device × memory type, current and peak bytes keyed by
 * buffer object id. Consumes batches in sequence order.
 */
export class Aggregator {
  private counts = { total: 0, alloc: 0, free: 0, cbAlloc: 0, program: 0 };
  private readonly usage = new Map<number, Usage[]>();
  private readonly live = new Map<number, { device: number; type: number; size: number }>();
  private names: string[] = [''];

  constructor(_options: AggregatorOptions = {}) {}

  /** Names for ids 1..n, as interned natively (`names[id]`). */
  addNames(firstId: number, names: readonly string[]): void {
    names.forEach((name, i) => { this.names[firstId + i] = name; });
  }

  consume(batch: EventBatch): void {
    const n = batch.count;
    this.counts.total += n;
    for (let i = 0; i < n; i++) {
      switch (batch.kind(i)) {
        case EventKind.Alloc: {
          this.counts.alloc++;
          const id = batch.objectId(i);
          if (this.live.has(id)) break;
          const device = batch.device(i), type = batch.memType(i), size = batch.size(i);
          this.live.set(id, { device, type, size });
          const u = this.usageOf(device, type);
          u.current += size;
          u.allocated++;
          u.liveBuffers++;
          if (u.current > u.peak) u.peak = u.current;
          break;
        }
        case EventKind.Free: {
          this.counts.free++;
          const id = batch.objectId(i);
          const entry = this.live.get(id);
          if (!entry) break;
          this.live.delete(id);
          const u = this.usageOf(entry.device, entry.type);
          u.current -= entry.size;
          u.freed++;
          u.liveBuffers--;
          break;
        }
        case EventKind.CbAlloc: this.counts.cbAlloc++; break;
        case EventKind.Program: this.counts.program++; break;
        default: break;
      }
    }
  }

  resetPeak(): void {
    for (const perType of this.usage.values()) for (const u of perType) if (u) u.peak = u.current;
  }

  report(meta: ReportMeta): Report {
    const devices = [...this.usage.keys()].sort((a, b) => a - b).map((id) => {
      const perType = this.usage.get(id)!;
      const memory = {} as Record<MemTypeName, MemoryUsage>;
      MEM_TYPE_NAMES.forEach((name, code) => {
        const u = perType[code];
        memory[name] = u ? { ...u } : { current: 0, peak: 0, allocated: 0, freed: 0, liveBuffers: 0 };
      });
      return { id, kind: 'chip' as const, memory };
    });
    return {
      schema: 'tt-alloc-tracker/report@1',
      complete: meta.dropped === 0,
      events: { ...this.counts, dropped: meta.dropped },
      devices,
    };
  }

  private usageOf(device: number, type: number): Usage {
    let perType = this.usage.get(device);
    if (!perType) this.usage.set(device, (perType = []));
    return (perType[type] ??= { current: 0, peak: 0, allocated: 0, freed: 0, liveBuffers: 0 });
  }
}
