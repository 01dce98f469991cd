// The C ABI's per-thread attachment (native/c_api.h), here rather than in c_api.cpp so that the core
// (ring, collector, C ABI push) still builds and links without the processor (scripts/sanitize.sh).
#include "../c_api.h"
#include "registration.hpp"

extern "C" {

int tt_alloc_attach_this_thread(void) {
  tt_alloc::processor::attach_this_thread();
  return tt_alloc::processor::this_thread_covered() ? 1 : 0;
}

int tt_alloc_detach_this_thread(void) { return tt_alloc::processor::detach_this_thread() ? 1 : 0; }

}  // extern "C"
