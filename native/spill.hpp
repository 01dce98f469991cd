// The spill: a bounded list of 1 MiB chunks the collector moves events into, so a burst the JS thread
// cannot drain while it runs arrives complete, plus a pool of emptied chunks for reuse. Consumer side
// only: the collector calls every method under its mutex.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "event.hpp"

namespace tt_alloc {

// 16,384 events = 1 MiB: large enough that the chunk list stays short, small enough to hand to JS
// without a copy (an external ArrayBuffer per chunk).
struct Chunk {
  static constexpr size_t kEvents = 16384;
  size_t count = 0;
  Event events[kEvents];
};

class Spill {
 public:
  void set_capacity(size_t events) noexcept { capacity_ = events; }
  size_t capacity() const noexcept { return capacity_; }
  uint64_t buffered() const noexcept { return buffered_; }
  uint64_t high_water() const noexcept { return high_water_; }

  // Room for up to `max` more events at the end of the newest chunk (a new chunk when it is full), or
  // nullptr with `room` 0 when the spill is full. Throws std::bad_alloc.
  Event* reserve(size_t max, size_t& room);
  // Counts `n` events written at the pointer reserve() returned.
  void commit(size_t n) noexcept;

  // Whole chunks, oldest first, up to `max_events` (the first chunk always). `taken` adds their events.
  void take(size_t max_events, uint64_t& taken, std::vector<std::unique_ptr<Chunk>>& out);
  bool has_chunks() const noexcept { return !chunks_.empty(); }
  // Keeps up to kPoolChunks emptied chunks for reuse; frees the rest.
  void recycle(std::vector<std::unique_ptr<Chunk>> chunks);
  // An empty chunk, from the pool when it has one. Throws std::bad_alloc.
  std::unique_ptr<Chunk> fresh_chunk();

 private:
  std::deque<std::unique_ptr<Chunk>> chunks_;
  std::vector<std::unique_ptr<Chunk>> pool_;  // emptied chunks, pages already faulted in
  size_t capacity_ = 0;
  uint64_t buffered_ = 0, high_water_ = 0;
};

}  // namespace tt_alloc
