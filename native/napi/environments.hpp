// Node environments (the main thread, each worker thread) that loaded the addon, and which one owns
// the consumer side of the process-wide tracker (docs/threads.md).
//
// The ring, collector, intern table and simulated runtime exist once per process, as the device runtime
// does. Any environment may load the addon, push marks, drive the simulator and read stats. The
// environment whose enable() succeeded owns the event stream until it calls disable() or is torn
// down (its cleanup hook then disables tracking and discards what it left pending). While it owns
// it, enable() and disable() from any other environment throw ERR_TRACKER_OWNED naming the owner,
// and drain() there returns nothing: the events belong to the owner's report.
#pragma once
#include <napi.h>

#include <cstdint>
#include <functional>
#include <string>

#include "../collector.hpp"

namespace tt_alloc::js {

// Per-environment instance data and cleanup hook; called once from each environment's Init.
void RegisterEnvironment(Napi::Env env);

// enable() from `env`, whose JS layer calls itself `label` (e.g. "worker thread 3").
void EnableFrom(Napi::Env env, const std::string& label, const CollectorConfig& config);
// disable() from `env`: throws ERR_TRACKER_OWNED if another environment owns enabled tracking.
void DisableFrom(Napi::Env env);
// drain() from `env`: the owner (or anyone while nobody owns) gets every pending event; any other
// environment gets none (and `remaining` 0). `reset`, `max_events`, `remaining`: as Collector::drain.
// Returns events copied.
size_t DrainFrom(Napi::Env env, bool reset, const std::function<void*(size_t)>& allocate,
                 size_t max_events = SIZE_MAX, uint64_t* remaining = nullptr);
// Label of the environment that has tracking enabled, empty when none.
std::string OwnerLabel();

}  // namespace tt_alloc::js
