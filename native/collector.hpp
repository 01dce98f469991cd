// The collector moves events out of the ring into a bounded native spill of chunks, on its own thread
// and on every JS drain. It is what lets a synchronous burst on the JS thread (which cannot drain
// while it runs the workload) arrive complete: producers only ever wait for the collector, never JS.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "clock.hpp"
#include "event.hpp"
#include "intern.hpp"
#include "ring.hpp"
#include "tracker.hpp"

namespace tt_alloc {

// 16,384 events = 1 MiB: large enough that the chunk list stays short, small enough to hand to JS
// without a copy (an external ArrayBuffer per chunk).
struct Chunk {
  static constexpr size_t kEvents = 16384;
  size_t count = 0;
  Event events[kEvents];
};

struct CollectorConfig {
  size_t ring_capacity;   // events, power of two
  size_t spill_capacity;  // events buffered natively beyond the ring before drops
  Overflow overflow;
};

struct Stats {
  uint64_t accepted, dropped, drained, discarded, buffered;
  uint64_t ring_high_water, spill_high_water;
  uint64_t ring_capacity, spill_capacity;
  uint64_t names, names_overflowed;
};

class Collector {
 public:
  static Collector& instance();

  // Applies the configuration and starts accepting events. A different ring capacity replaces the
  // ring; the old ring is drained and kept allocated, since a producer may still hold its pointer.
  void enable(const CollectorConfig& config);
  void disable() noexcept;

  // JS thread: copies everything published so far, in sequence order, into memory from `allocate`
  // (called once with the byte size, under no lock). Returns the number of events copied.
  template <typename Allocate>
  size_t drain(Allocate&& allocate);
  // Empties the ring(s) and the spill without handing the events to anyone, counting them as
  // discarded: the events of a consumer (Node environment) that is gone. Returns how many.
  uint64_t discard();
  Stats stats();
  InternTable& names() noexcept { return names_; }

  // True when the spill is full, so a blocked producer would wait for the JS thread: it drops instead.
  bool stalled() const noexcept { return stalled_.load(std::memory_order_relaxed); }

  // Stops the thread; called from the addon's process-exit cleanup hook.
  void shutdown() noexcept;

 private:
  Collector() = default;
  void run();
  // Moves ready events from the ring(s) into the spill; caller holds mu_. Returns events moved.
  size_t collect_locked();
  size_t collect_ring_locked(Ring& ring);
  std::unique_ptr<Chunk> take_chunk_locked();
  // Everything pending, counted into `counter` (drained_ or discarded_).
  std::vector<std::unique_ptr<Chunk>> take_spill(uint64_t Collector::*counter);
  void recycle(std::vector<std::unique_ptr<Chunk>> chunks);
  void prefault_step();

  std::mutex mu_;  // guards everything below; never taken by producers
  std::deque<std::unique_ptr<Chunk>> spill_;
  std::vector<std::unique_ptr<Chunk>> pool_;  // emptied chunks, pages already faulted in
  std::vector<std::unique_ptr<Ring>> rings_;  // rings_.back() is current; older ones retired
  TickConverter ticks_;
  CollectorConfig config_{};
  uint64_t buffered_ = 0, drained_ = 0, discarded_ = 0, ring_high_water_ = 0, spill_high_water_ = 0;
  std::thread thread_;
  std::condition_variable wake_;
  bool stop_ = false;

  size_t prefaulted_ = 0;  // slots of the current ring faulted in so far
  std::atomic<bool> stalled_{false};
  InternTable names_;
};

template <typename Allocate>
size_t Collector::drain(Allocate&& allocate) {
  std::vector<std::unique_ptr<Chunk>> chunks = take_spill(&Collector::drained_);
  size_t events = 0;
  for (const auto& c : chunks) events += c->count;
  char* out = static_cast<char*>(allocate(events * sizeof(Event)));
  for (const auto& c : chunks) {
    if (c->count == 0) continue;
    std::memcpy(out, c->events, c->count * sizeof(Event));
    out += c->count * sizeof(Event);
  }
  recycle(std::move(chunks));
  return events;
}

}  // namespace tt_alloc
