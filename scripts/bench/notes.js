'use strict';
// The prose of BENCHMARKS.md: method, JSON keys, and for each missed target by how much and why.
const { TARGETS } = require('./rows');

function missedTargets(r) {
  const out = [];
  const e1 = r.endToEnd;
  if (r.hook.medianNs > TARGETS.hookMedianNs)
    out.push(`- **Hook median** ${r.hook.medianNs.toFixed(1)} ns is ${(r.hook.medianNs - TARGETS.hookMedianNs).toFixed(1)} ns over the ${TARGETS.hookMedianNs} ns target. Likely reason: the machine was shared (see load average); the floor row shows what a bare store of the record costs here.`);
  if (r.hook.p99Ns > TARGETS.hookP99Ns)
    out.push(`- **Hook p99** ${r.hook.p99Ns.toFixed(1)} ns is ${(r.hook.p99Ns - TARGETS.hookP99Ns).toFixed(1)} ns over the ${TARGETS.hookP99Ns} ns target. Likely reason: preemption of the producer inside a batch on a loaded 2-core machine (a batch that is descheduled once costs microseconds).`);
  if (r.ratios.socketOverHook < TARGETS.socketRatio)
    out.push(`- **Socket / hook** ${r.ratios.socketOverHook.toFixed(1)}× is short of ${TARGETS.socketRatio}× by ${(TARGETS.socketRatio - r.ratios.socketOverHook).toFixed(1)}×. Likely reason: an AF_UNIX send() of 128 B with an idle reader is a fast syscall on this kernel (no context switch when the socket buffer has room); the gap widens when the reader falls behind (see the socket p99).`);
  if (e1.dropped > 0 || e1.eventsPerSec < TARGETS.endToEndEventsPerSec) {
    const short = e1.eventsPerSec < TARGETS.endToEndEventsPerSec ? `${(e1.eventsPerSec / 1e6).toFixed(2)} M events/s is ${((1 - e1.eventsPerSec / TARGETS.endToEndEventsPerSec) * 100).toFixed(0)}% below ${TARGETS.endToEndEventsPerSec / 1e6} M/s` : `${(e1.eventsPerSec / 1e6).toFixed(2)} M events/s meets the rate`;
    out.push(`- **End to end, one producer, default ring**: ${short}, with ${e1.dropped.toLocaleString('en-US')} events dropped. Likely reasons: (1) the JS aggregator is the bound: alone it consumes ${r.aggregator.eventsPerSec ? (r.aggregator.eventsPerSec / 1e6).toFixed(2) : '?'} M events/s on the mixed stream in this run (aggregator rows), below the target before any transport; (2) the producers push flat out (see "producers pushed for": tens of M events/s), faster than the collector moves events into freshly allocated 1 MiB spill chunks while it shares ${r.machine.cores} cores with the producers and the JS thread (plus other load), so the ring fills and drops, and once ring + spill (${(r.endToEnd.defaultRingCapacity / 1048576).toFixed(0)} Mi + 4 Mi events) are full faster than JS drains, everything beyond drops. A real runtime emits far below a synthetic producer's full speed.`);
  }
  if (r.workload.totalRatio > 1.5)
    out.push(`- **Workload overhead** ${r.workload.ratio.toFixed(2)}× on the runtime side, ${r.workload.totalRatio.toFixed(2)}× with the consumer's drain and report() added (no numeric target): the simulated runtime does almost nothing per allocation besides the tracking, so the JS aggregation of every event dominates; against a real device's op time this is small, and it runs on the JS thread between tests or on the drain timer.`);
  return out.length ? out.join('\n') : 'All targets met in this run.';
}

function notes(r) {
  return `## Targets missed in this run

${missedTargets(r)}

## How each figure is measured

- **Per event** (native/bench/, compiled by scripts/bench.js into build/bench/hook-bench with
  \`g++ -std=c++20 -O2\`, linking the real native/ring.cpp, collector.cpp, intern.cpp, the processor and the
  simulator): each case runs untimed warm-up batches, then many batches of 64 events between two
  \`std::chrono::steady_clock::now()\` reads; a batch's time / 64 is one sample. Median and p99 are over
  those samples (the p99 of per-batch costs).
  - *hook*: \`AllocProcessor::track_allocate\` / \`track_deallocate\` on simulator Buffers, called through
    the \`IGraphProcessor\` vtable as GraphTracker does, each pushing one 64-byte event into the default
    ring (1,048,576 slots) while the collector thread runs and a drain thread empties the spill every
    millisecond. An untimed 1 ms pause every 16,384 events caps the offered load at ~16 M events/s, so
    the collector keeps up (flat out, one producer outruns it and the ring drops); the batch after a
    pause finds the ring's lines in the collector's cache, which shows in the p99. Batches during which
    the ring dropped an event are left out and counted (a drop is cheaper than a push). The two-thread row runs two producers at once on two devices.
  - *socket*: the earlier design's transport: a 128-byte packed message per event, blocking \`send()\`
    loop on an AF_UNIX SOCK_STREAM socketpair under a \`std::mutex\`, a reader thread draining the other end.
  - *mutex + map*: \`std::mutex\` + \`std::unordered_map\` keyed by (device, address), insert on allocate,
    erase on free, as the earlier server did per message.
  - *floor*: building and storing the same 64-byte record into a preallocated 4,096-slot array.
  - *shared atomic counter*: one relaxed \`fetch_add\` per event on one shared counter, what
    AllocProcessor's callback counter was (now one cache line per thread; see below).
- **End to end**: \`node scripts/bench/child.js endToEnd\` in a fresh process: \`enable({ringCapacity})\`,
  N native producer threads (\`testing.startBackgroundProducers\`) push allocate/free pairs while the JS
  thread calls \`flush()\` (drain + aggregate) in a loop; events/s = events aggregated / seconds from the
  start until the last event was aggregated; drops from the native counter.
- **Aggregator, memory per live allocation, report() latency**: \`runAggregatorBenchmarks()\` of
  scripts/bench-aggregator.js, in a child started with \`--expose-gc\`.
- **Ring memory**: computed from \`sizeof(Event)\` (64 B, the addon's \`recordBytes\`), the capacities and
  the spill's chunking (native/collector.hpp); the RSS delta is measured in a fresh process before and
  1 s after \`enable()\` with the defaults (the collector faults the ring in after enable()).
- **Workload**: \`sim.runWorkload('llama-decode', …)\` with tracking off (\`disable()\`) and on
  (\`enable()\`, run, \`report()\`), alternating in one process after warm-up runs; medians.

## The processor's callback counter: before and after

\`AllocProcessor\` counted every callback with a shared \`std::atomic<uint64_t>::fetch_add\` (a locked
read-modify-write, and a cache-line transfer between runtime threads). It is now one cache line per
thread slot, written with a plain load and store by its owning thread and summed by \`callbacks()\`.
Measured with this benchmark (\`build/bench/hook-bench --quick\`, hook median per event, same machine,
2026-11-24, two runs each, built from the commit before and after the change):

| | before (shared atomic) | after (per-thread slot) |
|---|---|---|
| hook median, 1 thread | 18.3 / 18.2 ns | 14.4 / 14.4 ns |
| hook median, 2 threads | 18.5 / 18.3 ns | 14.2 / 14.4 ns |

The *shared atomic counter* row above measures the removed instruction on its own in every run.

## JSON output (\`--json <file>\`)

Nested objects. Keys every run writes:

| Key | Meaning |
|---|---|
| \`hook.medianNs\`, \`hook.p99Ns\` | hook cost per event: median and p99 over 64-event batches |
| \`hook.twoThreads.medianNs\`, \`hook.twoThreads.p99Ns\` | the same with two producers at once |
| \`hook.dropped\`, \`hook.discardedBatches\` | ring drops during the hook case; batches left out for them |
| \`socket.medianNs\`, \`socket.p99Ns\` | the earlier design's socket transport per event |
| \`mutexMap.medianNs\`, \`mutexMap.p99Ns\` | mutex + unordered_map tracker per event |
| \`floor.medianNs\`, \`floor.p99Ns\` | plain store of the record per event |
| \`sharedCounter.medianNs\`, \`sharedCounter.twoThreads.medianNs\` | one shared atomic add per event |
| \`clockPairNs\` | one steady_clock::now() pair |
| \`ratios.socketOverHook\`, \`ratios.mutexMapOverHook\`, \`ratios.hookOverFloor\` | medians divided |
| \`endToEnd.eventsPerSec\`, \`endToEnd.dropped\` | one producer, default ring |
| \`endToEnd.runs[]\` | every configuration: \`producers\`, \`ringCapacity\`, \`pushed\`, \`dropped\`, \`aggregated\`, \`seconds\`, \`eventsPerSec\`, \`producerSeconds\` |
| \`aggregator.eventsPerSec\` | aggregator alone on the mixed stream (= \`aggregator.mixedEventsPerSec\`); also \`live100kEventsPerSec\`, \`llamaEventsPerSec\`; \`null\` if scripts/bench-aggregator.js lacks runAggregatorBenchmarks |
| \`memory.bytesPerLiveAllocation\` | aggregator heap per live allocation |
| \`memory.ring\` | \`slotBytes\`, \`rings[]\` (\`capacity\`, \`bytes\`, \`isDefault\`), \`spill\` |
| \`memory.defaultRingRss.rssDeltaBytes\` | measured RSS delta after enable() with the defaults |
| \`report.ms10k\`, \`report.ms100k\` | report() latency with 10,000 / 100,000 live allocations |
| \`workload.offMs\`, \`workload.onMs\`, \`workload.ratio\` | Llama-style workload, medians: the run with tracking off / on (the hook pushing, nothing drained), and on/off |
| \`workload.consumerMs\`, \`workload.totalRatio\` | the consumer's drain + aggregation + report() after an "on" run, median; (on + consumer) / off |
| \`machine\`, \`mode\`, \`command\` | what ran, where |

Every object also carries \`command\`: how to reproduce that figure alone.
`;
}

module.exports = { notes };
