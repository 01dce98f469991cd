#!/usr/bin/env node
// The scenarios of scenario.js on the embedded runtime, set to the generation closest to ttnn 0.70.1
// (sim.configure({ runtime: '2026-04' }), parts n150 / n300): the same calls in the same order, so
// test/tt-metal-mock.sim-compare.test.ts can compare the two event streams field by field. In its own
// process, as the real run is (buffer ids count from 0 per process).
// Usage: node sim-scenario.js <chip|mesh>
'use strict';
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const { sim } = require(path.join(root, 'dist', 'index.js'));

if (!Array.isArray(sim.RUNTIMES) || !sim.RUNTIMES.includes('2026-04')) {
  throw new Error("the embedded runtime has no '2026-04' generation (sim.configure({ runtime }) comes with the sim branch)");
}
sim.configure({ runtime: '2026-04' });
const L1_SMALL = 32768;
const TRACE_REGION = 8 << 20;
const name = process.argv[2];
const records = [];
const native = require(path.join(root, 'build', 'Release', 'tt_alloc_tracker.node'));
native.enable({ ringCapacity: 4096, spillCapacity: 4096, overflow: 'drop' });

if (name === 'chip') {
  const d = sim.openDevice({ part: 'n150', l1SmallSize: L1_SMALL, traceRegionSize: TRACE_REGION });
  const a = sim.createBuffer(d, { size: 8192, type: 'DRAM', pageSize: 2048 });
  const b = sim.createBuffer(d, { size: 8192, type: 'L1', pageSize: 2048 });
  const c = sim.createBuffer(d, { size: 8192, type: 'TRACE', pageSize: 2048 });
  const dd = sim.createBuffer(d, { size: 4096, type: 'DRAM', pageSize: 4096 });
  const v = a.view(2048, 4096);
  const e = sim.createBuffer(d, { size: 8192, type: 'L1_SMALL', pageSize: 2048, layout: 'HEIGHT_SHARDED', cores: 2 });
  // CBs on cores (0,0)-(1,1) and (0,0): 4 cores and 1 core; launched as detail::LaunchProgram does.
  const p = sim.createProgram(d);
  p.addCircularBuffer({ size: 4096, cores: 4 });
  p.addCircularBuffer({ size: 8192, cores: 1 });
  p.launch();
  p.destroy();
  v.release();
  a.release();
  b.deallocate();
  c.release();
  dd.release();
  e.release();
  d.close();
} else if (name === 'mesh') {
  const m = sim.openMesh({ part: 'n300', shape: [1, 2], l1SmallSize: L1_SMALL, traceRegionSize: TRACE_REGION });
  const m1 = sim.createBuffer(m, { size: 8192, type: 'DRAM', pageSize: 2048 });
  const m2 = sim.createBuffer(m, { size: 4096, type: 'L1', pageSize: 2048 });
  const b = sim.createBuffer(m, { size: 4096, type: 'L1', pageSize: 2048 });
  b.release();
  m2.release();
  m1.release();
  m.close();
} else {
  throw new RangeError(`scenario must be 'chip' or 'mesh', got ${JSON.stringify(name)}`);
}
for (const buf of native.drain()) records.push(Buffer.from(buf).toString('base64'));
process.stdout.write(`${JSON.stringify({ records })}\n`);
