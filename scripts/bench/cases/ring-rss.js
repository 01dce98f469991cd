'use strict';
// Resident memory the default ring adds: RSS before and after enable(), once the collector has
// faulted the ring's pages in. Runs in a fresh child process (child.js).
const tracker = require('../../../dist/tracker');
const { DEFAULT_OPTIONS } = require('../../../dist/options');

function ringRss() {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  global.gc?.();
  const before = process.memoryUsage().rss;
  tracker.enable();
  Atomics.wait(sleeper, 0, 0, 1000);  // prefault: 1 MiB per collector step, 64 MiB in all
  const after = process.memoryUsage().rss;
  tracker.disable();
  return { ringCapacity: DEFAULT_OPTIONS.ringCapacity, rssBefore: before, rssAfter: after, rssDeltaBytes: after - before };
}

module.exports = { ringRss };
