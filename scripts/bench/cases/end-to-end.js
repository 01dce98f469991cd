'use strict';
// End-to-end throughput: native producer threads → ring → collector → JS drain → aggregator, with the
// JS thread draining (tracker flush()) while the producers run. Runs in a child process (child.js).
const tracker = require('../../../dist/tracker');
const testing = require('../../../dist/testing');

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms) {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** One run: `producers` threads push `events` events in total into a ring of `ringCapacity` slots. */
function endToEnd({ producers, ringCapacity, events }) {
  tracker.enable({ ringCapacity, drainIntervalMs: 0 });
  sleepMs(300);  // the collector faults the ring's pages in after enable()
  tracker.reset();
  const droppedBefore = tracker.stats().dropped;
  const perThread = Math.floor(events / 2 / producers);
  const start = process.hrtime.bigint();
  testing.startBackgroundProducers({ threads: producers, perThread });
  let result;
  while ((result = testing.backgroundProducersResult()) === null) {
    // An empty drain leaves the cores to the producers and the collector for a moment.
    if (tracker.flush() === 0) sleepMs(0.2);
  }
  tracker.flush();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const report = tracker.report();
  const dropped = tracker.stats().dropped - droppedBefore;
  tracker.disable();
  tracker.reset();
  return {
    producers,
    ringCapacity,
    pushed: result.pushed,
    dropped,
    aggregated: report.events.total,
    seconds,
    eventsPerSec: report.events.total / seconds,
    producerSeconds: result.elapsedNs / 1e9,
  };
}

module.exports = { endToEnd };
