#include "registration.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <typeinfo>

#include "alloc_processor.hpp"

namespace tt_alloc::processor {
namespace tm = tt::tt_metal;

namespace {
constexpr bool kThreadLocal = TT_ALLOC_HAVE_THREAD_LOCAL_PROCESSORS;
constexpr bool kBackground = TT_ALLOC_HAVE_BACKGROUND_PROCESSORS;

std::mutex g_mutex;
bool g_attached = false;
std::atomic<uint32_t> g_attached_threads{0};

// Whether the calling thread's stack holds the per-thread processor (thread-local runtimes). A thread
// that exits attached stops counting: upstream its thread_local stack goes with it.
struct ThreadAttachment {
  bool attached = false;
  ~ThreadAttachment() {
    if (attached) g_attached_threads.fetch_sub(1, std::memory_order_relaxed);
  }
};
thread_local ThreadAttachment t_thread;

// Immortal: a background registration keeps the processor for the life of the process, and a
// processor pushed on another thread may still be on that thread's stack.
const std::shared_ptr<AllocProcessor>& processor_ptr() {
  static auto* processor = new std::shared_ptr<AllocProcessor>(std::make_shared<AllocProcessor>(!kBackground));
  return *processor;
}
AllocProcessor& the_processor() { return *processor_ptr(); }

#if TT_ALLOC_HAVE_BACKGROUND_PROCESSORS
// Off while detached: one relaxed load per buffer callback then, no event.
std::atomic<bool> g_background_on{false};
bool g_background_registered = false;

// The background registration: receives only track_allocate/track_deallocate, from every thread
// (GraphTracker's threading contract, graph_tracking.hpp 2026-08), and hands them to the processor.
class BackgroundBuffers final : public tm::IGraphProcessor {
 public:
  explicit BackgroundBuffers(AllocProcessor& target) : target_(target) {}
  // register_background_processor_once is for is_capture_processor() == false only
  // (internal/graph_tracking.hpp): a background processor must not turn graph capture on.
  bool is_capture_processor() const override { return false; }
  void track_allocate(const tm::Buffer* buffer) override {
    if (g_background_on.load(std::memory_order_relaxed)) target_.on_buffer(true, buffer);
  }
  void track_deallocate(tm::Buffer* buffer) override {
    if (g_background_on.load(std::memory_order_relaxed)) target_.on_buffer(false, buffer);
  }

 private:
  AllocProcessor& target_;
};
#endif

// TT-Metal's pop_processor() removes the top of the calling thread's stack whoever pushed it: pop only
// when the top is ours (get_processors() is public on every supported tree).
bool pop_if_top() {
  auto& tracker = tm::GraphTracker::instance();
  const auto& stack = tracker.get_processors();
  if (stack.empty() || stack.back().get() != &the_processor()) return false;
  tracker.pop_processor();
  return true;
}
bool push_on_this_thread() {
  if (t_thread.attached) return false;
  tm::GraphTracker::instance().push_processor(processor_ptr());
  t_thread.attached = true;
  g_attached_threads.fetch_add(1, std::memory_order_relaxed);
  return true;
}

bool pop_on_this_thread() {
  if (!t_thread.attached || !pop_if_top()) return false;
  t_thread.attached = false;
  g_attached_threads.fetch_sub(1, std::memory_order_relaxed);
  return true;
}

}  // namespace

const char* flavour() noexcept { return kBackground ? "background" : kThreadLocal ? "thread" : "global"; }

const char* attach() {
  std::lock_guard lock(g_mutex);
  if (g_attached) {
    if constexpr (kThreadLocal) push_on_this_thread();
    return flavour();
  }
#if TT_ALLOC_HAVE_BACKGROUND_PROCESSORS
  if (!g_background_registered) {
    // Once per process: upstream keeps it forever; re-attaching only turns it back on.
    tm::internal::register_background_processor_once(
        typeid(BackgroundBuffers), [] { return std::make_shared<BackgroundBuffers>(the_processor()); });
    g_background_registered = true;
  }
  g_background_on.store(true, std::memory_order_relaxed);
#endif
  if constexpr (kThreadLocal) {
    push_on_this_thread();
  } else {
    tm::GraphTracker::instance().push_processor(processor_ptr());
  }
  g_attached = true;
  return flavour();
}

bool detach() {
  std::lock_guard lock(g_mutex);
  if (!g_attached) return false;
#if TT_ALLOC_HAVE_BACKGROUND_PROCESSORS
  g_background_on.store(false, std::memory_order_relaxed);
#endif
  if constexpr (kThreadLocal) {
    pop_on_this_thread();
  } else {
    pop_if_top();
  }
  g_attached = false;
  return true;
}

bool attached() {
  std::lock_guard lock(g_mutex);
  return g_attached;
}

bool attach_this_thread() {
  if constexpr (!kThreadLocal) return false;
  std::lock_guard lock(g_mutex);
  if (!g_attached) return false;
  return push_on_this_thread();
}

bool detach_this_thread() {
  if constexpr (!kThreadLocal) return false;
  std::lock_guard lock(g_mutex);
  return pop_on_this_thread();
}

uint32_t attached_threads() { return g_attached_threads.load(std::memory_order_relaxed); }

uint64_t callbacks() { return the_processor().callbacks(); }

}  // namespace tt_alloc::processor
