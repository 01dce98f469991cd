// Registers the processor with GraphTracker so that events from every thread reach it, by the
// flavour the runtime offers (chosen at build time, tt_api.hpp):
//   background  add_background_processor(): process-wide (newest trees)
//   global      push_processor() on a tree where processors are process-wide (before 2026-05)
//   thread      push_processor() on a tree with thread_local processors and no background API:
//               only the registering thread is seen (documented limitation, docs/tt-metal.md)
// Not the hot path: guarded by a mutex.
#pragma once
#include <cstdint>

namespace tt_alloc::processor {

// Idempotent. Returns the flavour used: "background", "global" or "thread".
const char* attach();
// Returns false if it was not attached. With "global"/"thread" this pops the calling thread's top
// processor, as TT-Metal's pop_processor() does: detach in the reverse order of attaching.
bool detach();
bool attached();
// Callbacks every processor attached so far received.
uint64_t callbacks();

}  // namespace tt_alloc::processor
