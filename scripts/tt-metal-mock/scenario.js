#!/usr/bin/env node
// One scenario on the real TT-Metal runtime's mock devices, in its own process (TT-Metal takes its
// cluster descriptor once per process: scripts/tt-metal-mock/cluster/*.yaml via
// TT_METAL_MOCK_CLUSTER_DESC_PATH). Loads the addon's TT-Metal build and the driver, runs the steps,
// prints one JSON line: what the runtime said (driver results) and the processor's drained records.
// Usage: node scenario.js <chip|mesh> <addon.node> <driver.node>
'use strict';

const [name, addonPath, driverPath] = process.argv.slice(2);
const addon = require(addonPath);
const driver = require(driverPath);

// TT-Metal's defaults are not used: the sizes are chosen so that every region is non-empty.
const L1_SMALL = 32768;
const TRACE_REGION = 8 << 20;
const DRAM = 0, L1 = 1, L1_SMALL_TYPE = 3, TRACE = 4;

const facts = {};
addon.enable({ ringCapacity: 4096, spillCapacity: 4096, overflow: 'drop' });

if (name === 'chip') {
  const dev = (facts.device = driver.openDevice(0, L1_SMALL, TRACE_REGION));
  const a = (facts.dramA = driver.createBuffer(dev.handle, 8192, 2048, DRAM));
  const b = (facts.l1B = driver.createBuffer(dev.handle, 8192, 2048, L1));
  const c = (facts.traceC = driver.createBuffer(dev.handle, 8192, 2048, TRACE));
  const d = (facts.dramD = driver.createBuffer(dev.handle, 4096, 4096, DRAM));
  const v = (facts.viewV = driver.createView(a.handle, 2048, 4096));
  // L1_SMALL takes only sharded buffers: HEIGHT_SHARDED over cores (0,0)-(1,0), 2 pages of 2048 B each.
  const e = (facts.shardedE = driver.createShardedBuffer(dev.handle, { x0: 0, y0: 0, x1: 1, y1: 0 }, 2, 2048, L1_SMALL_TYPE));
  facts.program = driver.launchProgram(dev.handle, [
    { x0: 0, y0: 0, x1: 1, y1: 1, size: 4096, pageSize: 2048 },
    { x0: 0, y0: 0, x1: 0, y1: 0, size: 8192, pageSize: 2048 },
  ]);
  driver.release(facts.program.handle);
  driver.release(v.handle);
  driver.release(a.handle); // the view is gone: the root's last owner deallocates
  driver.deallocate(b.handle); // explicit DeallocateBuffer, then the object goes
  driver.release(b.handle);
  driver.release(c.handle);
  driver.release(d.handle);
  driver.release(e.handle);
  driver.close(dev.handle);
} else if (name === 'mesh') {
  const mesh = (facts.mesh = driver.openMesh(1, 2, L1_SMALL, TRACE_REGION));
  const m1 = (facts.meshDram = driver.createMeshBuffer(mesh.handle, 8192, 2048, DRAM));
  const m2 = (facts.meshL1 = driver.createMeshBuffer(mesh.handle, 4096, 2048, L1));
  const b = (facts.meshPlain = driver.createBuffer(mesh.handle, 4096, 2048, L1));
  driver.release(b.handle);
  driver.release(m2.handle);
  driver.release(m1.handle);
  driver.close(mesh.handle);
} else {
  throw new RangeError(`scenario must be 'chip' or 'mesh', got ${JSON.stringify(name)}`);
}

const records = addon.drain().map((buf) => Buffer.from(buf).toString('base64'));
process.stdout.write(
  `${JSON.stringify({ registration: addon.processor.registration, callbacks: addon.processor.callbacks(), facts, records })}\n`,
);
