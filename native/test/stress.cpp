// Standalone stress test of the native core (ring, collector, spill, intern table, C ABI) without
// Node, built and run under ThreadSanitizer and AddressSanitizer+UBSan by scripts/sanitize.sh.
// Every scenario checks an exact invariant: accepted + dropped = pushed, drained = accepted, every
// producer's events arrive in its own order, and sequence numbers are strictly increasing.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "c_api.h"
#include "collector.hpp"
#include "producer.hpp"

using namespace tt_alloc;

namespace {

int g_failures = 0;

void check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "FAIL: %s\n", what.c_str());
    ++g_failures;
  }
}

struct Drained {
  std::vector<Event> events;
};

// max_events < SIZE_MAX: one slice of at most that many (whole chunks), as lib/drain.ts drains.
Drained drain_all(size_t max_events = SIZE_MAX) {
  Drained d;
  std::vector<char> bytes;
  uint64_t remaining = 0;
  const size_t n = Collector::instance().drain([&](size_t size) {
    bytes.resize(size);
    return bytes.data();
  }, false, max_events, &remaining);
  check(n <= max_events, "a sliced drain returned more than max_events");
  d.events.resize(n);
  if (n > 0) std::memcpy(d.events.data(), bytes.data(), n * sizeof(Event));
  return d;
}

// Producers push `per_thread` Alloc events whose objectId encodes (thread, i).
uint64_t produce(unsigned threads, uint64_t per_thread, std::vector<Event>* drained_while_running) {
  std::vector<std::thread> workers;
  std::vector<uint64_t> dropped(threads, 0);
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([t, per_thread, &dropped] {
      BufferFields b{};
      b.type = MemType::L1;
      b.size = 64;
      for (uint64_t i = 0; i < per_thread; ++i) {
        b.id = (uint64_t(t) << 32) | i;
        if (!emit_alloc(b)) ++dropped[t];
        if ((i & 1023) == 0) intern_name("op-" + std::to_string(i % 7));
      }
    });
  }
  if (drained_while_running) {
    // Drain concurrently with the producers, as the JS timer would.
    for (int k = 0; k < 50; ++k) {
      auto d = drain_all(k % 2 ? Chunk::kEvents : SIZE_MAX);
      drained_while_running->insert(drained_while_running->end(), d.events.begin(), d.events.end());
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }
  for (auto& w : workers) w.join();
  uint64_t total = 0;
  for (auto d : dropped) total += d;
  return total;
}

void verify_order(const std::vector<Event>& events, const std::string& name) {
  std::unordered_map<uint64_t, uint64_t> next_per_thread;
  bool seq_ok = true, order_ok = true;
  for (size_t i = 0; i < events.size(); ++i) {
    if (i > 0 && events[i].seq <= events[i - 1].seq) seq_ok = false;
    const uint64_t t = events[i].objectId >> 32, idx = events[i].objectId & 0xFFFFFFFF;
    auto it = next_per_thread.find(t);
    if (it != next_per_thread.end() && idx <= it->second) order_ok = false;
    next_per_thread[t] = idx;
  }
  check(seq_ok, name + ": sequence numbers strictly increasing");
  check(order_ok, name + ": each producer's events in its own order");
}

void scenario(const char* name, CollectorConfig config, unsigned threads, uint64_t per_thread, bool expect_no_drops,
              bool drain_concurrently) {
  Collector& c = Collector::instance();
  drain_all();
  const Stats before = c.stats();
  c.enable(config);
  std::vector<Event> events;
  const uint64_t dropped = produce(threads, per_thread, drain_concurrently ? &events : nullptr);
  auto rest = drain_all();
  events.insert(events.end(), rest.events.begin(), rest.events.end());
  const Stats after = c.stats();
  const uint64_t pushed = uint64_t(threads) * per_thread;
  const uint64_t accepted = after.accepted - before.accepted;
  std::printf("%-34s pushed=%llu accepted=%llu dropped=%llu drained=%zu ringHW=%llu\n", name,
              (unsigned long long)pushed, (unsigned long long)accepted, (unsigned long long)dropped, events.size(),
              (unsigned long long)after.ring_high_water);
  check(accepted + dropped == pushed, std::string(name) + ": accepted + dropped == pushed");
  check(after.dropped - before.dropped == dropped, std::string(name) + ": native drop counter exact");
  check(events.size() == accepted, std::string(name) + ": drained == accepted");
  if (expect_no_drops) check(dropped == 0, std::string(name) + ": no drops");
  verify_order(events, name);
}

}  // namespace

int main() {
  // Wraparound: a 64-slot ring lapped thousands of times while the collector spills.
  scenario("wraparound, 4 producers", {64, 1 << 22, Overflow::Block}, 4, 200000, true, true);
  // Drop policy with a tiny ring and a one-chunk spill: drops must be counted exactly.
  scenario("drop policy, tiny ring", {64, Chunk::kEvents, Overflow::Drop}, 4, 100000, false, false);
  // Block policy with the spill full and nobody draining: producers must drop, not hang.
  scenario("block policy, spill full", {128, Chunk::kEvents, Overflow::Block}, 3, 50000, false, false);
  // Large ring, concurrent drains: nothing lost.
  scenario("large ring, concurrent drain", {1 << 16, 1 << 22, Overflow::Drop}, 4, 100000, false, true);

  // C ABI round trip.
  drain_all();
  tt_alloc_event e{};
  e.kind = uint8_t(EventKind::Mark);
  e.aux = tt_alloc_intern("c-api", 5);
  check(tt_alloc_push(&e) == 1, "C ABI push accepted");
  e.kind = 0;
  check(tt_alloc_push(&e) == -1, "C ABI rejects an unknown kind");
  auto d = drain_all();
  check(d.events.size() == 1 && d.events[0].kind == uint8_t(EventKind::Mark), "C ABI event drained");
  check(Collector::instance().names().name(e.aux) == "c-api", "interned name readable");

  Collector::instance().shutdown();
  if (g_failures == 0) std::printf("native stress: all checks passed\n");
  return g_failures == 0 ? 0 : 1;
}
