// Graph-capture hooks, as upstream's IGraphHooks / GraphTracker::add_hook (graph_tracking.hpp): a hook
// that returns true skips the real operation. ttnn's NO_DISPATCH graph capture installs one
// (ProcessorHooks): allocations get address 0 yet still call track_allocate, frees skip the allocator,
// programs do not run. A tracker never installs a hook; tests of the simulated runtime do
// (sim.setNoDispatchHook). Kept apart from graph_tracking.* (the processor registration model) so the two
// evolve separately; the runtime state is single-threaded (the N-API layer's registry mutex).
#pragma once
#include <memory>

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

class Buffer;
class Program;

class IGraphHooks {
 public:
  virtual ~IGraphHooks() = default;
  virtual bool hook_allocate(const Buffer* buffer) = 0;
  virtual bool hook_deallocate(Buffer* buffer) = 0;
  virtual bool hook_program(Program* program) = 0;
};

// ttnn graph::ProcessorHooks under RunMode::NO_DISPATCH: nothing reaches the device.
class NoDispatchHooks final : public IGraphHooks {
 public:
  bool hook_allocate(const Buffer*) override { return true; }
  bool hook_deallocate(Buffer*) override { return true; }
  bool hook_program(Program*) override { return true; }
};

class GraphHooks {
 public:
  static GraphHooks& instance() {
    static GraphHooks* hooks = new GraphHooks();  // leaked: buffers may be destroyed during static destruction
    return *hooks;
  }
  void add_hook(std::shared_ptr<IGraphHooks> hook) { hook_ = std::move(hook); }
  void remove_hook() { hook_.reset(); }
  bool installed() const { return hook_ != nullptr; }
  bool hook_allocate(const Buffer* b) { return hook_ && hook_->hook_allocate(b); }
  bool hook_deallocate(Buffer* b) { return hook_ && hook_->hook_deallocate(b); }
  bool hook_program(Program* p) { return hook_ && hook_->hook_program(p); }

 private:
  std::shared_ptr<IGraphHooks> hook_;
};

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
