'use strict';
// Aggregator alone, memory per live allocation and report() latency, from scripts/bench-aggregator.js
// (maintained with the aggregator). Runs in a child process started with --expose-gc.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', '..', 'bench-aggregator.js');

async function aggregator({ quick }) {
  // Requiring an older bench-aggregator.js would run its whole benchmark at load: check first.
  if (!fs.readFileSync(file, 'utf8').includes('runAggregatorBenchmarks')) {
    return { unavailable: 'scripts/bench-aggregator.js does not export runAggregatorBenchmarks yet' };
  }
  return require(file).runAggregatorBenchmarks({ quick });
}

module.exports = { aggregator };
