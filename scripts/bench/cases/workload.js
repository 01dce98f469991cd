'use strict';
// Whole-workload overhead: the Llama-style decode workload on the embedded runtime with tracking off
// and on, alternating, after warm-up runs. "On" is split in two, because they run on different
// threads in a real harness: the runtime's run with the hook pushing (what the workload itself pays)
// and the consumer's drain + aggregation + report() (the JS thread's work, done between tests or on
// the drain timer). Runs in a child process.
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
  const consumer = [];
  for (let i = 0; i < warmup + runs; i++) {
    tracker.disable();
    const offMs = timeMs(() => sim.runWorkload('llama-decode', options));
    tracker.enable({ drainIntervalMs: 0 });
    const onMs = timeMs(() => sim.runWorkload('llama-decode', options));
    const consumerMs = timeMs(() => { events = tracker.report().events.total; });
    tracker.reset();
    if (i >= warmup) {
      off.push(offMs);
      on.push(onMs);
      consumer.push(consumerMs);
    }
  }
  tracker.disable();
  const offMedian = median(off);
  const onMedian = median(on);
  const consumerMedian = median(consumer);
  return {
    mesh, layers, steps, runs, events, offMs: offMedian, onMs: onMedian, ratio: onMedian / offMedian,
    consumerMs: consumerMedian, totalRatio: (onMedian + consumerMedian) / offMedian, offRuns: off, onRuns: on, consumerRuns: consumer,
  };
}

module.exports = { workloadOverhead };
