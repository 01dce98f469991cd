#include "environments.hpp"

#include <mutex>

#include "../producer.hpp"
#include "error_boundary.hpp"

namespace tt_alloc::js {
namespace {

// What each environment keeps as its instance data: its id (never reused within the process).
struct EnvironmentData {
  uint64_t id;
};

// Process-wide: who owns the consumer side. One mutex, taken by enable/disable/drain and teardown,
// never by producers.
struct Environments {
  std::mutex mutex;
  uint64_t next_id = 1;
  uint64_t live = 0;        // environments that loaded the addon and are not torn down
  uint64_t owner = 0;       // the environment with tracking enabled; 0 = nobody
  std::string owner_label;
  uint64_t last_owner = 0;  // whose events are pending after it disabled (0 = nobody's)
};

Environments& environments() {
  // Leaked on purpose, like the Collector: a worker's cleanup hook may run during process exit.
  static Environments* e = new Environments();
  return *e;
}

uint64_t IdOf(Napi::Env env) { return env.GetInstanceData<EnvironmentData>()->id; }

CodedFailure OwnedError(const std::string& action, const std::string& owner) {
  const std::string reason = ", which owns the event stream (one Node environment per process consumes events). ";
  return CodedFailure(code::kTrackerOwned, "tt-alloc-tracker: " + action + " refused: tracking is enabled by " + owner +
                                               reason + "Call disable() in " + owner +
                                               " first, or enable and report there.");
}

// Cleanup hook: runs on the environment's own thread when it is torn down (worker exit or
// terminate(), main thread exit). If it owns tracking, tracking stops; the events it left pending
// are discarded (counted in stats().discarded): its aggregator is gone, and the next owner's report
// must not start with them.
void OnTeardown(uint64_t id) {
  Environments& e = environments();
  std::lock_guard lock(e.mutex);
  Collector& collector = Collector::instance();
  if (e.owner == id) {
    collector.disable();
    e.owner = 0;
    e.owner_label.clear();
  }
  if (e.last_owner == id) {
    collector.discard();
    e.last_owner = 0;
  }
  // The last environment: stop the collector thread, so no thread of ours outlives every consumer
  // (a later environment's enable() starts it again).
  if (--e.live == 0) collector.shutdown();
}

}  // namespace

void RegisterEnvironment(Napi::Env env) {
  Environments& e = environments();
  uint64_t id;
  {
    std::lock_guard lock(e.mutex);
    id = e.next_id++;
    ++e.live;
  }
  env.SetInstanceData(new EnvironmentData{id});  // deleted by node-addon-api's default finalizer
  env.AddCleanupHook([id] { OnTeardown(id); });
}

void EnableFrom(Napi::Env env, const std::string& label, const CollectorConfig& config) {
  Environments& e = environments();
  const uint64_t id = IdOf(env);
  std::lock_guard lock(e.mutex);
  if (e.owner != 0 && e.owner != id)
    throw OwnedError(label.empty() ? "enable()" : "enable() in " + label, e.owner_label);
  // Events another environment left pending (stragglers after its disable()) are its own, not ours.
  if (e.last_owner != 0 && e.last_owner != id) Collector::instance().discard();
  Collector::instance().enable(config);
  e.owner = e.last_owner = id;
  e.owner_label = label.empty() ? "Node environment #" + std::to_string(id) : label;
}

void DisableFrom(Napi::Env env) {
  Environments& e = environments();
  const uint64_t id = IdOf(env);
  std::lock_guard lock(e.mutex);
  if (e.owner != 0 && e.owner != id) throw OwnedError("disable()", e.owner_label);
  Collector::instance().disable();
  e.owner = 0;
  e.owner_label.clear();
}

size_t DrainFrom(Napi::Env env, bool reset, const std::function<void*(size_t)>& allocate, size_t max_events,
                 uint64_t* remaining) {
  Environments& e = environments();
  const uint64_t id = IdOf(env);
  std::lock_guard lock(e.mutex);
  if (e.owner != 0 && e.owner != id) {
    allocate(0);
    if (remaining) *remaining = 0;
    return 0;
  }
  return Collector::instance().drain(allocate, reset, max_events, remaining);
}

std::string OwnerLabel() {
  Environments& e = environments();
  std::lock_guard lock(e.mutex);
  return e.owner_label;
}

}  // namespace tt_alloc::js
