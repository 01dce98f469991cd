// Pushes in flight, per producer thread: what lets the collector unmap a retired ring.
//
// The argument that no producer can still write to a retired ring R (ring_set.cpp relies on it):
//  - A push runs inside a window: it marks its thread's slot in flight, then loads the current ring
//    pointer, pushes, and clears the mark (release) once it no longer touches the ring (the slow path
//    push_when_full included, which reloads the pointer inside the same window).
//  - Retiring R stores the new ring pointer first and reads the marks after, with a full barrier on
//    both sides between the store and the load (Dekker's argument): for any push either its pointer
//    load sees the new ring (it never touches R), or the collector's read sees its mark.
//  - So once every mark has been seen clear at some instant after the swap, every push that could
//    have loaded R has left its window: nobody holds R, and every position claimed in R is published
//    (a producer publishes before it leaves). The collector then empties R and unmaps it.
// The producer's side of the barrier is free: the collector runs membarrier(MEMBARRIER_CMD_PRIVATE_
// EXPEDITED) after the swap, which executes a full barrier on every thread of the process (the
// asymmetric fence of liburcu and folly), so a push only stores to its own slot, a cache line no other
// thread writes. Where membarrier is unavailable, the push pays a seq_cst fence instead.
// Slots belong to one thread each (claimed at its first push without allocating, given back at its
// exit through a pthread key destructor), so the mark
// is a plain store. With every slot taken, threads share slot 0 and count with atomic RMWs.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace tt_alloc {

struct alignas(64) InFlightSlot {
  std::atomic<uint32_t> pushes{0};  // pushes of the owning thread(s) in flight
  std::atomic<bool> owned{false};   // claimed by a live thread (slot 0: shared, never owned)
};
// 4 MiB of address space; a page is touched per 64 threads that push.
inline constexpr size_t kInFlightSlots = size_t(1) << 16;
inline InFlightSlot g_in_flight[kInFlightSlots];
// Slots ever claimed: slots at or above it were never used (the collector scans below it).
inline std::atomic<uint32_t> g_in_flight_used{1};
// Set once, before tracking is first enabled, when membarrier is available; never cleared.
inline std::atomic<bool> g_asymmetric_fence{false};

// This thread's slot, claimed on first use. initial-exec TLS: one %fs-relative load.
inline thread_local InFlightSlot* t_in_flight_slot __attribute__((tls_model("initial-exec"))) = nullptr;
// Out of line: claims a free slot (slot 0 when none is left) and arranges its release at thread exit.
InFlightSlot* claim_in_flight_slot() noexcept;
// Collector side, after publishing a new ring: the heavy half of the barrier (see above).
void in_flight_barrier() noexcept;

class PushWindow {
 public:
  PushWindow() noexcept : slot_(t_in_flight_slot) {
    if (__builtin_expect(slot_ == nullptr, 0)) slot_ = claim_in_flight_slot();
    if (__builtin_expect(slot_ != &g_in_flight[0], 1)) {
      // Only this thread writes its slot: load + store, no locked instruction.
      slot_->pushes.store(slot_->pushes.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
      if (__builtin_expect(g_asymmetric_fence.load(std::memory_order_relaxed), 1)) {
        std::atomic_signal_fence(std::memory_order_seq_cst);  // the collector's membarrier is the fence
      } else {
        std::atomic_thread_fence(std::memory_order_seq_cst);
      }
    } else {
      slot_->pushes.fetch_add(1, std::memory_order_seq_cst);
    }
  }
  ~PushWindow() {
    if (__builtin_expect(slot_ != &g_in_flight[0], 1)) {
      slot_->pushes.store(slot_->pushes.load(std::memory_order_relaxed) - 1, std::memory_order_release);
    } else {
      slot_->pushes.fetch_sub(1, std::memory_order_release);
    }
  }
  PushWindow(const PushWindow&) = delete;
  PushWindow& operator=(const PushWindow&) = delete;

 private:
  InFlightSlot* slot_;
};

}  // namespace tt_alloc
