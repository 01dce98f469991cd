#include "ring_set.hpp"

#include <unistd.h>

#include <algorithm>

#include "in_flight.hpp"
#include "tracker.hpp"

namespace tt_alloc {

Ring& RingSet::install(size_t capacity, int fd, uint64_t run_id) {
  const Ring* previous = rings_.empty() ? nullptr : rings_.back().ring.get();
  // Leave a gap so a straggler still pushing into the retired ring cannot reuse a sequence number
  // of the new one. Until the new ring is published the retired one can fill up (one lap: the
  // consumer waits on the collector's mutex); after that, every thread that loaded the old pointer
  // claims at most one more position there — a producer blocked on the full ring included, which a
  // lap-only gap missed (native/test/stress.cpp, "resize under load"). Thread indexes are 16-bit: 2^16 more.
  constexpr uint64_t kStragglers = uint64_t(1) << 16;
  const uint64_t next_seq = previous ? previous->claimed() + previous->capacity() + kStragglers : 0;
  std::unique_ptr<Ring> ring;
  try {
    ring = std::make_unique<Ring>(capacity, next_seq, fd, run_id);
    rings_.reserve(rings_.size() + 1);
  } catch (...) {
    if (fd >= 0) close(fd);
    throw;
  }
  if (fd >= 0) close(fd);  // the mapping keeps the file
  rings_.push_back(Entry{std::move(ring), {}, false});
  prefaulted_ = 0;
  // Then the barrier: ordered before the in-flight marks check_quiescent() reads (in_flight.hpp).
  g_hot.ring.store(rings_.back().ring.get(), std::memory_order_seq_cst);
  in_flight_barrier();
  return *rings_.back().ring;
}

bool RingSet::check_quiescent(Entry& entry) noexcept {
  if (entry.quiescent) return true;
  // Every call after the swap is a fresh look: a counter seen at zero once is done for this ring.
  // The first look lists the busy thread indexes (only those ever handed out); later looks only those.
  if (entry.busy.empty()) {
    const size_t slots = g_in_flight_used.load(std::memory_order_acquire);
    try {
      for (size_t t = 0; t < slots; ++t)
        if (g_in_flight[t].pushes.load(std::memory_order_seq_cst) != 0) entry.busy.push_back(uint32_t(t));
    } catch (...) {
      return false;  // out of memory for the list: look again next time
    }
    if (entry.busy.empty()) return entry.quiescent = true;
    entry.busy.push_back(UINT32_MAX);  // marks the list as taken, even if every entry clears below
  }
  entry.busy.erase(std::remove_if(entry.busy.begin(), entry.busy.end(),
                                  [](uint32_t t) {
                                    return t != UINT32_MAX && g_in_flight[t].pushes.load(std::memory_order_seq_cst) == 0;
                                  }),
                   entry.busy.end());
  if (entry.busy.size() == 1) entry.quiescent = true;  // only the marker is left
  return entry.quiescent;
}

size_t RingSet::release_retired() {
  size_t released = 0;
  for (size_t i = 0; i + 1 < rings_.size();) {
    Entry& entry = rings_[i];
    // Quiescent first, then empty: after quiescence nothing more is claimed, and all claimed is published.
    if (check_quiescent(entry) && entry.ring->consumed() == entry.ring->claimed()) {
      released_accepted_ += entry.ring->claimed() - entry.ring->first_seq();
      rings_.erase(rings_.begin() + ptrdiff_t(i));  // ~Ring unmaps
      ++released;
      ++released_;
    } else {
      ++i;
    }
  }
  return released;
}

uint64_t RingSet::accepted() const noexcept {
  uint64_t accepted = released_accepted_;
  for (const auto& r : rings_) accepted += r.ring->claimed() - r.ring->first_seq();
  return accepted;
}

bool RingSet::prefault_step() noexcept {
  if (rings_.empty()) return false;
  Ring& ring = current();
  if (prefaulted_ >= ring.capacity()) return false;
  // 1 MiB of ring per step, between collection passes, so the first lap of a burst does not fault.
  const size_t step = (1 << 20) / sizeof(Event);
  ring.prefault(prefaulted_, prefaulted_ + step);
  prefaulted_ += step;
  return true;
}

}  // namespace tt_alloc
