// The embedded runtime's JS surface lands here (issue: embedded device runtime).
#include "modules.hpp"

namespace tt_alloc::js {
void InitSim(Napi::Env, Napi::Object) {}
}  // namespace tt_alloc::js
