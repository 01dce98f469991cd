// GraphTracker and IGraphProcessor of the simulated runtime, modelled on the newest supported TT-Metal
// generation (2026-08: graph_tracking.hpp and internal/graph_tracking.hpp @25ac38cf; docs/tt-metal.md):
//  - push_processor()/pop_processor() act on the calling thread's stack only (static thread_local
//    since PR #44668): a processor pushed on one thread never sees another thread's events.
//  - internal::register_background_processor_once(type, factory) registers process-wide, at most once
//    per dynamic type, and cannot be undone; a background processor receives only track_allocate and
//    track_deallocate, from every thread. CB, program and op events reach per-thread processors only.
//  - is_enabled() is true when the calling thread's stack holds a processor whose
//    is_capture_processor() is true (PR #42649); background processors never count.
//  - track_function_start hands processors std::span<TrackedArgument> (2026-04+).
// Signatures take const IDevice* (2025+). The runtime's callers live in buffer.cpp, program.cpp and
// napi/js_sim.cpp.
#pragma once
#include <any>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <typeinfo>
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

// An op argument as processors see it since 2026-04: the value and how to print it (the simulator
// passes no printer).
struct TrackedArgument {
  std::any value;
  std::string (*to_string_fn)(const std::any&) = nullptr;
};

class IGraphProcessor {
 public:
  enum class RunMode : uint8_t { NORMAL, NO_DISPATCH };

  IGraphProcessor() = default;
  virtual ~IGraphProcessor() = default;

  // Upstream default true: a processor that keeps it makes is_enabled() true on its thread.
  virtual bool is_capture_processor() const { return true; }
  virtual void track_allocate(const Buffer* /*buffer*/) {}
  virtual void track_deallocate(Buffer* /*buffer*/) {}
  virtual void track_allocate_cb(const CoreRangeSet& /*core_range_set*/, uint64_t /*addr*/, uint64_t /*size*/,
                                 bool /*is_globally_allocated*/, const IDevice* /*device*/) {}
  virtual void track_deallocate_cb(const IDevice* /*device*/) {}
  virtual void track_program(Program* /*program*/, const IDevice* /*device*/) {}
  virtual void track_function_start(std::string_view /*function_name*/,
                                    std::span<TrackedArgument> /*input_parameters*/) {}
  virtual void track_function_end() {}
  virtual void track_function_end(const std::any& /*output_tensors*/) {}
  virtual void begin_capture(RunMode /*mode*/) {}
  virtual CaptureResult end_capture() { return {}; }
};

namespace internal {
// Process-wide registration of `factory()` unless a processor of dynamic type `type` is registered
// already; true if this call registered it. Cannot be undone. For is_capture_processor() == false only.
bool register_background_processor_once(const std::type_info& type,
                                        const std::function<std::shared_ptr<IGraphProcessor>()>& factory);
}  // namespace internal

class GraphTracker {
 public:
  static GraphTracker& instance();

  // The calling thread's stack only.
  void push_processor(const std::shared_ptr<IGraphProcessor>& processor);
  void pop_processor();
  const std::vector<std::shared_ptr<IGraphProcessor>>& get_processors() const;
  bool is_enabled() const;

  // Called by the runtime (Buffer, Program, ops).
  void track_allocate(const Buffer* buffer);
  void track_deallocate(Buffer* buffer);
  void track_allocate_cb(const CoreRangeSet& core_range_set, uint64_t addr, uint64_t size, bool is_globally_allocated,
                         const IDevice* device);
  void track_deallocate_cb(const IDevice* device);
  void track_program(Program* program, const IDevice* device);
  template <class... Args>
  void track_function_start(std::string_view function_name, Args&&... args) {
    if (get_processors().empty()) return;
    std::array<TrackedArgument, sizeof...(Args)> params{TrackedArgument{std::any(std::cref(args))}...};
    function_start(function_name, params);
  }
  void track_function_end();
  void track_function_end(const std::any& output_tensors);

 private:
  GraphTracker() = default;
  void function_start(std::string_view function_name, std::span<TrackedArgument> params);
  template <typename F>
  void dispatch_buffer(F&& call);

  friend bool internal::register_background_processor_once(
      const std::type_info& type, const std::function<std::shared_ptr<IGraphProcessor>()>& factory);

  mutable std::shared_mutex background_mutex_;  // guards background_; taken shared per buffer event
  std::vector<std::shared_ptr<IGraphProcessor>> background_;
};

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
