#include "in_flight.hpp"

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace tt_alloc {
namespace {

// Gives the slot back when its thread exits (a thread_local destructor; only touched on first claim).
struct SlotRelease {
  InFlightSlot* slot = nullptr;
  ~SlotRelease() {
    if (slot != nullptr && slot != &g_in_flight[0]) slot->owned.store(false, std::memory_order_release);
  }
};
thread_local SlotRelease t_release;

int membarrier(int cmd) noexcept { return int(syscall(__NR_membarrier, cmd, 0u, 0)); }

// Registers for MEMBARRIER_CMD_PRIVATE_EXPEDITED (Linux 4.14) once, at static initialisation, so the
// flag is set before any push can run; a kernel or seccomp policy without it leaves the fence path.
const bool g_registered = [] {
  const int supported = membarrier(MEMBARRIER_CMD_QUERY);
  if (supported < 0 || (supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0) return false;
  if (membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) != 0) return false;
  g_asymmetric_fence.store(true, std::memory_order_release);
  return true;
}();

}  // namespace

InFlightSlot* claim_in_flight_slot() noexcept {
  InFlightSlot* slot = &g_in_flight[0];
  for (size_t i = 1; i < kInFlightSlots; ++i) {
    bool expected = false;
    if (!g_in_flight[i].owned.load(std::memory_order_relaxed) &&
        g_in_flight[i].owned.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) {
      slot = &g_in_flight[i];
      uint32_t used = g_in_flight_used.load(std::memory_order_relaxed);
      while (used < i + 1 && !g_in_flight_used.compare_exchange_weak(used, uint32_t(i + 1), std::memory_order_acq_rel)) {
      }
      break;
    }
  }
  t_in_flight_slot = slot;
  t_release.slot = slot;
  return slot;
}

void in_flight_barrier() noexcept {
  if (g_asymmetric_fence.load(std::memory_order_acquire)) {
    membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
  } else {
    std::atomic_thread_fence(std::memory_order_seq_cst);
  }
}

}  // namespace tt_alloc
