// Pushes in flight, per producer thread: what lets the collector unmap a retired ring.
//
// The argument that no producer can still write to a retired ring R (ring_set.cpp relies on it):
//  - A push runs inside a window: it increments its thread's in-flight counter (seq_cst), then loads
//    the current ring pointer (seq_cst), pushes, and decrements the counter (release) when it no
//    longer touches the ring (the slow path push_when_full included).
//  - Retiring R stores the new ring pointer (seq_cst) first and reads the counters after. Both sides
//    are seq_cst, so for any push either its pointer load sees the new ring (it never touches R), or
//    the collector's counter read sees that push in flight (Dekker's argument).
//  - So once every counter has been seen at zero at some instant after the swap, every push that
//    could have loaded R has left its window: nobody holds R, and every position claimed in R is
//    published (a producer publishes before it leaves). The collector then empties R and unmaps it.
// A counter, not a pointer, so two threads that share an index (the 16-bit index wraps after 65,535
// threads) stay correct: zero means neither is inside. Each counter has its own cache line, so the
// two RMWs per push are on a line only its own thread writes: no contention, no syscall, no lock.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace tt_alloc {

struct alignas(64) InFlightCounter {
  std::atomic<uint32_t> pushes{0};
};
// One per thread index (uint16_t): 4 MiB of address space, a page touched per 64 threads that push.
inline constexpr size_t kThreadSlots = size_t(1) << 16;
inline InFlightCounter g_in_flight[kThreadSlots];

class PushWindow {
 public:
  explicit PushWindow(uint16_t thread) noexcept : counter_(g_in_flight[thread].pushes) {
    counter_.fetch_add(1, std::memory_order_seq_cst);
  }
  ~PushWindow() { counter_.fetch_sub(1, std::memory_order_release); }
  PushWindow(const PushWindow&) = delete;
  PushWindow& operator=(const PushWindow&) = delete;

 private:
  std::atomic<uint32_t>& counter_;
};

}  // namespace tt_alloc
