// Per-event cost on the runtime's thread: the real hook path against the socket-fed allocation server's transport,
// a mutex + map tracker and the floor, all in one run. Built and run by scripts/bench.js; prints one
// JSON object on stdout. Usage: hook-bench [--quick]
#include <cstdio>
#include <cstring>
#include <string>

#include "../collector.hpp"
#include "cases.hpp"

using namespace tt_alloc::bench;

namespace {

std::string json(const Summary& s) {
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "{\"medianNs\":%.2f,\"p99Ns\":%.2f,\"minNs\":%.2f,\"batches\":%zu,\"discardedBatches\":%zu}",
                s.median_ns, s.p99_ns, s.min_ns, s.batches, s.discarded);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  // Timed batches of kBatch events. The socket path costs microseconds per event, so it gets fewer.
  const size_t fast = quick ? 20000 : 200000;
  const size_t slow = quick ? 1000 : 10000;

  const double clock_ns = clock_pair_ns();
  const Summary floor = run_floor(fast);
  const HookResult hook = run_hook(fast);
  const CounterResult counter = run_shared_counter(fast);
  const Summary mutex_map = run_mutex_map(fast);
  const Summary socket = run_socket(slow);
  tt_alloc::Collector::instance().shutdown();

  std::printf(
      "{\"batchEvents\":%zu,\"clockPairNs\":%.2f,\"hook\":%s,\"hookTwoThreads\":%s,\"hookDropped\":%llu,"
      "\"socket\":%s,\"mutexMap\":%s,\"floor\":%s,\"sharedCounter\":%s,\"sharedCounterTwoThreads\":%s}\n",
      kBatch, clock_ns, json(hook.one_thread).c_str(), json(hook.two_threads).c_str(), hook.dropped,
      json(socket).c_str(), json(mutex_map).c_str(), json(floor).c_str(), json(counter.one_thread).c_str(),
      json(counter.two_threads).c_str());
  return 0;
}
