// JS_ functions of the graph-tracking processor's registration (native/processor/registration.hpp).
// The processor is attached when the addon loads (on the loading thread: with per-thread processors
// every Node environment's thread attaches itself); these let tests detach it, count its callbacks,
// and let the report say what the registration covers (lib/processor-report.ts).
#include <napi.h>

#include "../processor/registration.hpp"
#include "../processor/tt_api.hpp"
#include "modules.hpp"

#if defined(TT_ALLOC_SIM) && TT_ALLOC_SIM
#include "../c_api.h"
#include "../producer.hpp"
#include "promise_worker.hpp"
#include "sim_registry.hpp"
#endif

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

Napi::Value JS_attachThisThread(const Napi::CallbackInfo& info) {
  processor::attach_this_thread();
  return Napi::Boolean::New(info.Env(), processor::this_thread_covered());
}

Napi::Value JS_detachThisThread(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), processor::detach_this_thread());
}

// GraphTracker::is_enabled() on the calling thread: TT-Metal (and ttnn's is_graph_capture_active())
// reads it as "a graph capture is running"; with only this processor registered it must stay false.
Napi::Value JS_runtimeCaptureEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), tt::tt_metal::GraphTracker::instance().is_enabled());
}

// What the build was compiled against: the runtime, the TT_ALLOC_HAVE_* features (tt_api.hpp) and the
// registration's state now.
Napi::Value JS_info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
#if defined(TT_ALLOC_SIM) && TT_ALLOC_SIM
  o.Set("runtime", "simulator");
#else
  o.Set("runtime", "tt-metal");
#endif
  o.Set("registration", processor::flavour());
  o.Set("attached", processor::attached());
  o.Set("attachedThreads", double(processor::attached_threads()));
  Napi::Object f = Napi::Object::New(env);
  f.Set("threadLocalProcessors", bool(TT_ALLOC_HAVE_THREAD_LOCAL_PROCESSORS));
  f.Set("backgroundProcessors", bool(TT_ALLOC_HAVE_BACKGROUND_PROCESSORS));
  f.Set("captureProcessorFlag", bool(TT_ALLOC_HAVE_CAPTURE_PROCESSOR_FLAG));
  f.Set("bufferViews", bool(TT_ALLOC_HAVE_BUFFER_VIEWS));
  f.Set("allocatorStats", bool(TT_ALLOC_HAVE_ALLOCATOR_STATS));
  f.Set("meshDevice", bool(TT_ALLOC_HAVE_MESH_DEVICE));
  f.Set("trackedArgument", bool(TT_ALLOC_HAVE_TRACKED_ARGUMENT));
  o.Set("features", f);
  return o;
}

#if defined(TT_ALLOC_SIM) && TT_ALLOC_SIM
// Test-only: one of each runtime event on a libuv pool thread (a buffer, a program with one CB
// launched inside an op scope, then both destroyed), optionally with the thread attached through the
// C ABI first (and detached after: pool threads are reused). Resolves to the thread's record index; a
// failure (no such device) rejects with its code.
class WorkloadWorker final : public PromiseWorker {
 public:
  WorkloadWorker(Napi::Env env, int device, bool attach)
      : PromiseWorker(env, Domain::Sim), device_(device), attach_(attach) {}

 protected:
  void Run() override {
    if (attach_) covered_ = tt_alloc_attach_this_thread() == 1;
    try {
      Workload();
    } catch (...) {
      Finish();
      throw;
    }
    Finish();
  }
  Napi::Value Result(Napi::Env env) override {
    Napi::Object out = Napi::Object::New(env);
    out.Set("thread", double(thread_));
    out.Set("covered", covered_);
    return out;
  }

 private:
  void Workload() {
    std::lock_guard lock(registry().mutex);
    tm::IDevice& device = registry().device(device_, false);
    auto& tracker = tm::GraphTracker::instance();
    tracker.track_function_start("thread.op");
    auto buffer = tm::Buffer::create(&device, 4096, 4096, tm::BufferType::DRAM);
    {
      // ttnn's device-operation path without its program cache, so the program dies here: in the
      // default generation (2026-04) its destructor reports track_deallocate_cb per chip.
      auto program = std::make_shared<tm::Program>();
      tm::CircularBufferConfig cb;
      cb.cores = tm::CoreRangeSet({tm::CoreRange{{0, 0}, {0, 0}}});
      cb.size = 2048;
      program->add_circular_buffer(cb);
      tracker.track_program(program.get(), &device);
      program->enqueue(&device);
    }
    buffer->deallocate();
    tracker.track_function_end();
  }
  // Whether the workload finished or threw: the thread's record index, and detached again (pool
  // threads are reused).
  void Finish() {
    thread_ = this_thread_index();
    if (attach_) tt_alloc_detach_this_thread();
  }

  const int device_;
  const bool attach_;
  bool covered_ = false;
  uint16_t thread_ = 0;
};

Napi::Value JS_workloadOnThread(const Napi::CallbackInfo& info) {
  return PromiseWorker::Start(
      new WorkloadWorker(info.Env(), info[0].As<Napi::Number>().Int32Value(), info[1].ToBoolean()));
}
#endif

}  // namespace

void InitProcessor(Napi::Env env, Napi::Object exports) {
  const char* flavour = processor::attach();
  Napi::Object o = Napi::Object::New(env);
  o.Set("registration", Napi::String::New(env, flavour));
  Export<JS_attach>(env, o, "attach");
  Export<JS_detach>(env, o, "detach");
  Export<JS_attached>(env, o, "attached");
  Export<JS_callbacks>(env, o, "callbacks");
  Export<JS_attachThisThread>(env, o, "attachThisThread");
  Export<JS_detachThisThread>(env, o, "detachThisThread");
  Export<JS_info>(env, o, "info");
  Export<JS_runtimeCaptureEnabled>(env, o, "runtimeCaptureEnabled");
#if defined(TT_ALLOC_SIM) && TT_ALLOC_SIM
  Export<JS_workloadOnThread, Domain::Sim>(env, o, "workloadOnThread");
#endif
  exports.Set("processor", o);
}

}  // namespace tt_alloc::js
