// (c) An in-process tracker shaped like the socket-fed allocation server's state: one std::mutex around one
// std::unordered_map keyed by (device, address); allocate inserts, free erases.
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "cases.hpp"

namespace tt_alloc::bench {
namespace {

struct Record {
  uint64_t buffer_id, size, timestamp_ns;
  uint8_t buffer_type;
};

class MutexMapTracker {
 public:
  void on_allocate(uint32_t device, uint64_t address, const Record& r) {
    std::lock_guard lock(mutex_);
    live_.insert_or_assign(key(device, address), r);
  }
  void on_free(uint32_t device, uint64_t address) {
    std::lock_guard lock(mutex_);
    live_.erase(key(device, address));
  }

 private:
  static uint64_t key(uint32_t device, uint64_t address) { return (uint64_t(device) << 48) ^ address; }
  std::mutex mutex_;
  std::unordered_map<uint64_t, Record> live_;
};

}  // namespace

Summary run_mutex_map(size_t batches) {
  MutexMapTracker tracker;
  return time_batches(batches / 4, batches, [&](size_t i) {
    for (size_t k = 0; k < kBatch / 2; ++k) {
      const uint64_t address = 64 + k * 4096;
      tracker.on_allocate(0, address, Record{i * kBatch + k, 4096, i, 0});
      tracker.on_free(0, address);
    }
  });
}

}  // namespace tt_alloc::bench
