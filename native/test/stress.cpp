// Standalone stress test of the native core (ring, collector, spill, intern table, C ABI) without
// Node, built and run under ThreadSanitizer and AddressSanitizer+UBSan by scripts/sanitize.sh.
// Every scenario checks exact figures: accepted + dropped = pushed, the consumer sees exactly the
// accepted events, each exactly once, every producer's events in its own order, and — without loss —
// every producer's events 0..n-1 all present. Producer t's event i carries objectId (t << 32) | i.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "c_api.h"
#include "collector.hpp"
#include "producer.hpp"
#include "test/check.hpp"

using namespace tt_alloc;
using tt_alloc::test::check;
using tt_alloc::test::g_failures;

namespace {

// max_events < SIZE_MAX: one slice of at most that many events (whole chunks, at least one).
std::vector<Event> drain_all(size_t max_events = SIZE_MAX) {
  std::vector<Event> events;
  uint64_t remaining = 0;
  const size_t n = Collector::instance().drain([&](size_t bytes) {
    events.resize(bytes / sizeof(Event));
    return static_cast<void*>(events.data());
  }, false, max_events, &remaining);
  check(n <= max_events, "a sliced drain returned more than max_events");
  events.resize(n);
  return events;
}

struct Run {
  uint64_t pushed = 0, refused = 0;  // refused: push returned false (dropped, or tracking was off)
  std::vector<Event> events;          // everything drained during and after the run
};

// Starts `threads` producers of `per_thread` Alloc events each, released together. While they run, the
// calling thread repeatedly calls `during(k)` (k = 0 just before the release) and drains, as the JS
// drain timer would; then it drains the rest.
Run produce(unsigned threads, uint64_t per_thread, const std::function<void(unsigned)>& during) {
  Run run;
  std::vector<std::thread> workers;
  std::vector<uint64_t> refused(threads, 0);
  std::atomic<unsigned> finished{0};
  std::atomic<bool> go{false};
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([t, per_thread, &refused, &finished, &go] {
      while (!go.load()) std::this_thread::yield();
      BufferFields b{};
      b.type = MemType::L1;
      b.size = 64;
      for (uint64_t i = 0; i < per_thread; ++i) {
        b.id = (uint64_t(t) << 32) | i;
        if (!emit_alloc(b)) ++refused[t];
        if ((i & 1023) == 0) intern_name("op-" + std::to_string(i % 7));
      }
      finished.fetch_add(1);
    });
  }
  unsigned k = 0;
  if (during) during(k++);
  go.store(true);
  for (; finished.load() < threads; ++k) {
    if (during) during(k);
    // Whole and sliced drains alternate (max_events < SIZE_MAX: whole chunks, as lib/drain.ts drains).
    auto batch = drain_all(k % 2 ? Chunk::kEvents : SIZE_MAX);
    run.events.insert(run.events.end(), batch.begin(), batch.end());
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  for (auto& w : workers) w.join();
  auto rest = drain_all();
  run.events.insert(run.events.end(), rest.begin(), rest.end());
  run.pushed = uint64_t(threads) * per_thread;
  for (auto r : refused) run.refused += r;
  return run;
}

// Exactly once and in each producer's order. Ring resizes may deliver a straggler of the retired ring
// after newer events (docs/threads.md), so `by_seq` checks order after sorting by sequence number.
void verify(std::vector<Event> events, unsigned threads, uint64_t per_thread, bool lossless, bool by_seq, const std::string& name) {
  size_t inversions = 0;
  for (size_t i = 1; i < events.size(); ++i) inversions += events[i].seq <= events[i - 1].seq;
  if (by_seq) {
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.seq < b.seq; });
    std::printf("%-36s delivery-order inversions=%zu\n", name.c_str(), inversions);
  }
  bool unique_seq = true, ordered = true, known = true;
  for (size_t i = 1; i < events.size(); ++i) unique_seq &= events[i].seq > events[i - 1].seq;
  std::vector<uint64_t> seen(threads, 0);
  std::vector<int64_t> last(threads, -1);
  for (const Event& e : events) {
    const uint64_t t = e.objectId >> 32, i = e.objectId & 0xFFFFFFFF;
    if (t >= threads || i >= per_thread) {
      known = false;
      continue;
    }
    ordered &= int64_t(i) > last[t];
    last[t] = int64_t(i);
    ++seen[t];
  }
  check(known, name + ": every event came from a producer of this run");
  check(unique_seq, name + ": sequence numbers strictly increasing (each event exactly once)");
  check(ordered, name + ": each producer's events in its own order, none twice");
  if (lossless) {
    bool complete = true;
    for (unsigned t = 0; t < threads; ++t) complete &= seen[t] == per_thread && last[t] == int64_t(per_thread) - 1;
    check(complete, name + ": every producer's events 0..n-1 all present");
  }
}

struct Totals {
  uint64_t accepted, dropped;
};

Totals delta(const Stats& before, const Stats& after) {
  return {after.accepted - before.accepted, after.dropped - before.dropped};
}

// `count` is named by `what`: ring laps, resizes or disable/enable cycles.
void report_line(const char* name, const Run& run, Totals d, const char* what, uint64_t count) {
  std::printf("%-36s pushed=%llu accepted=%llu dropped=%llu drained=%zu %s=%llu\n", name, (unsigned long long)run.pushed,
              (unsigned long long)d.accepted, (unsigned long long)d.dropped, run.events.size(), what, (unsigned long long)count);
}

// One configuration while the calling thread drains concurrently: accepted + dropped = pushed exactly;
// the consumer sees exactly `accepted` events; with `lossless`, nothing dropped.
void scenario(const char* name, CollectorConfig config, unsigned threads, uint64_t per_thread, bool lossless) {
  Collector& c = Collector::instance();
  drain_all();
  const Stats before = c.stats();
  c.enable(config);
  Run run = produce(threads, per_thread, nullptr);
  const Totals d = delta(before, c.stats());
  report_line(name, run, d, "laps", d.accepted / config.ring_capacity);
  check(d.accepted + d.dropped == run.pushed, std::string(name) + ": accepted + dropped == pushed");
  check(d.dropped == run.refused, std::string(name) + ": native drop counter == pushes refused");
  check(run.events.size() == d.accepted, std::string(name) + ": drained == accepted");
  if (lossless) check(d.dropped == 0, std::string(name) + ": no drops");
  verify(run.events, threads, per_thread, lossless, false, name);
}

// Nobody drains until the producers are done: only the collector thread empties the ring, into a
// one-chunk spill, which fills; then drop policy drops, and block policy drops instead of waiting for
// a consumer that cannot come (it may be the blocked thread itself).
void scenario_undrained(const char* name, CollectorConfig config, unsigned threads, uint64_t per_thread) {
  Collector& c = Collector::instance();
  drain_all();
  const Stats before = c.stats();
  c.enable(config);
  std::vector<std::thread> workers;
  std::vector<uint64_t> refused(threads, 0);
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([t, per_thread, &refused] {
      BufferFields b{};
      b.type = MemType::DRAM;
      for (uint64_t i = 0; i < per_thread; ++i) {
        b.id = (uint64_t(t) << 32) | i;
        refused[t] += !emit_alloc(b);
      }
    });
  }
  for (auto& w : workers) w.join();
  Run run;
  run.events = drain_all();
  run.pushed = uint64_t(threads) * per_thread;
  for (auto r : refused) run.refused += r;
  const Totals d = delta(before, c.stats());
  report_line(name, run, d, "laps", d.accepted / config.ring_capacity);
  check(d.accepted + d.dropped == run.pushed, std::string(name) + ": accepted + dropped == pushed");
  check(d.dropped == run.refused, std::string(name) + ": native drop counter == pushes refused");
  check(run.events.size() == d.accepted, std::string(name) + ": drained == accepted");
  // The spill holds exactly spill_capacity events (whole chunks) and the ring its capacity: never more.
  const uint64_t room = config.spill_capacity + config.ring_capacity;
  if (config.overflow == Overflow::Block) {
    // Blocked producers wait for the collector until the spill is full, then drop: exactly `room` got in.
    check(d.accepted == room, std::string(name) + ": accepted == spill + ring exactly");
  } else {
    check(d.accepted <= room, std::string(name) + ": accepted <= spill + ring");
  }
  verify(run.events, threads, per_thread, false, false, name);
}

// enable() with another ring capacity while 8 producers push (block policy): the ring is replaced
// under load, retired rings are still collected, and nothing is lost or seen twice.
void scenario_resize(unsigned threads, uint64_t per_thread) {
  const char* name = "resize under load, block";
  static constexpr size_t kCapacities[] = {64, 256, 128, 1024, 512, 64};
  Collector& c = Collector::instance();
  drain_all();
  const Stats before = c.stats();
  c.enable({kCapacities[0], 1 << 22, Overflow::Block});
  unsigned resizes = 0, installs = 1;  // the first enable() above replaced the previous scenario's 128-slot ring
  Run run = produce(threads, per_thread, [&](unsigned k) {
    if (k % 2 != 0) return;
    const size_t capacity = kCapacities[(k / 2 + 1) % std::size(kCapacities)];
    installs += c.stats().ring_capacity != capacity;  // 64 follows 64 once per round: no new ring
    c.enable({capacity, 1 << 22, Overflow::Block});
    ++resizes;
  });
  const Totals d = delta(before, c.stats());
  report_line(name, run, d, "resizes", resizes);
  check(resizes >= 1, std::string(name) + ": the ring was replaced");
  check(d.accepted == run.pushed && d.dropped == 0 && run.refused == 0, std::string(name) + ": every push accepted");
  check(run.events.size() == run.pushed, std::string(name) + ": drained == pushed");
  verify(run.events, threads, per_thread, true, true, name);
  // Retirement while producers ran: every retired ring was unmapped once no producer could reach it
  // (a use after unmap would have crashed the run above); only the current ring is left.
  const Stats after = c.stats();
  std::printf("%-36s rings mapped=%llu released=%llu\n", name, (unsigned long long)after.rings_mapped,
              (unsigned long long)(after.rings_released - before.rings_released));
  check(after.rings_mapped == 1, std::string(name) + ": only the current ring still mapped");
  check(after.rings_released - before.rings_released == installs, std::string(name) + ": every replaced ring released");
}

// disable()/enable() cycles while producers push (drop policy): pushes while disabled are refused and
// not counted; every accepted event is drained exactly once, in order.
void scenario_reenable(unsigned threads, uint64_t per_thread) {
  const char* name = "disable/enable cycles, drop";
  Collector& c = Collector::instance();
  drain_all();
  const Stats before = c.stats();
  const CollectorConfig config{1024, 1 << 22, Overflow::Drop};
  c.enable(config);
  unsigned cycles = 0;
  Run run = produce(threads, per_thread, [&](unsigned) {
    c.disable();
    std::this_thread::sleep_for(std::chrono::microseconds(50));
    c.enable(config);
    ++cycles;
  });
  const Totals d = delta(before, c.stats());
  report_line(name, run, d, "cycles", cycles);
  check(cycles >= 1, std::string(name) + ": disabled and re-enabled");
  check(d.accepted + run.refused == run.pushed, std::string(name) + ": accepted + refused == pushed");
  check(d.dropped <= run.refused, std::string(name) + ": drops are among the refused pushes");
  check(run.events.size() == d.accepted, std::string(name) + ": drained == accepted");
  verify(run.events, threads, per_thread, false, false, name);
}

// Rings replaced as fast as the consumer can while 8 producers push flat out (drop policy), with
// recording started and stopped among the replacements (file-backed rings retired too): the
// retirement path under the heaviest contention. Exact counts, and every retired ring released.
void scenario_retire_churn(unsigned threads, uint64_t per_thread) {
  const char* name = "retire churn + recording, drop";
  const std::string journal = "/tmp/tt-alloc-stress-churn-" + std::to_string(getpid()) + ".ttj";
  Collector& c = Collector::instance();
  drain_all();
  c.enable({256, 1 << 22, Overflow::Drop});
  const Stats before = c.stats();
  unsigned replaced = 0;
  Run run = produce(threads, per_thread, [&](unsigned) {
    for (int i = 0; i < 4; ++i, ++replaced) {
      // Capacities alternate (never 256), so every call installs exactly one ring: a capacity change,
      // a journal start (file-backed ring) or a journal stop (anonymous ring).
      const RecordMode record = replaced % 4 == 0 ? RecordMode::Start : replaced % 4 == 2 ? RecordMode::Stop : RecordMode::Keep;
      c.enable({replaced % 2 ? size_t(128) : size_t(1024), 1 << 22, Overflow::Drop, record, journal});
    }
  });
  drain_all();
  const Stats after = c.stats();
  const Totals d = delta(before, after);
  report_line(name, run, d, "replacements", replaced);
  check(d.accepted + d.dropped == run.pushed, std::string(name) + ": accepted + dropped == pushed");
  check(run.events.size() == d.accepted, std::string(name) + ": drained == accepted");
  verify(run.events, threads, per_thread, false, true, name);
  check(after.rings_mapped == 1, std::string(name) + ": only the current ring still mapped");
  check(after.rings_released - before.rings_released == replaced, std::string(name) + ": every replaced ring released");
  c.enable({256, 1 << 22, Overflow::Drop, RecordMode::Stop});
  unlink(journal.c_str());
  unlink((journal + ".ring").c_str());
}

}  // namespace

int main() {
  constexpr unsigned kProducers = 8;
  // Block policy on a 64-slot ring lapped thousands of times while the JS side drains: no loss.
  scenario("block, 64-slot ring, 8 producers", {64, 1 << 22, Overflow::Block}, kProducers, 40000, true);
  // Drop policy on a small ring: drops counted exactly, the rest delivered exactly once.
  scenario("drop, 256-slot ring, 8 producers", {256, 1 << 22, Overflow::Drop}, kProducers, 40000, false);
  scenario_undrained("drop, spill full, nobody draining", {64, Chunk::kEvents, Overflow::Drop}, kProducers, 10000);
  scenario_undrained("block, spill full, nobody draining", {128, Chunk::kEvents, Overflow::Block}, kProducers, 10000);
  scenario_resize(kProducers, 20000);
  scenario_reenable(kProducers, 20000);
  scenario_retire_churn(kProducers, 20000);
  // Again on the fallback path a kernel without membarrier takes: producers fence, the collector too.
  std::printf("membarrier available: %s; now forcing the fence path\n", g_asymmetric_fence.load() ? "yes" : "no");
  g_asymmetric_fence.store(false);
  scenario_retire_churn(kProducers, 20000);
  g_asymmetric_fence.store(true);
  // Again with every in-flight slot taken: the new producer threads share slot 0 and count with RMWs.
  {
    std::vector<size_t> taken;
    for (size_t i = 1; i < kInFlightSlots; ++i) {
      bool expected = false;
      if (g_in_flight[i].owned.compare_exchange_strong(expected, true)) taken.push_back(i);
    }
    std::printf("in-flight slots taken for the shared-slot run: %zu\n", taken.size());
    scenario_retire_churn(kProducers, 20000);
    for (size_t i : taken) g_in_flight[i].owned.store(false);
  }

  // C ABI round trip.
  drain_all();
  tt_alloc_event e{};
  e.kind = uint8_t(EventKind::Mark);
  e.aux = tt_alloc_intern("c-api", 5);
  check(tt_alloc_push(&e) == 1, "C ABI push accepted");
  e.kind = 0;
  check(tt_alloc_push(&e) == -1, "C ABI rejects an unknown kind");
  auto d = drain_all();
  check(d.size() == 1 && d[0].kind == uint8_t(EventKind::Mark), "C ABI event drained");
  check(Collector::instance().names().name(e.aux) == "c-api", "interned name readable");

  // discard(): what is pending is counted as discarded, not drained.
  {
    Collector& c = Collector::instance();
    const Stats before = c.stats();
    BufferFields b{};
    for (int i = 0; i < 100; ++i) emit_alloc(b);
    const uint64_t discarded = c.discard();
    const Stats after = c.stats();
    check(discarded == 100 && after.discarded - before.discarded == 100, "discard() counts the 100 pending events");
    check(after.drained == before.drained && drain_all().empty(), "discarded events are not drained");
  }

  Collector::instance().shutdown();
  if (g_failures == 0) std::printf("native stress: all checks passed\n");
  return g_failures == 0 ? 0 : 1;
}
