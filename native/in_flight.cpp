#include "in_flight.hpp"

#include <linux/membarrier.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace tt_alloc {
namespace {

// Gives the slot back when its thread exits, through a pthread key destructor. Not a thread_local
// object with a destructor: registering that (__cxa_thread_atexit) allocates, and the claim runs on a
// push. glibc keeps the values of the first 32 keys inside the thread descriptor
// (PTHREAD_KEY_2NDLEVEL_SIZE), so pthread_setspecific allocates nothing for them; with a later key the
// slot is simply not given back (a thread that exits leaks its slot; with all taken, slot 0 is shared).
void release_slot(void* slot) {
  static_cast<InFlightSlot*>(slot)->owned.store(false, std::memory_order_release);
}
pthread_key_t g_release_key;
const bool g_release_key_usable = [] {
  if (pthread_key_create(&g_release_key, release_slot) != 0) return false;
#if defined(__GLIBC__)
  return g_release_key < 32;
#else
  return true;  // musl: values live in a fixed per-thread array
#endif
}();

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
  if (slot != &g_in_flight[0] && g_release_key_usable) pthread_setspecific(g_release_key, slot);
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
