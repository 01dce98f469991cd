#include "graph_tracking.hpp"

#include <algorithm>
#include <mutex>

namespace tt::tt_metal {
inline namespace tt_alloc_sim {
namespace {
// Per-thread processor stack. Leaked per thread on purpose: a buffer destroyed during thread or
// static destruction still dispatches safely.
std::vector<std::shared_ptr<IGraphProcessor>>& thread_processors() {
  thread_local auto* processors = new std::vector<std::shared_ptr<IGraphProcessor>>();
  return *processors;
}
}  // namespace

GraphTracker& GraphTracker::instance() {
  // Leaked on purpose: buffers destroyed during static destruction still dispatch safely.
  static GraphTracker* tracker = new GraphTracker();
  return *tracker;
}

void GraphTracker::push_processor(const std::shared_ptr<IGraphProcessor>& processor) {
  thread_processors().push_back(processor);
}

void GraphTracker::pop_processor() {
  auto& processors = thread_processors();
  if (!processors.empty()) processors.pop_back();
}

const std::vector<std::shared_ptr<IGraphProcessor>>& GraphTracker::get_processors() const {
  return thread_processors();
}

bool GraphTracker::is_enabled() const {
  const auto& processors = thread_processors();
  return std::any_of(processors.begin(), processors.end(), [](const auto& p) { return p->is_capture_processor(); });
}

namespace internal {
bool register_background_processor_once(const std::type_info& type,
                                        const std::function<std::shared_ptr<IGraphProcessor>()>& factory) {
  auto& tracker = GraphTracker::instance();
  // Lookup and insertion under one lock: two concurrent callers must not both register.
  std::unique_lock lock(tracker.background_mutex_);
  for (const auto& p : tracker.background_)
    if (typeid(*p) == type) return false;
  tracker.background_.push_back(factory());
  return true;
}
}  // namespace internal

// Buffer events: the calling thread's processors, then every background processor.
template <typename F>
void GraphTracker::dispatch_buffer(F&& call) {
  for (const auto& p : thread_processors()) call(*p);
  std::shared_lock lock(background_mutex_);
  for (const auto& p : background_) call(*p);
}

void GraphTracker::track_allocate(const Buffer* buffer) {
  dispatch_buffer([&](IGraphProcessor& p) { p.track_allocate(buffer); });
}
void GraphTracker::track_deallocate(Buffer* buffer) {
  dispatch_buffer([&](IGraphProcessor& p) { p.track_deallocate(buffer); });
}
// Everything else reaches the calling thread's processors only.
void GraphTracker::track_allocate_cb(const CoreRangeSet& cores, uint64_t addr, uint64_t size, bool global,
                                     const IDevice* device) {
  for (const auto& p : thread_processors()) p->track_allocate_cb(cores, addr, size, global, device);
}
void GraphTracker::track_deallocate_cb(const IDevice* device) {
  for (const auto& p : thread_processors()) p->track_deallocate_cb(device);
}
void GraphTracker::track_program(Program* program, const IDevice* device) {
  for (const auto& p : thread_processors()) p->track_program(program, device);
}
void GraphTracker::function_start(std::string_view name, std::span<TrackedArgument> params) {
  for (const auto& p : thread_processors()) p->track_function_start(name, params);
}
void GraphTracker::track_function_end() {
  for (const auto& p : thread_processors()) p->track_function_end();
}
void GraphTracker::track_function_end(const std::any& out) {
  for (const auto& p : thread_processors()) p->track_function_end(out);
}

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
