// Test-only: drives the simulated runtime from a second native thread (a libuv pool thread), so a test
// can drain on the JS thread while another thread allocates, and check that every event of a runtime
// thread reaches the tracker (the processor's process-wide registration) exactly once.
#include <napi.h>

#include "../producer.hpp"
#include "../sim/buffer.hpp"
#include "../sim/sim_error.hpp"
#include "modules.hpp"
#include "promise_worker.hpp"
#include "sim_registry.hpp"

namespace tt_alloc::js {
namespace {

class AllocFreeWorker final : public PromiseWorker {
 public:
  AllocFreeWorker(Napi::Env env, int device, uint32_t pairs, uint64_t size, tm::BufferType type)
      : PromiseWorker(env, Domain::Sim), device_(device), pairs_(pairs), size_(size), type_(type) {}

 protected:
  // Pool thread: `pairs` allocate-then-free of one buffer, each step under the registry mutex as the
  // JS_ functions take it, so JS may use the simulator meanwhile.
  void Run() override {
    for (uint32_t i = 0; i < pairs_; ++i) {
      std::lock_guard lock(registry().mutex);
      auto buffer = tm::Buffer::create(&registry().chip(device_), size_, size_, type_);
      buffer->deallocate();
      ++done_;
    }
    thread_ = this_thread_index();
  }

  Napi::Value Result(Napi::Env env) override {
    Napi::Object out = Napi::Object::New(env);
    out.Set("pairs", double(done_));
    out.Set("thread", double(thread_));
    return out;
  }

 private:
  const int device_;
  const uint32_t pairs_;
  const uint64_t size_;
  const tm::BufferType type_;
  uint32_t done_ = 0;
  uint16_t thread_ = 0;
};

// allocFreeOnThread(deviceId, pairs, size, type) → Promise<{ pairs, thread }>: `thread` is the pool
// thread's index in event records. A failure (no such device, out of memory) rejects with its code.
Napi::Value JS_allocFreeOnThread(const Napi::CallbackInfo& info) {
  return PromiseWorker::Start(new AllocFreeWorker(
      info.Env(), info[0].As<Napi::Number>().Int32Value(), info[1].As<Napi::Number>().Uint32Value(),
      uint64_t(info[2].As<Napi::Number>().Int64Value()), tm::BufferType(info[3].As<Napi::Number>().Int32Value())));
}

}  // namespace

void InitSimThread(Napi::Env env, Napi::Object sim) {
  Export<JS_allocFreeOnThread, Domain::Sim>(env, sim, "allocFreeOnThread");
}

}  // namespace tt_alloc::js
