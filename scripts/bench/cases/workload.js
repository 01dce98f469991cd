'use strict';
// Whole-workload overhead: the Llama-style decode workload on the embedded runtime with tracking off
// and on (enable(), run, report()), alternating, after warm-up runs. Runs in a child process.
const tracker = require('../../../dist/tracker');
const { sim } = require('../../../dist/index');

function timeMs(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function workloadOverhead({ mesh, layers, steps, runs, warmup }) {
  const options = { mesh, layers, steps };
  // The ring exists from the first enable() on; disable() keeps it, so "off" runs pay no ring set-up.
  tracker.enable({ drainIntervalMs: 0 });
  let events = 0;
  const off = [];
  const on = [];
  for (let i = 0; i < warmup + runs; i++) {
    tracker.disable();
    const offMs = timeMs(() => sim.runWorkload('llama-decode', options));
    const onMs = timeMs(() => {
      tracker.enable({ drainIntervalMs: 0 });
      sim.runWorkload('llama-decode', options);
      events = tracker.report().events.total;
    });
    tracker.reset();
    if (i >= warmup) {
      off.push(offMs);
      on.push(onMs);
    }
  }
  tracker.disable();
  const offMedian = median(off);
  const onMedian = median(on);
  return { mesh, layers, steps, runs, events, offMs: offMedian, onMs: onMedian, ratio: onMedian / offMedian, offRuns: off, onRuns: on };
}

module.exports = { workloadOverhead };
