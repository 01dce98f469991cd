// The rings of the collector: the current one, which producers push into, and the retired ones a
// straggler may still write to. Owns the sequence gap between rings, prefaulting of the current ring,
// and retirement: a retired ring is unmapped (its memory, or its ring file's disk space, returned)
// once no producer can still write to it and it is empty (in_flight.hpp has the argument).
// Consumer side only: the collector calls every method under its mutex.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "ring.hpp"

namespace tt_alloc {

class RingSet {
 public:
  // Maps a new current ring continuing the sequence and publishes it to producers; the previous one
  // is retired. `fd` >= 0: a reserved ring file to map (closed here in every case). Throws
  // std::bad_alloc or std::system_error; on a throw the current ring is unchanged.
  Ring& install(size_t capacity, int fd, uint64_t run_id);

  bool empty() const noexcept { return rings_.empty(); }
  Ring& current() const noexcept { return *rings_.back().ring; }
  // Retired rings first (oldest first), the current ring last: the order of their sequence numbers.
  template <typename F>
  void for_each(F&& f) {
    for (auto& r : rings_) f(*r.ring);
  }

  // Unmaps every retired ring that no producer can reach any more and that holds nothing unconsumed.
  // Returns how many were released.
  size_t release_retired();
  size_t mapped() const noexcept { return rings_.size(); }
  // Events ever accepted by every ring, released ones included.
  uint64_t accepted() const noexcept;
  uint64_t released() const noexcept { return released_; }

  // Faults in the next 1 MiB of the current ring; false once all of it is.
  bool prefault_step() noexcept;

 private:
  struct Entry {
    std::unique_ptr<Ring> ring;
    // Retired only: thread indexes seen with a push in flight after the swap, not yet seen at zero.
    std::vector<uint32_t> busy;
    bool quiescent = false;
  };
  bool check_quiescent(Entry& entry) noexcept;

  std::vector<Entry> rings_;  // rings_.back() is current
  size_t prefaulted_ = 0;     // slots of the current ring faulted in so far
  uint64_t released_accepted_ = 0;
  uint64_t released_ = 0;
};

}  // namespace tt_alloc
