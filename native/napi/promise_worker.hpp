// A test-only job on a libuv pool thread whose result is a Promise. Its failures go through the error
// boundary's table (error_boundary.hpp), so a rejection carries a `code` like a synchronous throw.
#pragma once
#include <napi.h>

#include "error_boundary.hpp"

namespace tt_alloc::js {

class PromiseWorker : public Napi::AsyncWorker {
 public:
  // Queues the worker (it deletes itself after OnOK / OnError) and returns its promise.
  static Napi::Promise Start(PromiseWorker* worker) {
    Napi::Promise promise = worker->deferred_.Promise();
    worker->Queue();
    return promise;
  }

 protected:
  PromiseWorker(Napi::Env env, Domain domain)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), domain_(domain) {}

  // Pool thread: the job. No JS value may be touched here.
  virtual void Run() = 0;
  // JS thread, after Run() returned: the value the promise resolves to.
  virtual Napi::Value Result(Napi::Env env) = 0;

 private:
  void Execute() final {
    try {
      Run();
    } catch (...) {
      failure_ = Classify(std::current_exception(), domain_);
      SetError(failure_.message);
    }
  }
  void OnOK() final { deferred_.Resolve(Result(Env())); }
  void OnError(const Napi::Error&) final { deferred_.Reject(ToJsError(Env(), failure_).Value()); }

  Napi::Promise::Deferred deferred_;
  const Domain domain_;
  Failure failure_{code::kInternal, ""};
};

}  // namespace tt_alloc::js
