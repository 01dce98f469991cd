#include "modules.hpp"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  tt_alloc::js::InitTracker(env, exports);
  tt_alloc::js::InitTesting(env, exports);
  tt_alloc::js::InitSim(env, exports);
  return exports;
}
}  // namespace

NODE_API_MODULE(tt_alloc_tracker, Init)
