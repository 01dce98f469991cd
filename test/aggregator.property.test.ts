import { describe, expect, it } from 'vitest';
import { Aggregator } from '../lib/aggregator/aggregator';
import { EventBatch, encodeRecords, type EventRecord } from '../lib/events/format';
import { expectReportInvariants } from './helpers/report-invariants';

/** mulberry32: a small seeded PRNG, so a failing seed replays exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HUGE = [0, 1, 2 ** 32, 2 ** 53 - 1, 2 ** 60, 2 ** 63];

function hostileStream(random: () => number, length: number): Partial<EventRecord>[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const int = (n: number) => Math.floor(random() * n);
  const out: Partial<EventRecord>[] = [];
  for (let k = 0; k < length; k++) {
    const r = random();
    out.push({
      seq: random() < 0.05 ? int(length) : k, // some out of order
      time: k,
      kind: r < 0.35 ? 1 : r < 0.7 ? 2 : int(13) as EventRecord['kind'], // mostly allocs/frees, some unknown kinds
      device: random() < 0.1 ? pick([100, 101, 65535]) : int(4),
      thread: int(3),
      memType: random() < 0.05 ? pick([6, 200, 255]) : int(6),
      flags: int(32),
      objectId: random() < 0.02 ? pick(HUGE) : int(64),
      address: random() < 0.02 ? pick(HUGE) : int(16) * 0x100,
      size: random() < 0.03 ? pick(HUGE) : int(4) * 0x80,
      aux: int(5),
    });
  }
  return out;
}


describe('Aggregator: random hostile streams', () => {
  it('never goes negative, classifies every alloc/free once, stays JSON-serialisable', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = prng(seed);
      const agg = new Aggregator({ timelinePoints: 8, examplesPerClass: 3, freedHistory: 4, leakListLimit: 5 });
      agg.addNames(1, ['a', 'b', 'c', 'd']);
      // several batches, so out-of-order seq also crosses batch boundaries
      for (let b = 0; b < 3; b++) agg.consume(new EventBatch(encodeRecords(hostileStream(random, 300))));
      if (seed % 50 === 0) agg.resetPeak();
      expectReportInvariants(agg.report({ dropped: seed % 2 }));
    }
  });

  it('keeps each chip’s current equal to its live owners’ bytes (small sizes, no meshes)', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const random = prng(seed * 7919);
      const records = hostileStream(random, 1000).map((r) => ({
        ...r, seq: r.time, kind: random() < 0.5 ? 1 : 2, flags: r.flags! & ~0b100, memType: r.memType! % 5,
        device: r.device! % 4, objectId: r.objectId! % 64, address: r.address! % 0x1000, size: r.size! % 0x1000,
      })) as Partial<EventRecord>[];
      const agg = new Aggregator({ leakListLimit: 1e6 });
      agg.consume(new EventBatch(encodeRecords(records)));
      const report = agg.report({ dropped: 0 });
      expectReportInvariants(report);
      for (const d of report.devices) {
        for (const [type, u] of Object.entries(d.memory)) {
          const held = report.leaks.filter((l) => l.device === d.id && l.type === type).reduce((s, l) => s + l.size, 0);
          expect(u.current).toBe(held);
        }
      }
    }
  });
});
