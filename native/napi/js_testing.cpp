// Native test producers for tests and benchmarks: they push through exactly the path the runtime uses.
#include <dlfcn.h>
#include <napi.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "../c_api.h"
#include "../collector.hpp"
#include "../crc32c.hpp"
#include "../producer.hpp"
#if defined(TT_ALLOC_SIM) && TT_ALLOC_SIM
#include "../sim/buffer.hpp"
#endif
#include "modules.hpp"

namespace tt_alloc::js {
namespace {

struct PushCount {
  uint64_t pushed = 0, dropped = 0;
};

// Object ids of synthetic buffers: each call reserves threads × pairs consecutive ids and thread t takes
// the t-th range. With the embedded simulator they come from its unique-id counter: dense from 1 like
// TT-Metal's unique_id (the aggregator keeps such ids in its bitset, as it would a real runtime's), and
// never the id of a simulator buffer in the same process. A real TT-Metal's counter is private, so there
// they start at 2^40 (no collision; the aggregator keeps ids that high in a Set, which is slower).
uint64_t ReserveIds(uint32_t threads, uint64_t per_thread) {
#if defined(TT_ALLOC_SIM) && TT_ALLOC_SIM
  return tt::tt_metal::Buffer::reserve_unique_ids(threads * per_thread);
#else
  static std::atomic<uint64_t> next{uint64_t(1) << 40};
  return next.fetch_add(threads * per_thread);
#endif
}

// Paced producers push bursts of this many pairs (256 events), then sleep until their schedule catches up.
constexpr uint64_t kPaceBurstPairs = 128;

// One producer: `pairs` allocate/free pairs of 1 KiB DRAM buffers on device 0, each freed right after
// its allocation, so current bytes return to 0 when nothing was dropped. `rate` > 0: offer that many
// events/s. The schedule is absolute (burst k is due at start + k × 256 / rate), so oversleeping (timer
// slack, ~50 µs by default) or being descheduled is made up by the next bursts running back to back: the
// average rate is exact, and the finest grain of the offered load is the sleep's resolution. Sleeping,
// not spinning, leaves the cores to the collector and the JS thread.
// `stop` (background producers): checked between bursts; set, the producer ends early.
PushCount ProducePairs(uint64_t first_id, uint32_t thread, uint64_t pairs, double rate = 0,
                       const std::atomic<bool>* stop = nullptr) {
  PushCount count;
  BufferFields b{};
  b.device = 0;
  b.type = MemType::DRAM;
  b.size = 1024;
  b.page_size = 1024;
  const auto start = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < pairs; ++i) {
    if (i % kPaceBurstPairs == 0 && stop != nullptr && stop->load(std::memory_order_relaxed)) break;
    if (rate > 0 && i % kPaceBurstPairs == 0 && i > 0) {
      const auto due = start + std::chrono::nanoseconds(int64_t(double(2 * i) * 1e9 / rate));
      if (due > std::chrono::steady_clock::now()) std::this_thread::sleep_until(due);
    }
    b.id = first_id + i;
    b.address = (uint64_t(thread) << 28) + (i & 0xFFFF) * 1024;  // 256 MiB apart: threads never overlap
    count.dropped += !emit_alloc(b);
    count.dropped += !emit_free(b);
    count.pushed += 2;
  }
  return count;
}

// emitSynthetic({ threads, perThread, onCallingThread }) → { pushed, dropped }
Napi::Value JS_emitSynthetic(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object opts = info[0].As<Napi::Object>();
  const uint32_t threads = opts.Get("threads").As<Napi::Number>().Uint32Value();
  const uint64_t per_thread = uint64_t(opts.Get("perThread").As<Napi::Number>().Int64Value());
  const bool on_calling_thread = opts.Get("onCallingThread").ToBoolean();
  const uint64_t first_id = ReserveIds(threads, per_thread);

  std::vector<PushCount> counts(threads);
  if (on_calling_thread) {
    for (uint32_t t = 0; t < threads; ++t) counts[t] = ProducePairs(first_id + t * per_thread, t, per_thread);
  } else {
    std::vector<std::thread> workers;
    try {
      for (uint32_t t = 0; t < threads; ++t)
        workers.emplace_back([&counts, first_id, t, per_thread] {
          counts[t] = ProducePairs(first_id + t * per_thread, t, per_thread);
        });
    } catch (const std::system_error& e) {
      for (auto& w : workers) w.join();
      throw CodedFailure(code::kThreadStart, std::string("emitSynthetic: could not start a thread: ") + e.what());
    }
    for (auto& w : workers) w.join();
  }
  PushCount total;
  for (const auto& c : counts) {
    total.pushed += c.pushed;
    total.dropped += c.dropped;
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("pushed", double(total.pushed));
  out.Set("dropped", double(total.dropped));
  return out;
}

// pushViaCApi(addonPath, count): finds the exported C ABI with dlopen/dlsym, as foreign native code
// would, and pushes `count` Mark events through it. Returns how many were accepted.
Napi::Value JS_pushViaCApi(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string path = info[0].As<Napi::String>().Utf8Value();
  const uint32_t count = info[1].As<Napi::Number>().Uint32Value();
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (handle == nullptr)
    throw CodedFailure(code::kCApiUnavailable, std::string("pushViaCApi: dlopen failed: ") + dlerror());
  auto push = reinterpret_cast<int (*)(tt_alloc_event*)>(dlsym(handle, "tt_alloc_push"));
  auto intern = reinterpret_cast<uint32_t (*)(const char*, size_t)>(dlsym(handle, "tt_alloc_intern"));
  if (push == nullptr || intern == nullptr) {
    dlclose(handle);
    throw CodedFailure(code::kCApiUnavailable, "pushViaCApi: tt_alloc_push or tt_alloc_intern is not exported");
  }
  const uint32_t name = intern("c-api", 5);
  uint32_t accepted = 0;
  for (uint32_t i = 0; i < count; ++i) {
    tt_alloc_event e{};
    e.kind = uint8_t(EventKind::Mark);
    e.mem_type = uint8_t(MemType::None);
    e.layout = 255;
    e.aux = name;
    e.object_id = i;
    e.flags = (i & 1) ? kFlagScopeEnd : 0;
    accepted += push(&e) == 1;
  }
  dlclose(handle);
  return Napi::Number::New(env, accepted);
}

// Background producers for the end-to-end benchmark: threads that push while the JS thread keeps
// draining and aggregating (emitSynthetic joins its threads, so JS cannot drain meanwhile). One run
// at a time; the JS thread polls backgroundResult() between drains. A run still going when its
// environment is torn down, or when the process exits, is stopped and joined (StopBackgroundProducers):
// a joinable std::thread destroyed at exit calls std::terminate (exit 134).
struct BackgroundRun {
  std::mutex mu;  // guards threads and counts against a concurrent start/result; producers never take it
  std::vector<std::thread> threads;
  std::vector<PushCount> counts;
  std::atomic<uint32_t> running{0};
  std::atomic<bool> stop{false};
  std::chrono::steady_clock::time_point start;
  std::atomic<int64_t> end_ns{0};  // steady_clock ns when the last producer finished
};
// Leaked on purpose, like the Collector: no destructor runs at exit while a producer may still run.
BackgroundRun& g_background = *new BackgroundRun();

// startBackgroundProducers({ threads, perThread, ratePerSec }): starts the threads and returns at once.
// ratePerSec 0: flat out; else the events/s of all threads together, shared evenly.
Napi::Value JS_startBackgroundProducers(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object opts = info[0].As<Napi::Object>();
  const uint32_t threads = opts.Get("threads").As<Napi::Number>().Uint32Value();
  const uint64_t per_thread = uint64_t(opts.Get("perThread").As<Napi::Number>().Int64Value());
  const double rate_per_thread = opts.Get("ratePerSec").As<Napi::Number>().DoubleValue() / threads;
  BackgroundRun& run = g_background;
  std::lock_guard lock(run.mu);
  if (!run.threads.empty())
    throw CodedFailure(code::kProducersBusy, "startBackgroundProducers: a run is still in progress");
  static std::once_flag exit_hook;
  std::call_once(exit_hook, [] { std::atexit(StopBackgroundProducers); });
  // Environment teardown (a worker's end, the main thread's normal end) stops a run it left going.
  env.AddCleanupHook([] { StopBackgroundProducers(); });
  run.stop.store(false);
  const uint64_t first_id = ReserveIds(threads, per_thread);
  run.counts.assign(threads, PushCount{});
  run.running.store(threads);
  run.start = std::chrono::steady_clock::now();
  try {
    for (uint32_t t = 0; t < threads; ++t)
      run.threads.emplace_back([&run, first_id, t, per_thread, rate_per_thread] {
        run.counts[t] = ProducePairs(first_id + t * per_thread, t, per_thread, rate_per_thread, &run.stop);
        const int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
        if (run.running.fetch_sub(1) == 1) run.end_ns.store(now);
      });
  } catch (const std::system_error& e) {
    for (auto& w : run.threads) w.join();
    run.threads.clear();
    throw CodedFailure(code::kThreadStart,
                       std::string("startBackgroundProducers: could not start a thread: ") + e.what());
  }
  return env.Undefined();
}

// backgroundResult() → null while producers run, else { pushed, dropped, elapsedNs } once (joins them).
Napi::Value JS_backgroundResult(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BackgroundRun& run = g_background;
  std::lock_guard lock(run.mu);
  if (run.threads.empty()) throw CodedFailure(code::kNoProducerRun, "backgroundResult: no run was started");
  if (run.running.load() != 0) return env.Null();
  for (auto& w : run.threads) w.join();
  run.threads.clear();
  PushCount total;
  for (const auto& c : run.counts) {
    total.pushed += c.pushed;
    total.dropped += c.dropped;
  }
  const int64_t start_ns = run.start.time_since_epoch().count();
  Napi::Object out = Napi::Object::New(env);
  out.Set("pushed", double(total.pushed));
  out.Set("dropped", double(total.dropped));
  out.Set("elapsedNs", double(run.end_ns.load() - start_ns));
  return out;
}

// publishProgress(): the current ring's claimed position → its header's user counter. A crash test's
// child calls it between operations (when no push of its own is in flight), so the counter is a
// position every event before which was published.
Napi::Value JS_publishProgress(const Napi::CallbackInfo& info) {
  Collector::instance().publish_progress();
  return info.Env().Undefined();
}

// crc32c(Uint8Array) → the native journal checksum, to test it against lib/journal/crc32c.ts.
Napi::Value JS_crc32c(const Napi::CallbackInfo& info) {
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  return Napi::Number::New(info.Env(), crc32c(0, bytes.Data(), bytes.ByteLength()));
}

}  // namespace

void StopBackgroundProducers() noexcept {
  BackgroundRun& run = g_background;
  std::lock_guard lock(run.mu);
  if (run.running.load() == 0) return;  // finished (or never started): backgroundResult() joins them
  run.stop.store(true);
  for (auto& w : run.threads) w.join();
  run.threads.clear();
  run.stop.store(false);
}

void InitTesting(Napi::Env env, Napi::Object exports) {
  Napi::Object testing = Napi::Object::New(env);
  Export<JS_emitSynthetic>(env, testing, "emitSynthetic");
  Export<JS_pushViaCApi>(env, testing, "pushViaCApi");
  Export<JS_startBackgroundProducers>(env, testing, "startBackgroundProducers");
  Export<JS_backgroundResult>(env, testing, "backgroundResult");
  Export<JS_publishProgress>(env, testing, "publishProgress");
  Export<JS_crc32c>(env, testing, "crc32c");
  exports.Set("testing", testing);
}

}  // namespace tt_alloc::js
