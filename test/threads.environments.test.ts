/**
 * Several Node environments in one process (docs/threads.md): workers load the addon, one environment
 * at a time owns the event stream, a torn-down owner releases it. Workers load dist/ (npm run build:ts).
 */
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as tracker from '../lib/index';
import * as sim from '../lib/sim';
import type { Report } from '../lib/report/types';
import { ROOT, TrackerWorker, WORKER_SCRIPT } from './helpers/worker';

const owned = (who: string, owner: string) =>
  `tt-alloc-tracker: enable() in ${who} refused: tracking is enabled by ${owner}, which owns the event stream ` +
  `(one Node environment per process consumes events). Call disable() in ${owner} first, or enable and report there.`;

/**
 * The exact figures of a stream of `workloads` (buffers allocated, freed, leaked). openDevice: 2 DeviceInfo
 * (DRAM and L1; with upstream's defaults L1_SMALL and the trace region are 0, so no DeviceInfo for them —
 * docs/sim.md#parts).
 */
function expectCounts(r: Report, devices: number, buffers: number, freed: number): void {
  expect(r.events).toMatchObject({ total: 2 * devices + buffers + freed, alloc: buffers, free: freed, deviceInfo: 2 * devices, dropped: 0 });
  expect(r.classes.alloc).toEqual({ ok: buffers, alias: 0, overlap: 0, duplicateAlloc: 0, invalid: 0 });
  expect(r.classes.free).toEqual({ ok: freed, aliasFree: 0, doubleFree: 0, staleFree: 0, untrackedFree: 0, invalid: 0 });
  expect(r.leakSummary).toMatchObject({ buffers: buffers - freed, bytes: 4096 * (buffers - freed) });
}

/** The same workload as tracker-worker.js, on this thread. */
function workload(buffers: number, leak: number): void {
  const device = sim.openDevice();
  const made = Array.from({ length: buffers }, () => sim.createBuffer(device, { size: 4096, type: 'DRAM' }));
  for (const b of made.slice(leak)) b.deallocate();
  device.close();
}

let workers: TrackerWorker[] = [];
const start = () => {
  const w = new TrackerWorker();
  workers.push(w);
  return w;
};

beforeEach(() => {
  expect(tracker.stats().owner).toBeNull();
});

afterEach(async () => {
  tracker.disable();
  for (const w of workers) await w.worker.terminate();
  workers = [];
  // Every owner is gone: the next test starts with nobody owning the stream.
  expect(tracker.stats().owner).toBeNull();
});

describe('several Node environments (worker_threads)', () => {
  it('a worker loads the addon, enables, runs a workload and reports exact counts', async () => {
    const w = start();
    await w.must('enable');
    await w.must('workload', { buffers: 6, leak: 2 });
    const { report, stats } = await w.must('report');
    expectCounts(report!, 1, 6, 4);
    expect(stats!.owner).toBe(`worker thread ${w.threadId}`);
    expect(tracker.stats().owner).toBe(`worker thread ${w.threadId}`);
    // A normal exit while tracking: the cleanup hook disables and releases ownership.
    expect(await w.exit()).toBe(0);
    expect(tracker.stats().owner).toBeNull();
    expect(tracker.nativeBinding().isEnabled()).toBe(false);
  });

  it('main + worker: the worker cannot enable; its runtime events reach the main thread exactly once', async () => {
    tracker.enable({ drainIntervalMs: 0 });
    tracker.reset();
    const w = start();
    const refused = await w.ask('enable');
    expect(refused).toMatchObject({ ok: false, name: 'TrackerError', code: 'ERR_TRACKER_OWNED', message: owned(`worker thread ${w.threadId}`, 'the main thread') });
    // Disabling there is a no-op (it never enabled): tracking stays on for the main thread.
    await w.must('disable');
    expect(tracker.isEnabled()).toBe(true);
    // Both threads drive the process-wide runtime at once; then one leak, on this thread.
    const concurrent = w.must('workload', { buffers: 3, leak: 0 });
    workload(2, 0);
    await concurrent;
    workload(1, 1);
    // The worker does not own the stream: its report() drains nothing and so steals nothing.
    expect((await w.must('report')).report!.events.total).toBe(0);
    expectCounts(tracker.report(), 3, 6, 5);
  });

  it('two workers: the second enabler is refused by name; after the first disables it owns only its own events', async () => {
    const a = start();
    const b = start();
    await a.must('enable');
    const refused = await b.ask('enable');
    expect(refused).toMatchObject({ ok: false, code: 'ERR_TRACKER_OWNED', message: owned(`worker thread ${b.threadId}`, `worker thread ${a.threadId}`) });
    // The main thread is refused the same way.
    expect(() => tracker.enable()).toThrow(expect.objectContaining({ name: 'TrackerError', code: 'ERR_TRACKER_OWNED', message: owned('the main thread', `worker thread ${a.threadId}`) }));
    await a.must('workload', { buffers: 4, leak: 1 });
    expect((await b.must('report')).report!.events.total).toBe(0);
    expectCounts((await a.must('report')).report!, 1, 4, 3);
    const discarded = tracker.stats().discarded;
    await a.must('disable');
    await b.must('enable');
    await b.must('workload', { buffers: 2, leak: 0 });
    expectCounts((await b.must('report')).report!, 1, 2, 2);
    // A drained everything at disable(): B's takeover discarded nothing, and A's report is unchanged.
    expect(tracker.stats().discarded).toBe(discarded);
    expectCounts((await a.must('report')).report!, 1, 4, 3);
  });

  it('terminate() of a worker tracking mid-workload: no crash; the main thread then enables and gets exact results', async () => {
    const w = start();
    await w.must('enable');
    const looping = w.ask('loop');
    expect(await looping).toMatchObject({ op: 'loop', ok: true, looping: true });
    await w.worker.terminate();
    expect(await w.exited).toBe(1);
    expect(tracker.stats().owner).toBeNull();
    expect(tracker.nativeBinding().isEnabled()).toBe(false);
    tracker.enable({ drainIntervalMs: 0 });
    tracker.reset();
    workload(3, 0);
    expectCounts(tracker.report(), 1, 3, 3);
    // What the worker left pending was discarded, not handed to us; every accepted event is accounted for.
    const s = tracker.stats();
    expect(s.discarded).toBeGreaterThan(0);
    expect(s.accepted).toBe(s.drained + s.discarded + s.buffered);
  });

  it('20 sequential workers load, track and exit (half terminated) in a process whose main thread loads the addon last', () => {
    // A child process: its main thread does not load the addon until the end, so each worker's
    // teardown is the last environment's (the collector thread stops and restarts every time).
    const script = `
      const { Worker } = require('node:worker_threads');
      const { once } = require('node:events');
      const root = ${JSON.stringify(ROOT)};
      async function ask(w, op, more) { const r = once(w, 'message'); w.postMessage({ op, ...more }); return (await r)[0]; }
      (async () => {
        const out = [];
        for (let i = 0; i < 20; i++) {
          const w = new Worker(${JSON.stringify(WORKER_SCRIPT)}, { workerData: { root } });
          await ask(w, 'enable');
          await ask(w, 'workload', { buffers: 3, leak: i % 2 });
          const { report } = await ask(w, 'report');
          const exit = once(w, 'exit');
          if (i % 2 === 0) w.postMessage({ op: 'exit' }); else await w.terminate();
          const [code] = await exit;
          out.push([report.events.alloc, report.events.free, report.leakSummary.buffers, code]);
        }
        const t = require(root + '/dist/index.js');
        t.enable({ drainIntervalMs: 0 });
        const d = t.sim.openDevice();
        t.sim.createBuffer(d, { size: 4096, type: 'DRAM' }).deallocate();
        const r = t.report();
        console.log(JSON.stringify({ out, main: [r.events.total, r.classes.alloc.ok, r.classes.free.ok], owner: t.stats().owner }));
      })();`;
    const result = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    expect(result.out).toEqual(Array.from({ length: 20 }, (_, i) => [3, 3 - (i % 2), i % 2, i % 2 === 0 ? 0 : 1]));
    // 2 DeviceInfo (DRAM, L1: upstream defaults leave L1_SMALL and TRACE empty) + 1 allocate + 1 free.
    expect(result.main).toEqual([4, 1, 1]);
    expect(result.owner).toBe('the main thread');
  });

  it('30 workers terminated inside a native call: the process survives every one', () => {
    // terminate() stops a worker while its loop is inside createBuffer(); the addon's pending throw
    // then has no JS to go to. node-addon-api must swallow it (NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS)
    // rather than let a C++ exception escape into V8 and abort the process: before that define, this
    // child aborted within 30 rounds on every run.
    const script = `
      const { Worker } = require('node:worker_threads');
      const { once } = require('node:events');
      const root = ${JSON.stringify(ROOT)};
      (async () => {
        const codes = [];
        for (let i = 0; i < 30; i++) {
          const w = new Worker(${JSON.stringify(WORKER_SCRIPT)}, { workerData: { root } });
          const enabled = once(w, 'message'); w.postMessage({ op: 'enable' }); await enabled;
          const looping = new Promise((res) => w.on('message', (m) => { if (m.looping) res(); }));
          w.postMessage({ op: 'loop' });
          await looping;
          codes.push(await w.terminate());
        }
        console.log(JSON.stringify(codes));
      })();`;
    const codes = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    expect(codes).toEqual(Array.from({ length: 30 }, () => 1));
  });
});
