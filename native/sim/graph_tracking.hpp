// GraphTracker and IGraphProcessor with TT-Metal's 2025 signatures (const IDevice* arguments,
// std::span<std::any> op arguments). Registration models the newest flavour: push_processor() is
// per thread (TT-Metal 2026-05: processors are thread_local) and add_background_processor() registers
// process-wide, so a processor registered that way sees every thread's events.
#pragma once
#include <any>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "types.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

class Buffer;
class IDevice;
class Program;

// Stand-in for the nlohmann::json that end_capture() returns upstream; processors that do not
// capture graphs never override end_capture().
struct CaptureResult {};

class IGraphProcessor {
 public:
  enum class RunMode : uint8_t { NORMAL, NO_DISPATCH };

  IGraphProcessor() = default;
  virtual ~IGraphProcessor() = default;

  virtual void track_allocate(const Buffer* buffer) {}
  virtual void track_deallocate(Buffer* buffer) {}
  virtual void track_allocate_cb(const CoreRangeSet& core_range_set, uint64_t addr, uint64_t size,
                                 bool is_globally_allocated, const IDevice* device) {}
  virtual void track_deallocate_cb(const IDevice* device) {}
  virtual void track_program(Program* program, const IDevice* device) {}
  virtual void track_function_start(std::string_view function_name, std::span<std::any> input_parameters) {}
  virtual void track_function_end() {}
  virtual void track_function_end(const std::any& output_tensors) {}
  virtual void begin_capture(RunMode mode) {}
  virtual CaptureResult end_capture() { return {}; }
};

class GraphTracker {
 public:
  static GraphTracker& instance();

  // This thread only (thread_local stack), as TT-Metal since 2026-05.
  void push_processor(const std::shared_ptr<IGraphProcessor>& processor);
  void pop_processor();
  // Every thread: process-wide registration for background processors.
  void add_background_processor(const std::shared_ptr<IGraphProcessor>& processor);
  void remove_background_processor(const std::shared_ptr<IGraphProcessor>& processor);
  bool is_enabled() const;

  // Called by the runtime (Buffer, Program, ops).
  void track_allocate(const Buffer* buffer);
  void track_deallocate(Buffer* buffer);
  void track_allocate_cb(const CoreRangeSet& core_range_set, uint64_t addr, uint64_t size, bool is_globally_allocated,
                         const IDevice* device);
  void track_deallocate_cb(const IDevice* device);
  void track_program(Program* program, const IDevice* device);
  void track_function_start(std::string_view function_name, std::span<std::any> input_parameters);
  void track_function_end();
  void track_function_end(const std::any& output_tensors);

 private:
  template <typename F>
  void dispatch(F&& call);

  mutable std::mutex mutex_;  // guards background_; the runtime, not the processor, takes it
  std::vector<std::shared_ptr<IGraphProcessor>> background_;
};

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
