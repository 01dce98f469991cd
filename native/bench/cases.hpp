// The per-event cost benchmarks, one file each. `batches` is the number of timed kBatch-event batches.
#pragma once
#include <cstddef>

#include "timing.hpp"

namespace tt_alloc::bench {

// (a) The real path: AllocProcessor::track_allocate/track_deallocate on simulator Buffers, called
// through the IGraphProcessor vtable as GraphTracker does, pushing into the ring while the collector
// thread and a drain thread (standing in for JS) empty it.
struct HookResult {
  Summary one_thread;
  Summary two_threads;  // per event on each of two producers pushing at once
  unsigned long long dropped = 0;
};
HookResult run_hook(size_t batches);

// (b) The socket-fed allocation server's transport: a 128-byte packed message per event, blocking send() loop on an
// AF_UNIX SOCK_STREAM socket under a std::mutex, a reader thread draining the other end.
Summary run_socket(size_t batches);

// (c) An in-process tracker as the allocation server kept it: std::mutex + std::unordered_map keyed by
// (device, address), insert on allocate, erase on free.
Summary run_mutex_map(size_t batches);

// (d) The floor: a plain store of the same 64-byte record into a preallocated array.
Summary run_floor(size_t batches);

// A shared atomic read-modify-write per event (what AllocProcessor's callback counter used to be),
// on one thread and on two threads hitting the same counter.
struct CounterResult {
  Summary one_thread, two_threads;
};
CounterResult run_shared_counter(size_t batches);

// Cost of one steady_clock::now() pair, for reading the figures above (already spread over kBatch).
double clock_pair_ns();

}  // namespace tt_alloc::bench
