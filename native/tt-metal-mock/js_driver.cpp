// Node-API surface of the mock-device driver (driver.hpp): a separate module, loaded next to the
// addon's TT-Metal build by test/tt-metal-mock*.test.ts. Every TT-Metal error becomes a JS Error whose
// message is the runtime's own what() text, verbatim (TT_THROW / TT_FATAL header, message, backtrace),
// never an abort: what a harness catching the runtime's exception sees (pybind11 turns it into a
// RuntimeError with the same text).
#include <napi.h>

#include <exception>
#include <string>

#include "driver.hpp"

namespace {
using tt_alloc::mock::BufferFacts;
using tt_alloc::mock::DeviceFacts;

tt_alloc::mock::Driver& driver() {
  static tt_alloc::mock::Driver d;
  return d;
}

// Wraps a driver call: a C++ exception (TT-Metal's tt::exception derives from std::runtime_error) is
// rethrown as a JS Error whose message is its what(), unchanged.
template <typename F>
Napi::Value guarded(const Napi::CallbackInfo& info, F&& f) {
  try {
    return f();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), e.what());
  } catch (...) {
    throw Napi::Error::New(info.Env(), "TT-Metal threw an exception that is not a std::exception");
  }
}

int32_t int_arg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a number");
  return info[i].As<Napi::Number>().Int32Value();
}

uint64_t u64_arg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsNumber() || info[i].As<Napi::Number>().DoubleValue() < 0)
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a non-negative number");
  return uint64_t(info[i].As<Napi::Number>().DoubleValue());
}

Napi::Object device_object(Napi::Env env, const DeviceFacts& f) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("handle", f.handle);
  o.Set("id", f.id);
  o.Set("mesh", f.mesh);
  Napi::Array chips = Napi::Array::New(env, f.chips.size());
  for (size_t i = 0; i < f.chips.size(); ++i) chips.Set(uint32_t(i), f.chips[i]);
  o.Set("chips", chips);
  Napi::Array banks = Napi::Array::New(env, f.banks.size());
  Napi::Array bytes = Napi::Array::New(env, f.bank_bytes.size());
  for (size_t i = 0; i < f.banks.size(); ++i) {
    banks.Set(uint32_t(i), f.banks[i]);
    bytes.Set(uint32_t(i), double(f.bank_bytes[i]));
  }
  o.Set("banks", banks);
  o.Set("bankBytes", bytes);
  Napi::Array bases = Napi::Array::New(env, f.base_addresses.size());
  for (size_t i = 0; i < f.base_addresses.size(); ++i) bases.Set(uint32_t(i), double(f.base_addresses[i]));
  o.Set("baseAddresses", bases);
  return o;
}

Napi::Object buffer_object(Napi::Env env, const BufferFacts& f) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("handle", f.handle);
  o.Set("id", double(f.id));
  o.Set("device", f.device);
  o.Set("type", f.type);
  o.Set("address", double(f.address));
  o.Set("size", double(f.size));
  o.Set("pageSize", double(f.page_size));
  return o;
}

Napi::Value OpenDevice(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    return device_object(info.Env(), driver().open_device(int_arg(info, 0, "id"), u64_arg(info, 1, "l1SmallSize"),
                                                          u64_arg(info, 2, "traceRegionSize")));
  });
}

Napi::Value OpenMesh(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    return device_object(info.Env(), driver().open_mesh(uint32_t(int_arg(info, 0, "rows")), uint32_t(int_arg(info, 1, "cols")),
                                                        u64_arg(info, 2, "l1SmallSize"), u64_arg(info, 3, "traceRegionSize")));
  });
}

Napi::Value Close(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    driver().close(int_arg(info, 0, "handle"));
    return info.Env().Undefined();
  });
}

Napi::Value CreateBuffer(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    return buffer_object(info.Env(), driver().create_buffer(int_arg(info, 0, "device"), u64_arg(info, 1, "size"),
                                                            u64_arg(info, 2, "pageSize"), int_arg(info, 3, "type")));
  });
}

Napi::Value CreateShardedBuffer(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    if (!info[1].IsObject()) throw Napi::TypeError::New(info.Env(), "cores must be an object {x0, y0, x1, y1}");
    const Napi::Object c = info[1].As<Napi::Object>();
    const auto u32 = [&](const char* key) { return c.Get(key).As<Napi::Number>().Uint32Value(); };
    const tt_alloc::mock::CircularBuffer cores{u32("x0"), u32("y0"), u32("x1"), u32("y1"), 0, 0};
    return buffer_object(info.Env(), driver().create_sharded_buffer(int_arg(info, 0, "device"), cores,
                                                                    uint32_t(int_arg(info, 2, "pagesPerShard")),
                                                                    u64_arg(info, 3, "pageSize"), int_arg(info, 4, "type")));
  });
}

Napi::Value CreateView(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    return buffer_object(info.Env(), driver().create_view(int_arg(info, 0, "buffer"), u64_arg(info, 1, "offset"),
                                                          u64_arg(info, 2, "size")));
  });
}

Napi::Value CreateMeshBuffer(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    const auto f = driver().create_mesh_buffer(int_arg(info, 0, "mesh"), u64_arg(info, 1, "size"),
                                               u64_arg(info, 2, "pageSize"), int_arg(info, 3, "type"));
    Napi::Env env = info.Env();
    Napi::Object o = Napi::Object::New(env);
    o.Set("handle", f.handle);
    o.Set("address", double(f.address));
    o.Set("size", double(f.size));
    o.Set("deviceLocalSize", double(f.device_local_size));
    o.Set("backing", buffer_object(env, f.backing));
    Napi::Array shards = Napi::Array::New(env, f.shards.size());
    for (size_t i = 0; i < f.shards.size(); ++i) shards.Set(uint32_t(i), buffer_object(env, f.shards[i]));
    o.Set("shards", shards);
    return Napi::Value(o);
  });
}

Napi::Value LaunchProgram(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    if (!info[1].IsArray()) throw Napi::TypeError::New(info.Env(), "cbs must be an array");
    const Napi::Array list = info[1].As<Napi::Array>();
    std::vector<tt_alloc::mock::CircularBuffer> cbs;
    for (uint32_t i = 0; i < list.Length(); ++i) {
      const Napi::Object cb = list.Get(i).As<Napi::Object>();
      const auto u32 = [&](const char* key) { return cb.Get(key).As<Napi::Number>().Uint32Value(); };
      cbs.push_back({u32("x0"), u32("y0"), u32("x1"), u32("y1"), u32("size"), u32("pageSize")});
    }
    const auto f = driver().launch_program(int_arg(info, 0, "device"), cbs);
    Napi::Object o = Napi::Object::New(info.Env());
    o.Set("handle", f.handle);
    o.Set("id", double(f.id));
    return Napi::Value(o);
  });
}

Napi::Value Release(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    driver().release(int_arg(info, 0, "handle"));
    return info.Env().Undefined();
  });
}

Napi::Value Deallocate(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    driver().deallocate(int_arg(info, 0, "handle"));
    return info.Env().Undefined();
  });
}

Napi::Value BeginOp(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    if (!info[0].IsString()) throw Napi::TypeError::New(info.Env(), "name must be a string");
    driver().begin_op(info[0].As<Napi::String>().Utf8Value());
    return info.Env().Undefined();
  });
}

Napi::Value EndOp(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    driver().end_op();
    return info.Env().Undefined();
  });
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("openDevice", Napi::Function::New(env, OpenDevice, "openDevice"));
  exports.Set("openMesh", Napi::Function::New(env, OpenMesh, "openMesh"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("createBuffer", Napi::Function::New(env, CreateBuffer, "createBuffer"));
  exports.Set("createShardedBuffer", Napi::Function::New(env, CreateShardedBuffer, "createShardedBuffer"));
  exports.Set("createView", Napi::Function::New(env, CreateView, "createView"));
  exports.Set("createMeshBuffer", Napi::Function::New(env, CreateMeshBuffer, "createMeshBuffer"));
  exports.Set("launchProgram", Napi::Function::New(env, LaunchProgram, "launchProgram"));
  exports.Set("release", Napi::Function::New(env, Release, "release"));
  exports.Set("deallocate", Napi::Function::New(env, Deallocate, "deallocate"));
  exports.Set("beginOp", Napi::Function::New(env, BeginOp, "beginOp"));
  exports.Set("endOp", Napi::Function::New(env, EndOp, "endOp"));
  return exports;
}
}  // namespace

NODE_API_MODULE(tt_metal_mock_driver, Init)
