// The graph-tracking processor: where a runtime callback becomes an event. One source for both
// builds (simulator and real TT-Metal, see tt_api.hpp).
// Hot path (every callback after a device's first sighting): field reads, one relaxed load of the
// device's state byte, one ring push — no lock, no heap allocation, no exception, no syscall.
// A device's first sighting (cold, once per device while tracking is on) reads its capacities and,
// for a mesh, its chips; that path may allocate inside the runtime and swallows any exception.
#pragma once
#include <any>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "tt_api.hpp"

namespace tt_alloc {

class AllocProcessor final : public tt::tt_metal::IGraphProcessor {
 public:
  // buffer_callbacks false: this processor ignores track_allocate/track_deallocate because another
  // registration (the process-wide background one, registration.cpp) delivers them to on_buffer();
  // with both registered every buffer event would otherwise arrive twice on the thread that has both.
  explicit AllocProcessor(bool buffer_callbacks = true);

#if TT_ALLOC_HAVE_CAPTURE_PROCESSOR_FLAG
  // A tracker observes, it does not capture: returning true would make GraphTracker::is_enabled() true
  // on every thread that has it (graph_tracking.cpp, since PR #42649) and ttnn would then believe a
  // graph capture is running and change what it does.
  bool is_capture_processor() const override { return false; }
#endif

  void track_allocate(const tt::tt_metal::Buffer* buffer) override;
  void track_deallocate(tt::tt_metal::Buffer* buffer) override;
  void track_allocate_cb(const tt::tt_metal::CoreRangeSet& core_range_set, uint64_t addr, uint64_t size,
                         bool is_globally_allocated, const tt::tt_metal::IDevice* device) override;
  void track_deallocate_cb(const tt::tt_metal::IDevice* device) override;
  void track_program(tt::tt_metal::Program* program, const tt::tt_metal::IDevice* device) override;
#if TT_ALLOC_HAVE_TRACKED_ARGUMENT
  void track_function_start(std::string_view function_name,
                            std::span<tt::tt_metal::TrackedArgument> input_parameters) override;
#else
  void track_function_start(std::string_view function_name, std::span<std::any> input_parameters) override;
#endif
  void track_function_end() override;
  void track_function_end(const std::any& output_tensors) override;

  // Callbacks received (tests prove the events came through here). Sums the per-thread counters.
  uint64_t callbacks() const noexcept;

  // One buffer callback (alloc true: track_allocate); the background registration calls it directly.
  void on_buffer(bool alloc, const tt::tt_metal::Buffer* buffer) noexcept;

 private:
  // Per device slot (u16 id, chips then meshes): 0 unseen, kSeen once DeviceInfo (and MeshChip) went
  // out, | kMesh for a mesh.
  static constexpr uint8_t kSeen = 1, kMesh = 2, kClaimed = 4;
  static constexpr size_t kDeviceIds = 65536;  // every u16 device id (Event::device is u16)
  static constexpr size_t kDeviceSlots = 2 * kDeviceIds;
  static size_t slot_of(const tt::tt_metal::IDevice* device, bool mesh) noexcept;
  uint8_t device_state(const tt::tt_metal::IDevice* device) noexcept;
  // Claims the announcement of `device` (unseen, or its slot now names another device object).
  bool claim(const tt::tt_metal::IDevice* device, size_t slot) noexcept;
  void publish(const tt::tt_metal::IDevice* device, size_t slot, uint8_t state) noexcept;
  void first_sighting(const tt::tt_metal::IDevice* device, bool mesh) noexcept;

  // Callback counters, one cache line per thread slot: a shared atomic add cost ~5 ns per callback on
  // one thread, plus a line transfer per callback between threads (BENCHMARKS.md). A thread that owns a
  // slot counts with a plain load and store; threads beyond kCounterSlots share the last one atomically.
  static constexpr size_t kCounterSlots = 64;
  struct alignas(64) Counter {
    std::atomic<uint64_t> value{0};
  };
  void count_callback() noexcept;
  Counter counters_[kCounterSlots + 1];
  const bool buffer_callbacks_;
  std::unique_ptr<std::atomic<uint8_t>[]> devices_;  // kDeviceSlots entries
  // The device object announced under each id: a device reopened (new object, same id, maybe other
  // region sizes or other chips) is announced again.
  std::unique_ptr<std::atomic<const void*>[]> owners_;
};

}  // namespace tt_alloc
