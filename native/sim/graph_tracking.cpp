#include "graph_tracking.hpp"

#include <algorithm>

namespace tt::tt_metal {
inline namespace tt_alloc_sim {
namespace {
// Per-thread processor stack: a processor pushed on one thread never sees another thread's events.
thread_local std::vector<std::shared_ptr<IGraphProcessor>> t_processors;
}  // namespace

GraphTracker& GraphTracker::instance() {
  // Leaked on purpose: buffers destroyed during static destruction still dispatch safely.
  static GraphTracker* tracker = new GraphTracker();
  return *tracker;
}

void GraphTracker::push_processor(const std::shared_ptr<IGraphProcessor>& processor) {
  t_processors.push_back(processor);
}

void GraphTracker::pop_processor() {
  if (!t_processors.empty()) t_processors.pop_back();
}

void GraphTracker::add_background_processor(const std::shared_ptr<IGraphProcessor>& processor) {
  std::lock_guard lock(mutex_);
  background_.push_back(processor);
}

void GraphTracker::remove_background_processor(const std::shared_ptr<IGraphProcessor>& processor) {
  std::lock_guard lock(mutex_);
  background_.erase(std::remove(background_.begin(), background_.end(), processor), background_.end());
}

bool GraphTracker::is_enabled() const {
  std::lock_guard lock(mutex_);
  return !t_processors.empty() || !background_.empty();
}

template <typename F>
void GraphTracker::dispatch(F&& call) {
  for (const auto& p : t_processors) call(*p);
  std::lock_guard lock(mutex_);
  for (const auto& p : background_) call(*p);
}

void GraphTracker::track_allocate(const Buffer* buffer) {
  dispatch([&](IGraphProcessor& p) { p.track_allocate(buffer); });
}
void GraphTracker::track_deallocate(Buffer* buffer) {
  dispatch([&](IGraphProcessor& p) { p.track_deallocate(buffer); });
}
void GraphTracker::track_allocate_cb(const CoreRangeSet& cores, uint64_t addr, uint64_t size, bool global,
                                     const IDevice* device) {
  dispatch([&](IGraphProcessor& p) { p.track_allocate_cb(cores, addr, size, global, device); });
}
void GraphTracker::track_deallocate_cb(const IDevice* device) {
  dispatch([&](IGraphProcessor& p) { p.track_deallocate_cb(device); });
}
void GraphTracker::track_program(Program* program, const IDevice* device) {
  dispatch([&](IGraphProcessor& p) { p.track_program(program, device); });
}
void GraphTracker::track_function_start(std::string_view name, std::span<std::any> args) {
  dispatch([&](IGraphProcessor& p) { p.track_function_start(name, args); });
}
void GraphTracker::track_function_end() {
  dispatch([&](IGraphProcessor& p) { p.track_function_end(); });
}
void GraphTracker::track_function_end(const std::any& out) {
  dispatch([&](IGraphProcessor& p) { p.track_function_end(out); });
}

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
