'use strict';
// End-to-end throughput: native producer threads → ring → collector → JS drain → aggregator, with the
// JS thread draining (tracker flush()) while the producers run. Runs in a child process (child.js).
//  - burst: `events` pushed as fast as the producers can (tens of M/s, far above what anything
//    downstream sustains), so it shows the buffering and the loss accounting, not a sustained rate.
//  - paced: `ratePerSec` offered for `seconds` (testing.startBackgroundProducers' ratePerSec): the
//    sustained figure. Achieved = events aggregated / time until the last one was aggregated.
const tracker = require('../../../dist/tracker');
const testing = require('../../../dist/testing');

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms) {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * One run: `producers` threads push into a ring of `ringCapacity` slots, either `events` events flat
 * out, or (`ratePerSec`) `ratePerSec × seconds` events at that rate.
 */
function endToEnd({ producers, ringCapacity, events, ratePerSec, seconds: duration }) {
  const paced = ratePerSec !== undefined;
  const total = paced ? ratePerSec * duration : events;
  tracker.enable({ ringCapacity, drainIntervalMs: 0 });
  sleepMs(300);  // the collector faults the ring's pages in after enable()
  tracker.reset();
  const droppedBefore = tracker.stats().dropped;
  const perThread = Math.floor(total / 2 / producers);
  const start = process.hrtime.bigint();
  testing.startBackgroundProducers({ threads: producers, perThread, ...(paced ? { ratePerSec } : {}) });
  let result;
  while ((result = testing.backgroundProducersResult()) === null) {
    // An empty drain leaves the cores to the producers and the collector for a moment.
    if (tracker.flush() === 0) sleepMs(0.2);
  }
  tracker.flush();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const report = tracker.report();
  const stats = tracker.stats();
  tracker.disable();
  tracker.reset();
  const producerSeconds = result.elapsedNs / 1e9;
  return {
    mode: paced ? 'paced' : 'burst',
    producers,
    ringCapacity,
    ...(paced ? { ratePerSec, durationSeconds: duration } : {}),
    pushed: result.pushed,
    dropped: stats.dropped - droppedBefore,
    aggregated: report.events.total,
    seconds,
    eventsPerSec: report.events.total / seconds,
    producerSeconds,
    // What the producers actually offered (paced: the schedule's rate unless they were starved of CPU).
    offeredPerSec: result.pushed / producerSeconds,
    // Peak occupancy since enable() (a fresh process per run): how close the run came to dropping.
    ringHighWater: stats.ringHighWater,
    spillHighWater: stats.spillHighWater,
    spillCapacity: stats.spillCapacity,
  };
}

module.exports = { endToEnd };
