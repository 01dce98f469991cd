// The flat init list of the addon: each file under native/napi/ registers its JS_ functions here, each
// with Export() (error_boundary.hpp), so every one runs inside the error boundary.
#pragma once
#include <napi.h>

#include "error_boundary.hpp"

namespace tt_alloc::js {
void InitTracker(Napi::Env env, Napi::Object exports);
void InitTesting(Napi::Env env, Napi::Object exports);
// Stops and joins the threads of a startBackgroundProducers() run still going (environment teardown,
// process exit); a no-op otherwise.
void StopBackgroundProducers() noexcept;
void InitSim(Napi::Env env, Napi::Object exports);  // native/napi/js_sim.cpp: the embedded runtime
// native/napi/js_processor.cpp: attaches the processor; called from InitSim (sim build) or from
// native/tt-metal/js_runtime.cpp (real TT-Metal build), so addon.cpp stays the same for both.
void InitProcessor(Napi::Env env, Napi::Object exports);
// native/napi/js_sim_thread.cpp: test-only sim.allocFreeOnThread; called from InitSim.
void InitSimThread(Napi::Env env, Napi::Object sim);
}  // namespace tt_alloc::js
