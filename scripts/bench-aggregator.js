#!/usr/bin/env node
/*
 * Aggregator throughput, memory per live allocation and report() latency. Run after `npm run build:ts`:
 *   node --expose-gc scripts/bench-aggregator.js [--quick]
 * or from code: `await require('./scripts/bench-aggregator').runAggregatorBenchmarks({ quick })`.
 *
 * Synthetic streams are encoded once into 64-byte records (the drain's format) and fed in
 * 16,384-event batches (one spill chunk); the Llama stream is the real event stream of the embedded
 * runtime, recorded once through the native drain. Timings cover consume() only. Full runs repeat
 * each measurement and report the median.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const { Aggregator } = require('../dist/aggregator/aggregator');
const { EventBatch, EventKind, Flag, MemType, Offset, RECORD_BYTES } = require('../dist/events/format');

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
    push(kind, device, memType, objectId, address, size, thread = 1, aux = 0, flags = 0) {
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
      view.setUint8(base + Offset.flags, flags);
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

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Feeds `list` to a fresh aggregator; returns events/s and the aggregator. */
function feed(list, count, names) {
  const agg = new Aggregator();
  if (names) agg.addNames(1, names);
  const start = process.hrtime.bigint();
  for (const b of list) agg.consume(b);
  const ns = Number(process.hrtime.bigint() - start);
  return { rate: count / (ns / 1e9), agg };
}

/** One warm-up pass, then `reps` measured passes on fresh aggregators; the median rate. */
function throughput(stream, reps) {
  feed(stream.list, stream.count, stream.names);
  const rates = [];
  let agg;
  for (let r = 0; r < reps; r++) ({ rate: rates[r], agg } = feed(stream.list, stream.count, stream.names));
  return { rate: median(rates), agg };
}

/**
 * 100,000 live DRAM buffers on 8 chips at shuffled addresses (range inserts land everywhere, as a
 * real allocator's do), then churn with 100,000 buffers live: each step frees a random live buffer
 * and allocates a new one at its address (a new generation), then all are freed.
 */
function liveHundredThousand(churn) {
  const LIVE = 100_000;
  const w = writer(LIVE * 2 + churn * 2);
  const order = Array.from({ length: LIVE }, (_, i) => i);
  let s = 12345;
  const rand = (n) => { s = (s * 1103515245 + 12345) >>> 0; return s % n; };
  for (let i = LIVE - 1; i > 0; i--) { const j = rand(i + 1); [order[i], order[j]] = [order[j], order[i]]; }
  const slotId = new Float64Array(LIVE);
  const address = (slot) => 0x1000 + order[slot] * 0x2000;
  let id = 1;
  for (let slot = 0; slot < LIVE; slot++) { slotId[slot] = id; w.push(EventKind.Alloc, slot % 8, MemType.DRAM, id++, address(slot), 0x1000); }
  for (let k = 0; k < churn; k++) {
    const slot = rand(LIVE);
    w.push(EventKind.Free, slot % 8, MemType.DRAM, slotId[slot], address(slot), 0x1000);
    slotId[slot] = id;
    w.push(EventKind.Alloc, slot % 8, MemType.DRAM, id++, address(slot), 0x1000);
  }
  for (let slot = 0; slot < LIVE; slot++) w.push(EventKind.Free, slot % 8, MemType.DRAM, slotId[slot], address(slot), 0x1000);
  return { count: w.count, list: batches(w.buffer, w.count) };
}

/**
 * A mixed stream shaped like a model run: ops nesting, L1 and DRAM churn with address reuse, CBs
 * per program launch, a MeshBuffer over 8 chips every so often (backing + 8 replicas), views.
 */
function mixed(total) {
  const w = writer(total);
  let id = 1;
  // Event format 2: every event of a mesh carries MeshDevice (a mesh and a chip may share an id).
  for (let c = 0; c < 8; c++) w.push(EventKind.MeshChip, 100, 255, c, 0, 8, 1, c, Flag.MeshDevice);
  const live = [];
  let step = 0;
  while (w.count < total - 64) {
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
    // A program launch and its CBs (TT-Metal since PR #37218: the program is named; released at its destruction).
    w.push(EventKind.Program, device, 255, step, 0, 0);
    w.push(EventKind.CbAlloc, device, MemType.CB, step, 0, 0x4000, 1, 0, Flag.HasProgram);
    w.push(EventKind.CbAlloc, device, MemType.CB, step, 0, 0x2000, 1, 0, Flag.HasProgram);
    if (step % 16 === 0) { // a MeshBuffer: backing on mesh 100, per-chip replicas, chips freed first
      const backing = id++;
      const address = 0x40000000 + (step % 64) * 0x10000;
      w.push(EventKind.Alloc, 100, MemType.DRAM, backing, address, 0x10000, 1, 0, Flag.MeshDevice);
      for (let c = 0; c < 8; c++) w.push(EventKind.Alloc, c, MemType.DRAM, id + c, address, 0x10000);
      for (let c = 0; c < 8; c++) w.push(EventKind.Free, c, MemType.DRAM, id + c, address, 0x10000);
      id += 8;
      w.push(EventKind.Free, 100, MemType.DRAM, backing, address, 0x10000, 1, 0, Flag.MeshDevice);
    }
    while (live.length > 6) { // free the oldest six: steady churn with reuse
      const [bufferId, d, t, a] = live.shift();
      w.push(EventKind.Free, d, t, bufferId, a, 0x800);
    }
    w.push(EventKind.CbRelease, device, 255, 0, 0, 0); // the step's program destroyed
    w.push(EventKind.OpEnd, 0, 255, 0, 0, 0);
  }
  return { count: w.count, list: batches(w.buffer, w.count) };
}

/**
 * The real event stream of the embedded runtime's Llama decode workload on a 2×4 mesh, recorded
 * through the native drain (overflow 'block', so nothing is dropped). Each pass reads its own copy
 * of the batches, as a drain hands over fresh buffers.
 */
function llama(layers, steps) {
  const tracker = require('../dist');
  const { native } = require('../dist/native');
  tracker.enable({ overflow: 'block', drainIntervalMs: 0 });
  tracker.flush();
  tracker.sim.runWorkload('llama-decode', { mesh: [2, 4], layers, steps });
  const addon = native();
  const dropped = addon.stats().dropped;
  const buffers = addon.drain();
  const names = addon.names(1);
  tracker.disable();
  tracker.reset();
  if (addon.stats().dropped !== dropped || dropped !== 0) throw new Error(`llama recording dropped ${dropped} events`);
  const recorded = buffers.map((buffer) => new EventBatch(buffer));
  const count = recorded.reduce((sum, b) => sum + b.count, 0);
  return {
    count,
    names,
    get list() { return buffers.map((buffer) => new EventBatch(buffer.slice(0))); },
  };
}

/**
 * Aggregator bytes per live allocation: 100,000 live DRAM buffers, everything included. Typed
 * arrays past 64 bytes keep their contents outside the V8 heap, so ArrayBuffer memory counts too.
 */
function bytesPerLiveInProcess() {
  const LIVE = 100_000;
  const w = writer(LIVE);
  for (let i = 0; i < LIVE; i++) w.push(EventKind.Alloc, i % 8, MemType.DRAM, i + 1, 0x1000 + i * 0x2000, 0x1000);
  const list = batches(w.buffer, w.count);
  const before = usedBytes();
  const agg = new Aggregator();
  for (const b of list) agg.consume(b);
  const after = usedBytes();
  agg.checkpoint(); // keeps agg reachable until after the second measurement
  return (after - before) / LIVE;
}

/** Heap and ArrayBuffer bytes in use after full collections (a freed ArrayBuffer's memory is released a collection later). */
function usedBytes() {
  global.gc();
  global.gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * Measured in a fresh `node --expose-gc` child: in this process the ArrayBuffers the throughput
 * passes dropped would still be counted, or released, during the measurement.
 */
function bytesPerLive() {
  const out = execFileSync(process.execPath, ['--expose-gc', __filename, '--bytes-per-live'], { encoding: 'utf8' });
  return Number(out.trim());
}

/** report() latency with `live` shuffled live DRAM buffers on 8 chips (ms, median of `reps`). */
function reportMs(live, reps) {
  const w = writer(live);
  for (let i = 0; i < live; i++) w.push(EventKind.Alloc, i % 8, MemType.DRAM, i + 1, 0x1000 + ((i * 7919) % live) * 0x2000, 0x1000 + (i % 13) * 0x100);
  const agg = new Aggregator();
  for (const b of batches(w.buffer, w.count)) agg.consume(b);
  agg.report({ dropped: 0 }); // warm-up
  const times = [];
  for (let r = 0; r < reps; r++) {
    const start = process.hrtime.bigint();
    agg.report({ dropped: 0 });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

/**
 * Runs every aggregator benchmark. `quick`: one measured pass each on smaller streams (a few seconds);
 * otherwise three or more passes each, medians reported.
 */
async function runAggregatorBenchmarks({ quick = false } = {}) {
  const reps = quick ? 1 : 5;
  const mixedStream = mixed(quick ? 500_000 : 2_000_000);
  const mixedResult = throughput(mixedStream, reps);
  const liveStream = liveHundredThousand(quick ? 200_000 : 1_000_000);
  const liveResult = throughput(liveStream, reps);
  const llamaStream = quick ? llama(16, 64) : llama(32, 256);
  const llamaResult = throughput(llamaStream, reps);
  const bytes = [];
  for (let r = 0; r < (quick ? 1 : 3); r++) bytes.push(bytesPerLive());
  return {
    mixedEventsPerSec: mixedResult.rate,
    live100kEventsPerSec: liveResult.rate,
    llamaEventsPerSec: llamaResult.rate,
    bytesPerLiveAllocation: median(bytes),
    reportMs10k: reportMs(10_000, quick ? 3 : 7),
    reportMs100k: reportMs(100_000, quick ? 1 : 5),
    events: { mixed: mixedStream.count, live100k: liveStream.count, llama: llamaStream.count },
    mixedClasses: mixedResult.agg.report({ dropped: 0 }).classes,
  };
}

async function main() {
  if (process.argv.includes('--bytes-per-live')) {
    console.log(String(bytesPerLiveInProcess()));
    return;
  }
  const quick = process.argv.includes('--quick');
  const r = await runAggregatorBenchmarks({ quick });
  const M = (rate) => `${(rate / 1e6).toFixed(2)} M events/s`;
  const rows = [
    [`100,000 live buffers (${r.events.live100k.toLocaleString()} events: allocs, churn, frees)`, M(r.live100kEventsPerSec)],
    [`mixed stream (${r.events.mixed.toLocaleString()} events: ops, churn, views, CBs, mesh replicas)`, M(r.mixedEventsPerSec)],
    [`recorded llama-decode on a 2x4 mesh (${r.events.llama.toLocaleString()} events)`, M(r.llamaEventsPerSec)],
    ['bytes per live allocation (heap and typed arrays, 100,000 live, everything included)', r.bytesPerLiveAllocation.toFixed(0)],
    ['report() with 10,000 live buffers', `${r.reportMs10k.toFixed(1)} ms`],
    ['report() with 100,000 live buffers', `${r.reportMs100k.toFixed(1)} ms`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`aggregator benchmarks (${quick ? 'quick: one pass' : 'median of 5 passes; memory of 3'})`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
  console.log(`  mixed classes: alloc ${JSON.stringify(r.mixedClasses.alloc)} free ${JSON.stringify(r.mixedClasses.free)}`);
}

// The stream builders are exported for comparisons of two aggregator builds on the same streams.
module.exports = { runAggregatorBenchmarks, streams: { mixed, liveHundredThousand, llama } };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
