// Real-TT-Metal build (CMake without TT_ALLOC_SIM): there is no embedded runtime to drive, so InitSim
// only registers the processor with TT-Metal's GraphTracker when the addon loads and says so.
#include "../napi/modules.hpp"

namespace tt_alloc::js {

void InitSim(Napi::Env env, Napi::Object exports) {
  InitProcessor(env, exports);
  exports.Set("simAvailable", Napi::Boolean::New(env, false));
}

}  // namespace tt_alloc::js
