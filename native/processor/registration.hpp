// Registers the processor with GraphTracker where the TT-Metal it is compiled against calls processors
// (flavour chosen at build time from the features in tt_api.hpp; docs/tt-metal.md has the table):
//   global      push_processor() once: before 2026-05 processors are process-wide, every thread's
//               events arrive.
//   thread      push_processor() on each attached thread (2026-05+: the processor stack is
//               thread_local, PR #44668): only attached threads' events arrive. attach() attaches the
//               calling thread; a harness attaches more with attach_this_thread()
//               (C ABI tt_alloc_attach_this_thread, JS processor.attachThisThread()).
//   background  "thread" plus internal::register_background_processor_once() (2026-08+): allocate/free
//               from every thread arrive through the background registration; CB, program and op events
//               only from attached threads. The per-thread processor then ignores buffer callbacks so
//               none arrives twice.
// A background registration cannot be removed upstream: it happens at most once per process and
// detach() only turns it off (one relaxed load and a branch per buffer callback while detached).
// Not the hot path: guarded by a mutex.
#pragma once
#include <cstdint>

namespace tt_alloc::processor {

// "global", "thread" or "background" (see above).
const char* flavour() noexcept;

// Registers (idempotent; process-wide, plus the calling thread on thread-local runtimes). Returns
// flavour().
const char* attach();
// Undoes attach(). With "global" it pops the processor only if it is the calling thread's top one
// (TT-Metal's pop_processor() removes the top, whoever pushed it); with "thread"/"background" it pops
// the calling thread's and turns the background registration off. Returns false if not attached.
bool detach();
bool attached();

// Thread-local runtimes: registers the per-thread processor on the calling thread (idempotent per
// thread); false where processors are process-wide anyway (nothing to do) or when not attached.
bool attach_this_thread();
// Pops the calling thread's per-thread processor if it is on top of its stack.
bool detach_this_thread();
// Threads whose per-thread processor is registered now ("thread"/"background"; 0 with "global").
uint32_t attached_threads();

// Callbacks the processor received so far.
uint64_t callbacks();

}  // namespace tt_alloc::processor
