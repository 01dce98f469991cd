// JS errors with a stable `code` (docs/api.md#errors), which lib/native.ts nativeCall() turns into
// a TrackerError. Every N-API file gets it through modules.hpp.
#pragma once
#include <napi.h>

#include <string>

namespace tt_alloc::js {
inline Napi::Error CodedError(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  return error;
}
}  // namespace tt_alloc::js
