// The C ABI's per-thread attachment (native/c_api.h), here rather than in c_api.cpp so that the core
// (ring, collector, C ABI push) still builds and links without the processor (scripts/sanitize.sh).
#include "../c_api.h"
#include "registration.hpp"

extern "C" {

// No exception may leave a C function: push_processor() can fail to allocate, and then the thread is
// simply not covered.
int tt_alloc_attach_this_thread(void) {
  try {
    tt_alloc::processor::attach_this_thread();
    return tt_alloc::processor::this_thread_covered() ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

int tt_alloc_detach_this_thread(void) {
  try {
    return tt_alloc::processor::detach_this_thread() ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

}  // extern "C"
