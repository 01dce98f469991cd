#!/usr/bin/env node
// The real runtime's own allocation failures, explained by the tracker (docs/l1.md): TT-Metal's
// allocator runs out of L1 (once by fragmentation, once by exhaustion) and LaunchProgram's CB
// validation refuses a program whose CBs reach an L1 buffer. Each C++ exception arrives as a JS Error
// with TT-Metal's what() text (native/tt-metal-mock/js_driver.cpp) and goes to the tracker's
// explainFailure() at the moment it is caught, as a harness would. `chip`: a mock n150 opened with
// CreateDevice, plain Buffers; `mesh`: a mock n300 opened as a 1x2 MeshDevice, MeshBuffers (their
// backing buffers live on the mesh) and the program launched on the mesh (CBs on each chip).
// Prints one JSON line: the driver's facts, each error's message and explanation, and the report's
// event counts and l1.failures.
// Usage: node failure-scenario.js <chip|mesh> <addon.node> <driver.node>
'use strict';
const path = require('node:path');

const [name, addonPath, driverPath] = process.argv.slice(2);
if (name !== 'chip' && name !== 'mesh') throw new RangeError(`scenario must be 'chip' or 'mesh', got ${JSON.stringify(name)}`);
const addon = require(addonPath);
const driver = require(driverPath);
// The package's tracker over the addon's TT-Metal build (the default export loads build/Release).
const { Tracker } = require(path.join(__dirname, '..', '..', 'dist', 'tracker.js'));

const L1_SMALL = 32768;
const TRACE_REGION = 8 << 20;
const L1 = 1;
// Slow dispatch uses the whole logical grid: 8x9 on the mock n150, 8x8 on each chip of the mock n300.
const L1_BANKS = name === 'chip' ? 72 : 64;

const tracker = new Tracker({ binding: () => addon, env: {}, owner: 'tt-metal-mock failure scenario' });
tracker.enable({ ringCapacity: 4096, spillCapacity: 4096, overflow: 'block' });

// A harness scope (what lib/scopes.ts beginScope/endScope send) and a ttnn-style op (GraphTracker's
// track_function_start/end, through the driver) around a stretch of calls.
let nextToken = 1;
function inScope(name, fn) {
  const id = addon.intern(name);
  const token = nextToken++;
  addon.mark(id, token, false);
  try {
    return fn();
  } finally {
    addon.mark(id, token, true);
  }
}
function inOp(name, fn) {
  driver.beginOp(name);
  try {
    return fn();
  } finally {
    driver.endOp();
  }
}
/** Runs `fn`, which must throw; the error's message and the tracker's explanation of it for `device`. */
function failure(fn, device) {
  try {
    fn();
  } catch (error) {
    return { message: error.message, explanation: tracker.explainFailure(error, device) };
  }
  throw new Error('the runtime did not refuse the request');
}
// An interleaved L1 buffer of one `pageSize` page on every bank: a Buffer on the chip, a replicated
// MeshBuffer on the mesh (its facts: the backing buffer's, whose handle is the MeshBuffer's).
const l1Buffer = (dev, pageSize) => name === 'chip'
  ? driver.createBuffer(dev.handle, L1_BANKS * pageSize, pageSize, L1)
  : driver.createMeshBuffer(dev.handle, L1_BANKS * pageSize, pageSize, L1).backing;

const facts = {};
const dev = (facts.device = name === 'chip' ? driver.openDevice(0, L1_SMALL, TRACE_REGION) : driver.openMesh(1, 2, L1_SMALL, TRACE_REGION));
// Out of memory is explained on the device that allocated: chip 0, or mesh 0 (a MeshBuffer allocates
// on the mesh's allocator); a clash on a chip whose CBs were refused: chip 0 in both.
const allocating = name === 'chip' ? { device: 0 } : { device: 0, kind: 'mesh' };
const launching = { device: 0 };

// 1. Fill L1 with five 256 KiB-per-bank buffers, free every other one: three holes.
const PAGE = 262144;
const fill = (facts.fill = inScope('fill L1', () => inOp('ttnn::fill_l1', () => [0, 1, 2, 3, 4].map(() => l1Buffer(dev, PAGE)))));
driver.release(fill[1].handle);
driver.release(fill[3].handle);
// 2. A request that fits the total free space per bank but no free block, then one that fits neither.
facts.fragmentation = inScope('too big for a hole', () => failure(() => l1Buffer(dev, 327680), allocating));
facts.exhaustion = inScope('too big for L1', () => failure(() => l1Buffer(dev, 589824), allocating));
for (const i of [0, 2, 4]) driver.release(fill[i].handle);

// 3. One L1 buffer, then a program whose static CBs reach it: LaunchProgram validates the region.
const pinned = (facts.pinned = inScope('pin', () => inOp('ttnn::pin_l1', () => l1Buffer(dev, 1048576))));
facts.clash = inScope('launch', () => failure(() => inOp('ttnn::clashing_op', () => driver.launchProgram(dev.handle, [
  { x0: 0, y0: 0, x1: 1, y1: 1, size: 262144, pageSize: 2048 },
  { x0: 0, y0: 0, x1: 0, y1: 0, size: 65536, pageSize: 2048 },
])), launching));
driver.release(pinned.handle);
driver.close(dev.handle);

const report = tracker.report();
tracker.disable();
process.stdout.write(`${JSON.stringify({ facts, events: report.events, failures: report.l1.failures })}\n`);
