// A worker_threads environment that loads the built package (dist/) and does what the test asks, one
// message at a time: { op: 'enable' | 'disable' | 'workload' | 'report' | 'overflow' | 'loop' | 'exit', ... }.
// Every reply is { op, ok, ... }; a thrown error comes back as { ok: false, name, code, message }.
'use strict';
const { parentPort, workerData, threadId } = require('node:worker_threads');
const path = require('node:path');

const t = require(path.join(workerData.root, 'dist', 'index.js'));

/** Opens a chip, allocates `buffers` DRAM buffers of 4 KiB, frees all but `leak`, closes the chip. */
function workload(buffers, leak) {
  const device = t.sim.openDevice();
  const made = [];
  for (let i = 0; i < buffers; i++) made.push(t.sim.createBuffer(device, { size: 4096, type: 'DRAM' }));
  for (const b of made.slice(leak)) b.deallocate();
  device.close();
  return device.id;
}

const ops = {
  enable: () => t.enable({ drainIntervalMs: 0 }),
  disable: () => t.disable(),
  workload: (m) => ({ device: workload(m.buffers, m.leak) }),
  report: () => ({ report: t.report(), stats: t.stats() }),
  // A 64-slot ring and no spill, then 4 × 10,000 synthetic events pushed at once: most are dropped.
  overflow: () => {
    t.enable({ drainIntervalMs: 0, ringCapacity: 64, spillCapacity: 0, overflow: 'drop' });
    const { pushed, dropped } = require(path.join(workerData.root, 'dist', 'testing.js')).emitSynthetic({ threads: 4, perThread: 10000 });
    return { pushed, dropped };
  },
  // Allocates and frees forever on this thread, never yielding: only terminate() stops it.
  loop: () => {
    const device = t.sim.openDevice();
    for (let i = 0; ; i++) {
      t.sim.createBuffer(device, { size: 4096, type: 'DRAM' }).deallocate();
      if (i === 100) parentPort.postMessage({ op: 'loop', ok: true, looping: true });
    }
  },
  exit: () => process.exit(0),
};

parentPort.on('message', (m) => {
  try {
    const result = ops[m.op](m);
    parentPort.postMessage({ op: m.op, ok: true, threadId, ...result });
  } catch (err) {
    parentPort.postMessage({ op: m.op, ok: false, threadId, name: err.name, code: err.code, message: err.message });
  }
});
