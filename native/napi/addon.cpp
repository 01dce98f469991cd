#include "environments.hpp"
#include "modules.hpp"

namespace {
// Runs once per Node environment (main thread, each worker): no per-environment state lives in
// globals; what is process-wide by nature (ring, collector, simulated runtime) is shared on purpose.
// A failure here (the processor's registration) fails the require() with a coded error, like a call.
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  try {
    tt_alloc::js::RegisterEnvironment(env);
    tt_alloc::js::InitTracker(env, exports);
    tt_alloc::js::InitTesting(env, exports);
    tt_alloc::js::InitSim(env, exports);
  } catch (...) {
    tt_alloc::js::RethrowAsJs(env, tt_alloc::js::Domain::Tracker);
  }
  return exports;
}
}  // namespace

NODE_API_MODULE(tt_alloc_tracker, Init)
