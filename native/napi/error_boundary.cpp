#include "error_boundary.hpp"

#include <new>

#include "../journal.hpp"
#if defined(TT_ALLOC_SIM) && TT_ALLOC_SIM
#include "../sim/sim_error.hpp"
#endif

namespace tt_alloc::js {

// The table, most derived type first (RecordSpaceError is a JournalOpenError). "internal" below is
// ERR_SIM_INTERNAL with "simulated runtime: " for Domain::Sim, else ERR_NATIVE_INTERNAL with
// "tt-alloc-tracker: internal error: ".
//   exception                     code                       message
//   CodedFailure                  its own                    what()
//   tt::tt_metal::SimError (sim)  its own ERR_SIM_*          what()
//   RecordSpaceError              ERR_RECORD_SPACE           "tt-alloc-tracker: cannot record: " + what()
//   JournalOpenError              ERR_RECORD_OPEN            "tt-alloc-tracker: cannot record: " + what()
//   std::bad_alloc                ERR_NATIVE_OUT_OF_MEMORY   "tt-alloc-tracker: out of memory"
//   any other std::exception      internal                   its prefix + what()
//   anything else                 internal                   its prefix + "unknown exception"
Failure Classify(std::exception_ptr error, Domain domain) {
  const char* internal = domain == Domain::Sim ? code::kSimInternal : code::kInternal;
  const std::string prefix = domain == Domain::Sim ? "simulated runtime: " : "tt-alloc-tracker: internal error: ";
  try {
    std::rethrow_exception(error);
  } catch (const CodedFailure& e) {
    return {e.code(), e.what()};
#if defined(TT_ALLOC_SIM) && TT_ALLOC_SIM
  } catch (const tt::tt_metal::SimError& e) {
    return {e.code(), e.what()};
#endif
  } catch (const RecordSpaceError& e) {
    return {code::kRecordSpace, std::string("tt-alloc-tracker: cannot record: ") + e.what()};
  } catch (const JournalOpenError& e) {
    return {code::kRecordOpen, std::string("tt-alloc-tracker: cannot record: ") + e.what()};
  } catch (const std::bad_alloc&) {
    return {code::kOutOfMemory, "tt-alloc-tracker: out of memory"};
  } catch (const std::exception& e) {
    return {internal, prefix + e.what()};
  } catch (...) {
    return {internal, prefix + "unknown exception"};
  }
}

Napi::Error ToJsError(Napi::Env env, const Failure& failure) {
  Napi::Error error = Napi::Error::New(env, failure.message);
  error.Set("code", Napi::String::New(env, failure.code));
  return error;
}

void RethrowAsJs(Napi::Env env, Domain domain) {
  try {
    throw;
  } catch (Napi::Error& error) {
    // A thrown primitive (a JS `throw 1` during the call) has nowhere to carry a code; it goes as it is.
    try {
      Napi::Object value = error.Value();
      if (value.IsObject() && !value.Get("code").IsString()) value.Set("code", Napi::String::New(env, code::kArgument));
    } catch (...) {
      // An object whose `code` cannot be read or written (a throwing accessor) also goes as it is.
    }
    throw;
  } catch (...) {
    throw ToJsError(env, Classify(std::current_exception(), domain));
  }
}

}  // namespace tt_alloc::js
