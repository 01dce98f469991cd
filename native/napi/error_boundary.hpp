// The one boundary between native failures and JS. Every function the addon exports is registered with
// Export(), which runs it inside Guard: whatever it throws reaches JS as an Error with a string `code`
// (docs/api.md, TrackerError), which lib/native.ts turns into a TrackerError. Nothing aborts the process.
// Which C++ exception becomes which code is decided in one table, Classify() (error_boundary.cpp).
#pragma once
#include <napi.h>

#include <exception>
#include <stdexcept>
#include <string>

namespace tt_alloc::js {

// The codes the N-API layer gives (docs/api.md lists each with what throws it). The simulated runtime's
// ERR_SIM_* codes travel in its SimError (native/sim/sim_error.hpp).
namespace code {
inline constexpr const char* kTrackerOwned = "ERR_TRACKER_OWNED";
inline constexpr const char* kRecordOpen = "ERR_RECORD_OPEN";
inline constexpr const char* kRecordSpace = "ERR_RECORD_SPACE";
inline constexpr const char* kProducersBusy = "ERR_PRODUCERS_BUSY";
inline constexpr const char* kNoProducerRun = "ERR_NO_PRODUCER_RUN";
inline constexpr const char* kOutOfMemory = "ERR_NATIVE_OUT_OF_MEMORY";
inline constexpr const char* kThreadStart = "ERR_NATIVE_THREAD";
inline constexpr const char* kCApiUnavailable = "ERR_C_API_UNAVAILABLE";
inline constexpr const char* kArgument = "ERR_NATIVE_ARGUMENT";
inline constexpr const char* kInternal = "ERR_NATIVE_INTERNAL";
inline constexpr const char* kSimInternal = "ERR_SIM_INTERNAL";
}  // namespace code

// A failure the N-API layer detects itself, with its code (one of code::k*).
class CodedFailure : public std::runtime_error {
 public:
  CodedFailure(const char* code, const std::string& message) : std::runtime_error(message), code_(code) {}
  const char* code() const noexcept { return code_; }

 private:
  const char* code_;  // a string literal
};

// Where a function belongs decides the code of a failure nothing else classifies (a bug): the simulated
// runtime's functions (sim.*, its worker threads) say ERR_SIM_INTERNAL, all others ERR_NATIVE_INTERNAL.
enum class Domain { Tracker, Sim };

struct Failure {
  const char* code;
  std::string message;
};

// The table: a C++ exception (never a Napi::Error) → code and message. Touches no JS value, so an
// AsyncWorker's Execute() may call it on its pool thread.
Failure Classify(std::exception_ptr error, Domain domain);

// The JS Error for a failure, with its `code` (JS thread).
Napi::Error ToJsError(Napi::Env env, const Failure& failure);

// Called from a catch (...) on the JS thread: rethrows the exception in flight as a Napi::Error with a
// code. A Napi::Error (node-addon-api's own, e.g. "A number was expected" for an argument of the wrong
// type, or a JS exception raised during the call) keeps its class and message, and gets
// ERR_NATIVE_ARGUMENT when it has no code; anything else goes through Classify().
[[noreturn]] void RethrowAsJs(Napi::Env env, Domain domain);

using Callback = Napi::Value (*)(const Napi::CallbackInfo&);

template <Callback Fn, Domain D>
Napi::Value Guard(const Napi::CallbackInfo& info) {
  try {
    return Fn(info);
  } catch (...) {
    RethrowAsJs(info.Env(), D);
  }
}

// Sets object[name] to a JS function that runs Fn inside Guard; the only way the addon exports one.
template <Callback Fn, Domain D = Domain::Tracker>
void Export(Napi::Env env, Napi::Object object, const char* name) {
  object.Set(name, Napi::Function::New(env, Guard<Fn, D>, name));
}

}  // namespace tt_alloc::js
