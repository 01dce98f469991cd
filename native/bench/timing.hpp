// Batch timing for the per-event benchmarks: time `kBatch` events between two steady_clock reads and
// divide, so the clock's own cost (~20-40 ns a read here) is spread over the batch; keep every batch's
// per-event cost so the median and the p99 of batches can both be reported.
#pragma once
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace tt_alloc::bench {

inline constexpr size_t kBatch = 64;  // events per timed batch

struct Summary {
  double median_ns = 0, p99_ns = 0, min_ns = 0;  // per event, over batches
  size_t batches = 0;
  size_t discarded = 0;  // batches the case asked to leave out (e.g. the ring dropped an event in them)
};

inline Summary summarize(std::vector<double> per_event) {
  Summary s;
  if (per_event.empty()) return s;
  std::sort(per_event.begin(), per_event.end());
  auto at = [&](double q) { return per_event[std::min(per_event.size() - 1, size_t(q * double(per_event.size())))]; };
  s.median_ns = at(0.5);
  s.p99_ns = at(0.99);
  s.min_ns = per_event.front();
  s.batches = per_event.size();
  return s;
}

inline void no_pause(size_t) {}

// Runs `warmup` untimed batches, then `batches` timed ones. `batch(i)` performs kBatch events; if it
// returns bool, false leaves that batch out of the figures (counted in `discarded`). `pause(i)` runs
// before every batch, outside the timed region.
template <typename Batch, typename Pause = void (*)(size_t)>
Summary time_batches(size_t warmup, size_t batches, Batch&& batch, Pause pause = no_pause) {
  using clock = std::chrono::steady_clock;
  for (size_t i = 0; i < warmup; ++i) {
    pause(i);
    batch(i);
  }
  std::vector<double> per_event;
  per_event.reserve(batches);
  size_t discarded = 0;
  for (size_t i = 0; i < batches; ++i) {
    pause(warmup + i);
    bool keep = true;
    const auto t0 = clock::now();
    if constexpr (std::is_same_v<decltype(batch(i)), bool>) keep = batch(warmup + i);
    else batch(warmup + i);
    const auto t1 = clock::now();
    if (!keep) {
      ++discarded;
      continue;
    }
    per_event.push_back(double(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()) / kBatch);
  }
  Summary s = summarize(std::move(per_event));
  s.discarded = discarded;
  return s;
}

// Keeps the compiler from dropping or merging stores it cannot see being read.
inline void clobber_memory() { asm volatile("" ::: "memory"); }

}  // namespace tt_alloc::bench
