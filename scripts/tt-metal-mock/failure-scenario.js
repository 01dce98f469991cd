#!/usr/bin/env node
// The real runtime's own allocation failures, explained by the tracker (docs/l1.md): on a mock n150,
// TT-Metal's allocator runs out of L1 (once by fragmentation, once by exhaustion) and
// LaunchProgram's CB validation refuses a program whose CBs reach an L1 buffer. Each C++ exception
// arrives as a JS Error with TT-Metal's what() text (native/tt-metal-mock/js_driver.cpp) and goes to
// the tracker's explainFailure(error, { device: 0 }) at the moment it is caught, as a harness would.
// Prints one JSON line: the driver's facts, each error's message and explanation, and the report's
// event counts and l1.failures.
// Usage: node failure-scenario.js <addon.node> <driver.node>
'use strict';
const path = require('node:path');

const [addonPath, driverPath] = process.argv.slice(2);
const addon = require(addonPath);
const driver = require(driverPath);
// The package's tracker over the addon's TT-Metal build (the default export loads build/Release).
const { Tracker } = require(path.join(__dirname, '..', '..', 'dist', 'tracker.js'));

const L1_SMALL = 32768;
const TRACE_REGION = 8 << 20;
const L1 = 1;
const L1_BANKS = 72; // the mock n150 in slow dispatch: the whole 8x9 logical grid

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
/** Runs `fn`, which must throw; the error's message and the tracker's explanation of it. */
function failure(fn) {
  try {
    fn();
  } catch (error) {
    return { message: error.message, explanation: tracker.explainFailure(error, { device: 0 }) };
  }
  throw new Error('the runtime did not refuse the request');
}
// Interleaved L1 buffer of `pages` pages of `pageSize` B on every one of the 72 banks.
const l1Buffer = (dev, pageSize, pagesPerBank = 1) => driver.createBuffer(dev.handle, L1_BANKS * pagesPerBank * pageSize, pageSize, L1);

const facts = {};
const dev = (facts.device = driver.openDevice(0, L1_SMALL, TRACE_REGION));

// 1. Fill L1 with five 256 KiB-per-bank buffers, free every other one: three holes.
const PAGE = 262144;
const fill = (facts.fill = inScope('fill L1', () => inOp('ttnn::fill_l1', () => [0, 1, 2, 3, 4].map(() => l1Buffer(dev, PAGE)))));
driver.release(fill[1].handle);
driver.release(fill[3].handle);
// 2. A request that fits the total free space per bank but no free block, then one that fits neither.
facts.fragmentation = inScope('too big for a hole', () => failure(() => l1Buffer(dev, 327680)));
facts.exhaustion = inScope('too big for L1', () => failure(() => l1Buffer(dev, 589824)));
for (const i of [0, 2, 4]) driver.release(fill[i].handle);

// 3. One L1 buffer, then a program whose static CBs reach it: LaunchProgram validates the region.
const pinned = (facts.pinned = inScope('pin', () => inOp('ttnn::pin_l1', () => l1Buffer(dev, 1048576))));
facts.clash = inScope('launch', () => failure(() => inOp('ttnn::clashing_op', () => driver.launchProgram(dev.handle, [
  { x0: 0, y0: 0, x1: 1, y1: 1, size: 262144, pageSize: 2048 },
  { x0: 0, y0: 0, x1: 0, y1: 0, size: 65536, pageSize: 2048 },
]))));
driver.release(pinned.handle);
driver.close(dev.handle);

const report = tracker.report();
tracker.disable();
process.stdout.write(`${JSON.stringify({ facts, events: report.events, failures: report.l1.failures })}\n`);
