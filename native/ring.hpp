// Bounded lock-free multi-producer / single-consumer ring of Events.
//
// Ordering, written once (docs/events.md#the-ring):
//  - A producer claims position `pos` by CAS on `tail` after checking `pos - head < capacity`. The
//    position is the event's global sequence number: claiming order is the order of events.
//  - It writes the record body, then publishes by storing `pos + 1` into the slot's seq word
//    (release). The consumer reads a slot only once that word equals the position it expects plus one
//    (acquire), so it never reads a half-written record, and a slot from an earlier lap never matches.
//    Zero never matches, so fresh zero-filled memory is an empty ring without touching a page.
//  - The consumer writes nothing into the ring: it copies a batch out and then advances `head` once
//    (release). A producer's acquire load of `head` therefore orders the consumer's reads before the
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
// The ring's mapping starts with one page of header, then the slots. When recording, the mapping is a
// MAP_SHARED file (<journal>.ring), so after the process dies the kernel still holds every published
// slot and the indexes: `tt-alloc-tracker recover` reads them (docs/recording.md#the-ring-file).
inline constexpr size_t kRingHeaderBytes = 4096;
inline constexpr uint32_t kRingFileVersion = 1;

// Tick-to-ns conversion of the collector's newest clock sample, for recovering raw-tick records.
struct RingClock {
  uint64_t anchor_ticks, anchor_ns;
  double ns_per_tick;
};

struct RingHeader {
  char magic[8];             // "TTALRING"
  uint32_t version;          // kRingFileVersion
  uint32_t header_bytes;     // kRingHeaderBytes: slots start here
  uint32_t slot_bytes;       // sizeof(Event)
  uint32_t event_format;     // kEventFormatVersion
  uint64_t capacity;         // slots, a power of two
  uint64_t first_seq;        // sequence number of the ring's first position
  // The collector writes clock[(g + 1) & 1] and then stores g + 1: a reader after a crash uses
  // clock[g & 1], which is never half-written.
  std::atomic<uint64_t> clock_generation;
  RingClock clock[2];
  uint64_t run_id;           // the recording's identity, also in the journal header (0: not recording)
  alignas(kCacheLine) std::atomic<uint64_t> tail;  // next position to claim (producers)
  alignas(kCacheLine) std::atomic<uint64_t> head;  // next position to consume (collector)
  alignas(kCacheLine) std::atomic<uint64_t> dropped;       // events dropped because this ring was full
  std::atomic<uint64_t> user_counter;                      // free for the harness (tests: progress)
};
static_assert(offsetof(RingHeader, capacity) == 24 && offsetof(RingHeader, clock_generation) == 40 &&
                  offsetof(RingHeader, clock) == 48 && offsetof(RingHeader, run_id) == 96 &&
                  offsetof(RingHeader, tail) == 128 &&
                  offsetof(RingHeader, head) == 192 && offsetof(RingHeader, dropped) == 256 &&
                  offsetof(RingHeader, user_counter) == 264,
              "offsets are mirrored in lib/journal/ring-file.ts and docs/recording.md");
static_assert(sizeof(RingHeader) <= kRingHeaderBytes);
static_assert(std::atomic<uint64_t>::is_always_lock_free, "shared-mapping atomics must be lock-free");

class Ring {
 public:
  // capacity must be a power of two (checked by the JS boundary; asserted here). `first_seq` lets a
  // replacement ring continue the sequence of the ring it replaces. `fd` >= 0: map that file (sized
  // here; the caller reserves its blocks first) MAP_SHARED instead of anonymous memory; the caller may
  // close it afterwards. `run_id` goes into the header for recovery to match with the journal.
  Ring(size_t capacity, uint64_t first_seq, int fd = -1, uint64_t run_id = 0);
  Ring(const Ring&) = delete;
  Ring& operator=(const Ring&) = delete;
  ~Ring();

  // Bytes of the mapping (and of the ring file) for `capacity` slots.
  static size_t bytes_for(size_t capacity) noexcept { return kRingHeaderBytes + capacity * kCacheLine; }

  size_t capacity() const noexcept { return mask_ + 1; }
  bool file_backed() const noexcept { return file_backed_; }

  enum class PushResult : uint8_t { Ok, Full };

  // Copies `e` (all but seq) into the ring. No lock, no syscall, no allocation; retries only when
  // another producer wins the same position.
  PushResult try_push(const Event& e) noexcept {
    RingHeader& h = header();
    uint64_t pos = h.tail.load(std::memory_order_relaxed);
    do {
      // Signed: a stale `pos` may lag a head that other producers and the consumer moved past it;
      // that is not a full ring, and the CAS below fails and reloads `pos`.
      if (int64_t(pos - h.head.load(std::memory_order_acquire)) > int64_t(mask_)) return PushResult::Full;
    } while (!h.tail.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed));
    Slot& slot = slots_[pos & mask_];
    std::memcpy(slot.body, reinterpret_cast<const char*>(&e) + sizeof(uint64_t), kBodyBytes);
    slot.seq.store(pos + 1, std::memory_order_release);
    return PushResult::Ok;
  }

  // Consumer only. Copies up to `max` published events, in sequence order, into `out`, without
  // consuming them: the slots stay the producers' to overwrite only after release(). Stops at the
  // first unpublished slot: a producer between claim and publish holds the line until it publishes.
  size_t peek_batch(Event* out, size_t max) const noexcept {
    const uint64_t head = header().head.load(std::memory_order_relaxed);
    size_t n = 0;
    for (; n < max; ++n) {
      const Slot& slot = slots_[(head + n) & mask_];
      if (slot.seq.load(std::memory_order_acquire) != head + n + 1) break;
      out[n].seq = head + n;
      std::memcpy(reinterpret_cast<char*>(&out[n]) + sizeof(uint64_t), slot.body, kBodyBytes);
    }
    return n;
  }

  // Consumer only. Hands the `n` oldest peeked slots back to the producers (one release store). When
  // recording, the collector calls it only after the batch is written to the journal, so every event
  // is in the journal file or still in the ring file.
  void release(size_t n) noexcept {
    RingHeader& h = header();
    if (n > 0) h.head.store(h.head.load(std::memory_order_relaxed) + n, std::memory_order_release);
  }

  size_t pop_batch(Event* out, size_t max) noexcept {
    const size_t n = peek_batch(out, max);
    release(n);
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
  uint64_t claimed() const noexcept { return header().tail.load(std::memory_order_relaxed); }
  // Next position to consume. Any thread.
  uint64_t consumed() const noexcept { return header().head.load(std::memory_order_relaxed); }

  // Slow path only (the ring was full): per-ring drop count, kept in the mapping for recovery.
  void count_drop() noexcept { header().dropped.fetch_add(1, std::memory_order_relaxed); }
  uint64_t dropped() const noexcept { return header().dropped.load(std::memory_order_relaxed); }
  void set_user_counter(uint64_t value) noexcept { header().user_counter.store(value, std::memory_order_release); }
  // Consumer only: publishes the clock sample a recovery converts raw ticks with.
  void publish_clock(const RingClock& clock) noexcept;

 private:
  static constexpr size_t kBodyBytes = sizeof(Event) - sizeof(uint64_t);
  // A slot is one cache line; its first word is the record's seq field, doubling as the publish mark.
  struct alignas(kCacheLine) Slot {
    std::atomic<uint64_t> seq;
    char body[kBodyBytes];
  };
  static_assert(sizeof(Slot) == kCacheLine);

  // The header page sits just before the slots: no extra pointer load on the push path.
  RingHeader& header() const noexcept {
    return *reinterpret_cast<RingHeader*>(reinterpret_cast<char*>(slots_) - kRingHeaderBytes);
  }

  const uint64_t mask_;
  const uint64_t first_seq_;
  Slot* slots_;
  bool file_backed_;
};

}  // namespace tt_alloc
