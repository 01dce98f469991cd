// A shared atomic read-modify-write per event: what AllocProcessor's callback counter was before it
// became per-thread. Alone it costs a locked instruction; shared by two threads, a cache-line transfer.
#include <atomic>
#include <cstdint>
#include <thread>

#include "cases.hpp"

namespace tt_alloc::bench {

CounterResult run_shared_counter(size_t batches) {
  alignas(64) static std::atomic<uint64_t> counter{0};
  auto batch = [](size_t) {
    for (size_t k = 0; k < kBatch; ++k) counter.fetch_add(1, std::memory_order_relaxed);
  };
  CounterResult r;
  r.one_thread = time_batches(batches / 4, batches, batch);
  std::atomic<int> ready{0};
  Summary second;
  auto run = [&](Summary* out) {
    ready.fetch_add(1);
    while (ready.load() < 2) {
    }
    *out = time_batches(batches / 4, batches, batch);
  };
  std::thread other(run, &second);
  run(&r.two_threads);
  other.join();
  return r;
}

double clock_pair_ns() {
  using clock = std::chrono::steady_clock;
  // Median of batches of kBatch pairs: a mean over one long loop would include every preemption.
  return time_batches(100, 2000, [](size_t) {
           for (size_t k = 0; k < kBatch; ++k) {
             const auto a = clock::now();
             const auto b = clock::now();
             asm volatile("" : : "r"(a.time_since_epoch().count()), "r"(b.time_since_epoch().count()));
           }
         }).median_ns;
}

}  // namespace tt_alloc::bench
