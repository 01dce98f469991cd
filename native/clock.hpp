// Timestamps for the hot path. On x86-64 a raw TSC read costs ~9 ns here against ~20 ns for
// clock_gettime(CLOCK_MONOTONIC) through the vDSO (measured on the 2-core CI machine, 2026-11), so
// producers store ticks and the collector converts them to CLOCK_MONOTONIC nanoseconds off the hot path.
#pragma once
#include <cstdint>
#include <ctime>

#if defined(__x86_64__) || defined(_M_X64)
#include <x86intrin.h>
#define TT_ALLOC_TSC 1
#endif

namespace tt_alloc {

inline uint64_t monotonic_ns() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

inline uint64_t read_ticks() noexcept {
#ifdef TT_ALLOC_TSC
  return __rdtsc();  // invariant TSC (constant_tsc, nonstop_tsc) on every x86-64 we target
#else
  return monotonic_ns();
#endif
}

// Converts ticks to monotonic ns. Consumer-thread only: anchored at the newest (ticks, ns) sample,
// with the slope measured over the whole span since construction, so precision improves with time
// and events near the anchor (all of a batch) carry almost no error.
class TickConverter {
 public:
  TickConverter() : ticks0_(read_ticks()), ns0_(monotonic_ns()) { resample(); }

  void resample() noexcept {
    anchor_ns_ = monotonic_ns();
    anchor_ticks_ = read_ticks();
#ifdef TT_ALLOC_TSC
    const double span_ticks = double(anchor_ticks_ - ticks0_);
    if (span_ticks > 1e6) ns_per_tick_ = double(anchor_ns_ - ns0_) / span_ticks;
#endif
  }

  // The conversion to_ns() applies, as ns = anchor_ns + (ticks - anchor_ticks) * ns_per_tick (truncated),
  // for a reader that converts raw-tick records later (recovery of a ring file).
  void conversion(uint64_t& anchor_ticks, uint64_t& anchor_ns, double& ns_per_tick) const noexcept {
#ifdef TT_ALLOC_TSC
    anchor_ticks = anchor_ticks_;
    anchor_ns = anchor_ns_;
    ns_per_tick = ns_per_tick_;
#else
    anchor_ticks = anchor_ns = 0;
    ns_per_tick = 1.0;
#endif
  }

  uint64_t to_ns(uint64_t ticks) const noexcept {
#ifdef TT_ALLOC_TSC
    const double delta = double(int64_t(ticks - anchor_ticks_)) * ns_per_tick_;
    return uint64_t(int64_t(anchor_ns_) + int64_t(delta));
#else
    return ticks;
#endif
  }

 private:
  uint64_t ticks0_, ns0_;
  uint64_t anchor_ticks_ = 0, anchor_ns_ = 0;
  double ns_per_tick_ = 1.0 / 2.5;  // replaced after the first ~1M ticks; any sane CPU is 1–5 GHz
};

}  // namespace tt_alloc
