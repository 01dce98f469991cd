// (a) The real path: the processor callback plus the ring push, with the collector thread running and a
// drain thread emptying the spill every millisecond, as the JS drain would.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "../collector.hpp"
#include "../processor/alloc_processor.hpp"
#include "cases.hpp"

namespace tt_alloc::bench {
namespace tm = tt::tt_metal;
namespace {

// Drains the native spill until stopped, discarding the events.
class DrainThread {
 public:
  DrainThread()
      : thread_([this] {
          std::vector<char> sink;
          while (!stop_.load(std::memory_order_relaxed)) {
            Collector::instance().drain([&](size_t bytes) {
              if (sink.size() < bytes) sink.resize(bytes);
              return sink.data();
            });
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
        }) {}
  ~DrainThread() {
    stop_.store(true);
    thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Pairs of kBatch / 2 buffers: each batch allocates and frees every one of them (kBatch callbacks).
struct Workload {
  std::shared_ptr<tm::Device> device;
  std::vector<std::shared_ptr<tm::Buffer>> buffers;

  explicit Workload(int device_id) {
    // An n150 with 32 KiB L1_SMALL and an 8 MiB trace region, in the runtime generation now selected.
    auto allocator =
        std::make_shared<tm::Allocator>(tm::DeviceConfig{&tm::part::kN150, 32768, 8u << 20, tm::generation()});
    device = std::make_shared<tm::Device>(device_id, allocator);
    // No processor is registered with GraphTracker, so creating them reports nothing.
    for (size_t i = 0; i < kBatch / 2; ++i)
      buffers.push_back(tm::Buffer::create(device.get(), 4096, 1024, tm::BufferType::DRAM));
  }

  // Returns false if the ring dropped an event of this batch: a drop is cheaper than a push, so such
  // batches are left out of the figures and counted instead.
  bool batch(tm::IGraphProcessor& p) {
    const uint64_t dropped = g_hot.dropped.load(std::memory_order_relaxed);
    for (const auto& b : buffers) {
      p.track_allocate(b.get());
      p.track_deallocate(b.get());
    }
    return g_hot.dropped.load(std::memory_order_relaxed) == dropped;
  }
};

// Untimed pause every 16,384 events (~0.25 ms of pushing): an offered load of at most ~16 M events/s,
// far above a real runtime's, that the collector keeps up with on a shared 2-core machine; flat out,
// the producer outruns the collector and a large share of batches would end in drops.
void pause(size_t i) {
  if (i % 256 == 255) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace

HookResult run_hook(size_t batches) {
  Collector& collector = Collector::instance();
  // The defaults of enable() (lib/options.ts): 1,048,576 ring slots, 4,194,304 spill events, drop.
  collector.enable({1u << 20, 4u << 20, Overflow::Drop});
  const uint64_t dropped_before = g_hot.dropped.load();
  DrainThread drain;
  // Let the collector fault in the ring's 64 MiB first, as it does in the background after enable().
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  // Called through the base class, as GraphTracker::dispatch does.
  auto processor = std::make_shared<AllocProcessor>();
  tm::IGraphProcessor& p = *processor;
  HookResult r;
  {
    Workload w(0);
    r.one_thread = time_batches(batches / 4, batches, [&](size_t) { return w.batch(p); }, pause);
  }
  {
    // Two producers at once on two devices: contention on the ring's tail and on anything else shared.
    Summary second;
    std::atomic<int> ready{0};
    auto run = [&](int device, Summary* out) {
      Workload w(device);
      ready.fetch_add(1);
      while (ready.load() < 2) {
      }
      *out = time_batches(batches / 4, batches / 2, [&](size_t) { return w.batch(p); }, pause);
    };
    std::thread other(run, 1, &second);
    run(2, &r.two_threads);
    other.join();
  }
  r.dropped = g_hot.dropped.load() - dropped_before;
  collector.disable();
  return r;
}

}  // namespace tt_alloc::bench
