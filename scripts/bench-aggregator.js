#!/usr/bin/env node
/*
 * Aggregator throughput and memory per live allocation. Run after `npm run build:ts`:
 *   node --expose-gc scripts/bench-aggregator.js
 * Streams are encoded once into 64-byte records (the drain's format) and fed in 16,384-event batches
 * (one spill chunk), so the timing covers consume() only.
 */
'use strict';
const { Aggregator } = require('../dist/aggregator/aggregator');
const { EventBatch, EventKind, MemType, Offset, RECORD_BYTES } = require('../dist/events/format');

const BATCH = 16384;

/** Writes records straight into an ArrayBuffer (encodeRecords is for tests: BigInt per field). */
function writer(count) {
  const buffer = new ArrayBuffer(count * RECORD_BYTES);
  const view = new DataView(buffer);
  let n = 0;
  const u64 = (base, offset, value) => {
    view.setUint32(base + offset, value >>> 0, true);
    view.setUint32(base + offset + 4, Math.floor(value / 4294967296), true);
  };
  return {
    buffer,
    push(kind, device, memType, objectId, address, size, thread = 1, aux = 0) {
      const base = n * RECORD_BYTES;
      u64(base, Offset.seq, n);
      u64(base, Offset.time, n * 100);
      u64(base, Offset.objectId, objectId);
      u64(base, Offset.address, address);
      u64(base, Offset.size, size);
      view.setUint32(base + Offset.aux, aux, true);
      view.setUint16(base + Offset.device, device, true);
      view.setUint16(base + Offset.thread, thread, true);
      view.setUint8(base + Offset.kind, kind);
      view.setUint8(base + Offset.memType, memType);
      view.setUint8(base + Offset.layout, 255);
      n++;
    },
    get count() { return n; },
  };
}

function batches(buffer, count) {
  const out = [];
  for (let first = 0; first < count; first += BATCH) {
    const n = Math.min(BATCH, count - first);
    out.push(new EventBatch(buffer, first * RECORD_BYTES, n * RECORD_BYTES));
  }
  return out;
}

function run(name, build) {
  const w = build();
  const list = batches(w.buffer, w.count);
  // one warm-up pass on a throwaway aggregator, then the measured one
  const warm = new Aggregator();
  for (const b of list) warm.consume(b);
  const agg = new Aggregator();
  const start = process.hrtime.bigint();
  for (const b of list) agg.consume(b);
  const ns = Number(process.hrtime.bigint() - start);
  const rate = w.count / (ns / 1e9);
  console.log(`${name}: ${w.count.toLocaleString()} events in ${(ns / 1e6).toFixed(1)} ms = ${(rate / 1e6).toFixed(2)} M events/s`);
  return agg;
}

/**
 * 100,000 live DRAM buffers on 8 chips at shuffled addresses (range inserts land everywhere, as a
 * real allocator's do), then 2 M events of churn with 100,000 buffers live: each step frees a random
 * live buffer and allocates a new one at its address (a new generation), then all are freed.
 */
function liveHundredThousand() {
  const LIVE = 100_000;
  const CHURN = 1_000_000;
  const w = writer(LIVE * 2 + CHURN * 2);
  const order = Array.from({ length: LIVE }, (_, i) => i);
  let s = 12345;
  const rand = (n) => { s = (s * 1103515245 + 12345) >>> 0; return s % n; };
  for (let i = LIVE - 1; i > 0; i--) { const j = rand(i + 1); [order[i], order[j]] = [order[j], order[i]]; }
  const slotId = new Float64Array(LIVE);
  const address = (slot) => 0x1000 + order[slot] * 0x2000;
  let id = 1;
  for (let slot = 0; slot < LIVE; slot++) { slotId[slot] = id; w.push(EventKind.Alloc, slot % 8, MemType.DRAM, id++, address(slot), 0x1000); }
  for (let k = 0; k < CHURN; k++) {
    const slot = rand(LIVE);
    w.push(EventKind.Free, slot % 8, MemType.DRAM, slotId[slot], address(slot), 0x1000);
    slotId[slot] = id;
    w.push(EventKind.Alloc, slot % 8, MemType.DRAM, id++, address(slot), 0x1000);
  }
  for (let slot = 0; slot < LIVE; slot++) w.push(EventKind.Free, slot % 8, MemType.DRAM, slotId[slot], address(slot), 0x1000);
  return w;
}

/**
 * A mixed stream shaped like a model run: ops nesting, L1 and DRAM churn with address reuse, CBs
 * per program launch, a MeshBuffer over 8 chips every so often (backing + 8 replicas), views.
 */
function mixed() {
  const w = writer(2_000_000);
  let id = 1;
  w.push(EventKind.MeshChip, 100, 255, 0, 0, 8);
  for (let c = 0; c < 8; c++) w.push(EventKind.MeshChip, 100, 255, c, 0, 8, 1, c);
  const live = [];
  let step = 0;
  while (w.count < 2_000_000 - 64) {
    step++;
    w.push(EventKind.OpStart, 0, 255, 0, 0, 0, 1, 1 + (step % 7));
    const device = step % 8;
    for (let k = 0; k < 6; k++) {
      const bufferId = id++;
      const type = k % 2 === 0 ? MemType.DRAM : MemType.L1;
      const address = 0x10000 + ((step * 6 + k) % 4096) * 0x800;
      w.push(EventKind.Alloc, device, type, bufferId, address, 0x800);
      live.push([bufferId, device, type, address]);
    }
    if (step % 4 === 0) { // a view of the last buffer
      const [, d, t, a] = live[live.length - 1];
      const viewId = id++;
      w.push(EventKind.Alloc, d, t, viewId, a + 0x100, 0x100);
      w.push(EventKind.Free, d, t, viewId, a + 0x100, 0x100);
    }
    w.push(EventKind.CbAlloc, device, MemType.CB, step, 0, 0x4000);
    w.push(EventKind.CbAlloc, device, MemType.CB, step, 0, 0x2000);
    w.push(EventKind.Program, device, 255, step, 0, 0);
    if (step % 16 === 0) { // a MeshBuffer: backing on mesh 100, per-chip replicas, chips freed first
      const backing = id++;
      const address = 0x40000000 + (step % 64) * 0x10000;
      w.push(EventKind.Alloc, 100, MemType.DRAM, backing, address, 0x10000);
      for (let c = 0; c < 8; c++) w.push(EventKind.Alloc, c, MemType.DRAM, id + c, address, 0x10000);
      for (let c = 0; c < 8; c++) w.push(EventKind.Free, c, MemType.DRAM, id + c, address, 0x10000);
      id += 8;
      w.push(EventKind.Free, 100, MemType.DRAM, backing, address, 0x10000);
    }
    while (live.length > 6) { // free the oldest six: steady churn with reuse
      const [bufferId, d, t, a] = live.shift();
      w.push(EventKind.Free, d, t, bufferId, a, 0x800);
    }
    w.push(EventKind.OpEnd, 0, 255, 0, 0, 0);
  }
  return w;
}

function bytesPerLive() {
  if (typeof global.gc !== 'function') {
    console.log('bytes per live allocation: run with node --expose-gc');
    return;
  }
  const LIVE = 100_000;
  const w = writer(LIVE);
  for (let i = 0; i < LIVE; i++) w.push(EventKind.Alloc, i % 8, MemType.DRAM, i + 1, 0x1000 + i * 0x2000, 0x1000);
  const list = batches(w.buffer, w.count);
  global.gc();
  const before = process.memoryUsage().heapUsed;
  const agg = new Aggregator();
  for (const b of list) agg.consume(b);
  global.gc();
  const after = process.memoryUsage().heapUsed;
  console.log(`bytes per live allocation: ${((after - before) / LIVE).toFixed(0)} (heap, ${LIVE.toLocaleString()} live buffers, timelines included)`);
  return agg;
}

run('100,000 live buffers (100k allocs, 2 M events of churn, 100k frees)', liveHundredThousand);
const agg = run('mixed stream (ops, churn, views, CBs, mesh replicas)', mixed);
const r = agg.report({ dropped: 0 });
console.log(`  mixed classes: alloc ${JSON.stringify(r.classes.alloc)} free ${JSON.stringify(r.classes.free)}`);
bytesPerLive();
