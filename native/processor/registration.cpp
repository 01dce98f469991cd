#include "registration.hpp"

#include <memory>
#include <mutex>

#include "alloc_processor.hpp"

namespace tt_alloc::processor {
namespace {
std::mutex g_mutex;
std::shared_ptr<AllocProcessor> g_processor;
uint64_t g_retired_callbacks = 0;

constexpr const char* kFlavour = TT_ALLOC_HAVE_BACKGROUND_PROCESSORS     ? "background"
                                 : TT_ALLOC_HAVE_THREAD_LOCAL_PROCESSORS ? "thread"
                                                                         : "global";
}  // namespace

const char* attach() {
  std::lock_guard lock(g_mutex);
  if (g_processor) return kFlavour;
  auto processor = std::make_shared<AllocProcessor>();
  auto& tracker = tt::tt_metal::GraphTracker::instance();
#if TT_ALLOC_HAVE_BACKGROUND_PROCESSORS
  tracker.add_background_processor(processor);
#else
  tracker.push_processor(processor);
#endif
  g_processor = std::move(processor);
  return kFlavour;
}

bool detach() {
  std::lock_guard lock(g_mutex);
  if (!g_processor) return false;
  auto& tracker = tt::tt_metal::GraphTracker::instance();
#if TT_ALLOC_HAVE_BACKGROUND_PROCESSORS
  tracker.remove_background_processor(g_processor);
#else
  tracker.pop_processor();
#endif
  g_retired_callbacks += g_processor->callbacks();
  g_processor.reset();
  return true;
}

bool attached() {
  std::lock_guard lock(g_mutex);
  return g_processor != nullptr;
}

uint64_t callbacks() {
  std::lock_guard lock(g_mutex);
  return g_retired_callbacks + (g_processor ? g_processor->callbacks() : 0);
}

}  // namespace tt_alloc::processor
