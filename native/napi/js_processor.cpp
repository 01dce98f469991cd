// JS_ functions of the graph-tracking processor's registration (native/processor/registration.hpp).
// The processor is attached when the addon loads; these let tests detach it and count its callbacks.
#include <napi.h>

#include "../processor/registration.hpp"
#include "modules.hpp"

namespace tt_alloc::js {
namespace {

Napi::Value JS_attach(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), processor::attach());
}

Napi::Value JS_detach(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), processor::detach());
}

Napi::Value JS_attached(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), processor::attached());
}

Napi::Value JS_callbacks(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), double(processor::callbacks()));
}

}  // namespace

void InitProcessor(Napi::Env env, Napi::Object exports) {
  const char* flavour = processor::attach();
  Napi::Object o = Napi::Object::New(env);
  o.Set("registration", Napi::String::New(env, flavour));
  o.Set("attach", Napi::Function::New(env, JS_attach, "attach"));
  o.Set("detach", Napi::Function::New(env, JS_detach, "detach"));
  o.Set("attached", Napi::Function::New(env, JS_attached, "attached"));
  o.Set("callbacks", Napi::Function::New(env, JS_callbacks, "callbacks"));
  exports.Set("processor", o);
}

}  // namespace tt_alloc::js
