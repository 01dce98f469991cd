#!/usr/bin/env node
'use strict';
/*
 * Benchmarks of tt-alloc-tracker: per-event cost on the runtime's thread against the socket-fed allocation server's
 * transport, end-to-end throughput, the aggregator, memory, and whole-workload overhead. Prints a
 * table and writes BENCHMARKS.md (full run) and/or JSON.
 *   npm run bench                                # full run, writes BENCHMARKS.md
 *   npm run bench -- --quick --json bench.json   # short run (under a minute), JSON only
 * Needs dist/ and the addon (npm ci builds both); compiles its own native part (native/bench/).
 */
const fs = require('node:fs');
const path = require('node:path');
const { Command } = require('commander');
const { buildHookBench } = require('./bench/build-native');
const { runHook } = require('./bench/cases/hook');
const { runChild } = require('./bench/run-child');
const { ringMemory } = require('./bench/ring-memory');
const { machine } = require('./bench/machine');
const { rows, TARGETS, isSustained, SUSTAINED_FRACTION } = require('./bench/rows');
const { printTable } = require('./bench/table');
const { renderMarkdown } = require('./bench/markdown');
const { notes } = require('./bench/notes');
const { DEFAULT_OPTIONS } = require('../dist/options');

const root = path.join(__dirname, '..');
const log = (s) => process.stderr.write(`${s}\n`);

// Sizes of each case: full and --quick.
// e2eRates: offered rates (events/s) of the paced end-to-end search, each for e2eSeconds.
const SIZES = {
  full: { e2eEvents: 8_000_000, e2eRates: [1e6, 2e6, 3e6, 4e6, 5e6, 6e6, 8e6], e2eSeconds: 2.5,
    workload: { mesh: [2, 4], layers: 16, steps: 64, runs: 7, warmup: 2 } },
  quick: { e2eEvents: 2_000_000, e2eRates: [2e6, 3e6, 5e6], e2eSeconds: 1,
    workload: { mesh: [2, 4], layers: 8, steps: 16, runs: 5, warmup: 1 } },
};
const PRODUCERS = [1, 2, 4];
const SMALL_RING = 4096;

function perEvent(quick) {
  const exe = buildHookBench(log);
  log('per-event cost (native) ...');
  const h = runHook(exe, quick);
  const command = `${path.relative(root, exe)}${quick ? ' --quick' : ''}`;
  const withCommand = (o) => ({ ...o, command });
  return {
    hook: withCommand({ ...h.hook, discardedBatches: h.hook.discardedBatches, dropped: h.hookDropped, twoThreads: h.hookTwoThreads }),
    socket: withCommand(h.socket),
    mutexMap: withCommand(h.mutexMap),
    floor: withCommand(h.floor),
    sharedCounter: withCommand({ ...h.sharedCounter, twoThreads: h.sharedCounterTwoThreads }),
    clockPairNs: h.clockPairNs,
    ratios: {
      socketOverHook: h.socket.medianNs / h.hook.medianNs,
      mutexMapOverHook: h.mutexMap.medianNs / h.hook.medianNs,
      hookOverFloor: h.hook.medianNs / h.floor.medianNs,
    },
  };
}

// Paced search, one producer, default ring: every rate up to the target runs (the target row needs its
// own run); above it the search stops at the first rate not sustained.
function endToEndPaced(size) {
  const paced = [];
  const ringCapacity = DEFAULT_OPTIONS.ringCapacity;
  for (const ratePerSec of size.e2eRates) {
    log(`end to end, paced: 1 producer offering ${ratePerSec / 1e6} M events/s for ${size.e2eSeconds} s ...`);
    const { result, command } = runChild('endToEnd', { producers: 1, ringCapacity, ratePerSec, seconds: size.e2eSeconds });
    const run = { ...result, sustained: isSustained(result), command };
    paced.push(run);
    if (ratePerSec > TARGETS.endToEndEventsPerSec && !run.sustained) break;
  }
  return paced;
}

function endToEndBursts(size) {
  const bursts = [];
  for (const ringCapacity of [DEFAULT_OPTIONS.ringCapacity, SMALL_RING]) {
    for (const producers of PRODUCERS) {
      log(`end to end, burst: ${producers} producer(s), ring ${ringCapacity} ...`);
      const { result, command } = runChild('endToEnd', { producers, ringCapacity, events: size.e2eEvents });
      bursts.push({ ...result, command });
    }
  }
  return bursts;
}

// endToEnd.eventsPerSec / .dropped: the paced run at the target rate (5 M events/s offered).
function endToEnd(size) {
  const paced = endToEndPaced(size);
  const bursts = endToEndBursts(size);
  const atTarget = paced.find((r) => r.ratePerSec === TARGETS.endToEndEventsPerSec);
  const sustained = paced.filter((r) => r.sustained).map((r) => r.ratePerSec);
  return {
    eventsPerSec: atTarget.eventsPerSec,
    dropped: atTarget.dropped,
    targetRatePerSec: TARGETS.endToEndEventsPerSec,
    maxSustainedRatePerSec: sustained.length ? Math.max(...sustained) : null,
    sustainedFraction: SUSTAINED_FRACTION,
    defaultRingCapacity: DEFAULT_OPTIONS.ringCapacity,
    paced,
    bursts,
  };
}

function aggregatorAndMemory(quick) {
  log('aggregator ...');
  const { result: a, command } = runChild('aggregator', { quick }, ['--expose-gc']);
  log('ring RSS ...');
  const rss = runChild('ringRss', {}, ['--expose-gc']);
  const ok = !a.unavailable;
  return {
    aggregator: { eventsPerSec: ok ? a.llamaEventsPerSec : null, ...a, command },
    memory: {
      bytesPerLiveAllocation: ok ? a.bytesPerLiveAllocation : null,
      ring: ringMemory(),
      defaultRingRss: { ...rss.result, command: rss.command },
    },
    report: { ms10k: ok ? a.reportMs10k : null, ms100k: ok ? a.reportMs100k : null, command },
  };
}

function workload(size) {
  log('workload overhead ...');
  const { result, command } = runChild('workload', size.workload);
  return { ...result, command };
}

async function main() {
  const program = new Command('bench')
    .description('tt-alloc-tracker benchmarks: prints a table, writes BENCHMARKS.md and/or JSON')
    .option('--quick', 'short run (under a minute); does not write BENCHMARKS.md unless --markdown is given')
    .option('--json <file>', 'write the results as JSON (nested objects; keys in BENCHMARKS.md)')
    .option('--markdown <file>', 'write the Markdown report here (default: BENCHMARKS.md on a full run)');
  program.parse();
  const opts = program.opts();
  const quick = opts.quick === true;
  const size = quick ? SIZES.quick : SIZES.full;
  const command = `npm run bench${quick ? ' -- --quick' : ''}${opts.json ? `${quick ? '' : ' --'} --json ${opts.json}` : ''}`;

  const result = { mode: quick ? 'quick' : 'full', command, machine: machine() };
  Object.assign(result, perEvent(quick));
  result.endToEnd = endToEnd(size);
  Object.assign(result, aggregatorAndMemory(quick));
  result.workload = workload(size);

  const table = rows(result);
  printTable(table);
  if (opts.json) {
    fs.writeFileSync(opts.json, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote ${opts.json}`);
  }
  const markdown = opts.markdown ?? (quick ? undefined : path.join(root, 'BENCHMARKS.md'));
  if (markdown) {
    fs.writeFileSync(markdown, renderMarkdown(result, table, notes(result)));
    log(`wrote ${markdown}`);
  }
}

main().catch((err) => {
  log(err.stack ?? String(err));
  process.exit(1);
});
