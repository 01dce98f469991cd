// Bounded lock-free multi-producer / single-consumer ring of Events.
//
// Ordering, written once (docs/events.md#the-ring):
//  - A producer claims position `pos` by CAS on `tail_` after checking `pos - head_ < capacity`. The
//    position is the event's global sequence number: claiming order is the order of events.
//  - It writes the record body, then publishes by storing `pos + 1` into the slot's seq word
//    (release). The consumer reads a slot only once that word equals the position it expects plus one
//    (acquire), so it never reads a half-written record, and a slot from an earlier lap never matches.
//    Zero never matches, so fresh zero-filled memory is an empty ring without touching a page.
//  - The consumer writes nothing into the ring: it copies a batch out and then advances `head_` once
//    (release). A producer's acquire load of `head_` therefore orders the consumer's reads before the
//    producer's overwrite of that slot. Ring lines only ever move producer → consumer, one transfer.
//  - A free (`track_deallocate`) that happens-after its allocate's push returned claims a later
//    position, so the consumer never sees a free before its allocate.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "event.hpp"

namespace tt_alloc {

inline constexpr size_t kCacheLine = 64;

class Ring {
 public:
  // capacity must be a power of two (checked by the JS boundary; asserted here). `first_seq` lets a
  // replacement ring continue the sequence of the ring it replaces.
  Ring(size_t capacity, uint64_t first_seq);
  Ring(const Ring&) = delete;
  Ring& operator=(const Ring&) = delete;
  ~Ring();

  size_t capacity() const noexcept { return mask_ + 1; }

  enum class PushResult : uint8_t { Ok, Full };

  // Copies `e` (all but seq) into the ring. No lock, no syscall, no allocation; retries only when
  // another producer wins the same position.
  PushResult try_push(const Event& e) noexcept {
    uint64_t pos = tail_.load(std::memory_order_relaxed);
    do {
      // Signed: a stale `pos` may lag a head that other producers and the consumer moved past it;
      // that is not a full ring, and the CAS below fails and reloads `pos`.
      if (int64_t(pos - head_.load(std::memory_order_acquire)) > int64_t(mask_)) return PushResult::Full;
    } while (!tail_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed));
    Slot& slot = slots_[pos & mask_];
    std::memcpy(slot.body, reinterpret_cast<const char*>(&e) + sizeof(uint64_t), kBodyBytes);
    slot.seq.store(pos + 1, std::memory_order_release);
    return PushResult::Ok;
  }

  // Consumer only. Copies up to `max` published events, in sequence order, into `out`. Stops at the
  // first unpublished slot: a producer between claim and publish holds the line until it publishes.
  size_t pop_batch(Event* out, size_t max) noexcept {
    const uint64_t head = head_.load(std::memory_order_relaxed);
    size_t n = 0;
    for (; n < max; ++n) {
      const Slot& slot = slots_[(head + n) & mask_];
      if (slot.seq.load(std::memory_order_acquire) != head + n + 1) break;
      out[n].seq = head + n;
      std::memcpy(reinterpret_cast<char*>(&out[n]) + sizeof(uint64_t), slot.body, kBodyBytes);
    }
    if (n > 0) head_.store(head + n, std::memory_order_release);
    return n;
  }

  // Faults in the pages of slots [from, to) without changing them (an atomic RMW of the publish
  // word), so producers do not take a page fault on the first lap. Any thread, concurrently with pushes.
  void prefault(size_t from, size_t to) noexcept {
    constexpr size_t kSlotsPerPage = 4096 / sizeof(Event);
    for (size_t i = from; i < to && i <= mask_; i += kSlotsPerPage) slots_[i].seq.fetch_or(0, std::memory_order_relaxed);
  }

  uint64_t first_seq() const noexcept { return first_seq_; }
  // Next position to claim; claimed() - first_seq() = events accepted. Any thread.
  uint64_t claimed() const noexcept { return tail_.load(std::memory_order_relaxed); }
  // Next position to consume. Any thread.
  uint64_t consumed() const noexcept { return head_.load(std::memory_order_relaxed); }

 private:
  static constexpr size_t kBodyBytes = sizeof(Event) - sizeof(uint64_t);
  // A slot is one cache line; its first word is the record's seq field, doubling as the publish mark.
  struct alignas(kCacheLine) Slot {
    std::atomic<uint64_t> seq;
    char body[kBodyBytes];
  };
  static_assert(sizeof(Slot) == kCacheLine);

  const uint64_t mask_;
  const uint64_t first_seq_;
  Slot* slots_;
  // Producers' index and the consumer's index on separate lines: the consumer writes head_ once per
  // batch, so producers mostly read it from their own cache.
  alignas(kCacheLine) std::atomic<uint64_t> tail_;
  alignas(kCacheLine) std::atomic<uint64_t> head_;
};

}  // namespace tt_alloc
