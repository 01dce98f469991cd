// JS_ functions of the embedded simulated runtime (lib/sim validates every argument first). Each takes
// the registry mutex and turns runtime failures (SimError) into JS errors with a `code`.
#include <napi.h>

#include <any>
#include <span>

#include "../sim/bug_modes.hpp"
#include "../sim/graph_tracking.hpp"
#include "../sim/part.hpp"
#include "../sim/sim_error.hpp"
#include "modules.hpp"
#include "sim_registry.hpp"

namespace tt_alloc::js {
namespace {

template <typename F>
Napi::Value Guarded(const Napi::CallbackInfo& info, F&& body) {
  Napi::Env env = info.Env();
  std::lock_guard lock(registry().mutex);
  try {
    return body(env);
  } catch (const Napi::Error&) {
    throw;
  } catch (const tm::SimError& e) {
    Napi::Error error = Napi::Error::New(env, e.what());
    error.Set("code", Napi::String::New(env, e.code()));
    throw error;
  } catch (const std::exception& e) {
    Napi::Error error = Napi::Error::New(env, std::string("simulated runtime: ") + e.what());
    error.Set("code", Napi::String::New(env, "ERR_SIM_INTERNAL"));
    throw error;
  }
}

uint64_t U64(const Napi::Value& v) { return uint64_t(v.As<Napi::Number>().Int64Value()); }

tm::DeviceConfig ReadConfig(const Napi::Object& o) {
  return {U64(o.Get("l1SmallSize")), U64(o.Get("traceRegionSize"))};
}

Napi::Object DescribeBuffer(Napi::Env env, const tm::Buffer& b) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("id", double(b.unique_id()));
  o.Set("address", double(b.address()));
  o.Set("size", double(b.size()));
  o.Set("pageSize", double(b.page_size()));
  o.Set("device", double(b.device()->id()));
  o.Set("sizePerBank", double(b.size_per_bank()));
  return o;
}

// openDevice({ l1SmallSize, traceRegionSize }) → chip id
Napi::Value JS_openDevice(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    auto& r = registry();
    const int id = r.lowest_free_chip();
    if (id < 0) throw tm::SimError("ERR_SIM_TOO_MANY_DEVICES", "all " + std::to_string(tm::part::kMaxChips) + " simulated chip ids are in use");
    auto allocator = std::make_shared<tm::Allocator>(ReadConfig(info[0].As<Napi::Object>()));
    r.open[id] = std::make_shared<tm::Device>(id, std::move(allocator));
    return Napi::Number::New(env, id);
  });
}

// openMesh({ rows, cols, l1SmallSize, traceRegionSize }) → { id, chips }
Napi::Value JS_openMesh(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    auto& r = registry();
    Napi::Object opts = info[0].As<Napi::Object>();
    const size_t rows = U64(opts.Get("rows")), cols = U64(opts.Get("cols"));
    const int mesh_id = r.lowest_free_mesh();
    std::vector<int> ids;
    for (int id = 0; id < tm::part::kMaxChips && ids.size() < rows * cols; ++id)
      if (!r.open.count(id)) ids.push_back(id);
    if (mesh_id < 0 || ids.size() < rows * cols)
      throw tm::SimError("ERR_SIM_TOO_MANY_DEVICES", "not enough free simulated device ids for a " +
                                                         std::to_string(rows) + "x" + std::to_string(cols) + " mesh");
    // One per-chip-identical allocator shared by the mesh and its chips.
    auto allocator = std::make_shared<tm::Allocator>(ReadConfig(opts));
    std::vector<std::shared_ptr<tm::IDevice>> chips;
    for (int id : ids) chips.push_back(std::make_shared<tm::Device>(id, allocator));
    auto mesh = std::make_shared<tm::distributed::MeshDevice>(mesh_id, allocator, rows, cols, chips);
    Napi::Array chip_ids = Napi::Array::New(env, chips.size());
    for (size_t i = 0; i < chips.size(); ++i) {
      r.open[chips[i]->id()] = chips[i];
      chip_ids.Set(uint32_t(i), chips[i]->id());
    }
    r.open[mesh_id] = mesh;
    Napi::Object out = Napi::Object::New(env);
    out.Set("id", mesh_id);
    out.Set("chips", chip_ids);
    return out;
  });
}

Napi::Value JS_closeDevice(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    registry().close(info[0].As<Napi::Number>().Int32Value());
    return env.Undefined();
  });
}

Napi::Value JS_closeAll(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    registry().close_all();
    return env.Undefined();
  });
}

// createBuffer(deviceId, { size, pageSize, type, address? }) → description. On a mesh: a MeshBuffer.
// With `address`: a non-owning buffer at that address (reports nothing).
Napi::Value JS_createBuffer(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    auto& r = registry();
    tm::IDevice& device = r.device(info[0].As<Napi::Number>().Int32Value());
    Napi::Object opts = info[1].As<Napi::Object>();
    const uint64_t size = U64(opts.Get("size")), page_size = U64(opts.Get("pageSize"));
    const auto type = tm::BufferType(opts.Get("type").As<Napi::Number>().Int32Value());
    BufferEntry entry;
    if (opts.Has("address") && opts.Get("address").IsNumber()) {
      entry.buffer = tm::Buffer::create(&device, U64(opts.Get("address")), size, page_size, type);
    } else if (auto* mesh = dynamic_cast<tm::distributed::MeshDevice*>(&device)) {
      entry.mesh = tm::distributed::MeshBuffer::create({size}, {page_size, type}, mesh);
      entry.buffer = entry.mesh->backing_shared();
    } else {
      entry.buffer = tm::Buffer::create(&device, size, page_size, type);
    }
    Napi::Object out = DescribeBuffer(env, *entry.buffer);
    r.buffers[entry.buffer->unique_id()] = std::move(entry);
    return out;
  });
}

// view(bufferId, offset, size) → description of a non-owning view that keeps its root alive.
Napi::Value JS_view(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    auto& r = registry();
    BufferEntry& parent = r.buffer(U64(info[0]));
    if (!parent.buffer->is_allocated())
      throw tm::SimError("ERR_SIM_NO_BUFFER", "buffer " + std::to_string(parent.buffer->unique_id()) + " is not allocated");
    BufferEntry entry;
    entry.buffer = parent.buffer->view({U64(info[1]), U64(info[2])});
    Napi::Object out = DescribeBuffer(env, *entry.buffer);
    r.buffers[entry.buffer->unique_id()] = std::move(entry);
    return out;
  });
}

// deallocate(bufferId): frees now (views and mesh buffers: drops them, see MeshBuffer::deallocate).
Napi::Value JS_deallocate(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    auto& r = registry();
    const uint64_t id = U64(info[0]);
    BufferEntry entry = std::move(r.buffer(id));
    r.buffers.erase(id);
    if (entry.mesh) {
      entry.buffer.reset();  // the MeshBuffer's reference is the one that frees the backing
      entry.mesh->deallocate();
    } else if (entry.buffer->owns_data()) {
      entry.buffer->deallocate();
    }
    return env.Undefined();  // `entry` goes out of scope here: views and replicas are destroyed
  });
}

Napi::Value JS_createProgram(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    auto& r = registry();
    tm::IDevice& device = r.device(info[0].As<Napi::Number>().Int32Value());
    auto program = std::make_unique<tm::Program>();
    const uint64_t id = program->get_id();
    r.programs[id] = ProgramEntry{std::move(program), &device};
    return Napi::Number::New(env, double(id));
  });
}

// programAddCircularBuffer(programId, size, cores, globallyAllocated) → index. `cores` first cores of
// the 8×8 grid, row-major.
Napi::Value JS_programAddCircularBuffer(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    ProgramEntry& p = registry().program(U64(info[0]));
    const uint64_t size = U64(info[1]);
    const uint32_t cores = info[2].As<Napi::Number>().Uint32Value();
    std::vector<tm::CoreRange> ranges;
    const uint32_t full_rows = cores / tm::part::kGridX, rest = cores % tm::part::kGridX;
    if (full_rows > 0) ranges.push_back({{0, 0}, {tm::part::kGridX - 1, full_rows - 1}});
    if (rest > 0) ranges.push_back({{0, full_rows}, {rest - 1, full_rows}});
    const uint32_t index = p.program->add_circular_buffer({tm::CoreRangeSet(std::move(ranges)), size, info[3].ToBoolean()});
    return Napi::Number::New(env, index);
  });
}

Napi::Value JS_programAddBuffer(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    auto& r = registry();
    ProgramEntry& p = r.program(U64(info[0]));
    p.program->add_buffer(r.buffer(U64(info[1])).buffer);
    return env.Undefined();
  });
}

// programLaunch(programId) → CB addresses of this launch
Napi::Value JS_programLaunch(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    ProgramEntry& p = registry().program(U64(info[0]));
    p.program->launch(p.device);
    const auto& addresses = p.program->cb_addresses();
    Napi::Array out = Napi::Array::New(env, addresses.size());
    for (size_t i = 0; i < addresses.size(); ++i) out.Set(uint32_t(i), double(addresses[i]));
    return out;
  });
}

Napi::Value JS_programDestroy(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    registry().programs.erase(U64(info[0]));
    return env.Undefined();
  });
}

// beginOp(name) / endOp(): TT-Metal's op scopes (track_function_start / track_function_end).
Napi::Value JS_beginOp(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    const std::string name = info[0].As<Napi::String>().Utf8Value();
    tm::GraphTracker::instance().track_function_start(name, std::span<std::any>{});
    return env.Undefined();
  });
}

Napi::Value JS_endOp(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    tm::GraphTracker::instance().track_function_end();
    return env.Undefined();
  });
}

// configureBugs({ meshReplicaEvents, viewEvents, programPoolLateFree, doubleDeallocate }): booleans.
Napi::Value JS_configureBugs(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    Napi::Object o = info[0].As<Napi::Object>();
    auto& b = tm::g_bug_modes;
    b.mesh_replica_events.store(o.Get("meshReplicaEvents").ToBoolean());
    b.view_events.store(o.Get("viewEvents").ToBoolean());
    b.program_pool_late_free.store(o.Get("programPoolLateFree").ToBoolean());
    b.double_deallocate.store(o.Get("doubleDeallocate").ToBoolean());
    return env.Undefined();
  });
}

// allocatorStats(deviceId, type) → the allocator's own view (a mesh and its chips share one).
Napi::Value JS_allocatorStats(const Napi::CallbackInfo& info) {
  return Guarded(info, [&](Napi::Env env) {
    tm::IDevice& device = registry().device(info[0].As<Napi::Number>().Int32Value());
    const auto type = tm::BufferType(info[1].As<Napi::Number>().Int32Value());
    const auto& allocator = device.allocator();
    const auto& usage = allocator->usage(type);
    const tm::Statistics s = allocator->get_statistics(type);
    Napi::Object o = Napi::Object::New(env);
    o.Set("current", double(usage.current));
    o.Set("peak", double(usage.peak));
    o.Set("buffers", double(usage.buffers));
    o.Set("banks", double(allocator->get_num_banks(type)));
    o.Set("alignment", double(allocator->get_alignment(type)));
    o.Set("capacityPerBank", double(s.total_allocatable_size_bytes));
    o.Set("allocatedPerBank", double(s.total_allocated_bytes));
    o.Set("largestFreePerBank", double(s.largest_free_block_bytes));
    const tm::BankAllocator* bank = allocator->bank(type);
    o.Set("base", double(bank ? bank->base() : 0));
    return o;
  });
}

}  // namespace

void InitSim(Napi::Env env, Napi::Object exports) {
  InitProcessor(env, exports);
  Napi::Object sim = Napi::Object::New(env);
  sim.Set("openDevice", Napi::Function::New(env, JS_openDevice, "openDevice"));
  sim.Set("openMesh", Napi::Function::New(env, JS_openMesh, "openMesh"));
  sim.Set("closeDevice", Napi::Function::New(env, JS_closeDevice, "closeDevice"));
  sim.Set("closeAll", Napi::Function::New(env, JS_closeAll, "closeAll"));
  sim.Set("createBuffer", Napi::Function::New(env, JS_createBuffer, "createBuffer"));
  sim.Set("view", Napi::Function::New(env, JS_view, "view"));
  sim.Set("deallocate", Napi::Function::New(env, JS_deallocate, "deallocate"));
  sim.Set("createProgram", Napi::Function::New(env, JS_createProgram, "createProgram"));
  sim.Set("programAddCircularBuffer", Napi::Function::New(env, JS_programAddCircularBuffer, "programAddCircularBuffer"));
  sim.Set("programAddBuffer", Napi::Function::New(env, JS_programAddBuffer, "programAddBuffer"));
  sim.Set("programLaunch", Napi::Function::New(env, JS_programLaunch, "programLaunch"));
  sim.Set("programDestroy", Napi::Function::New(env, JS_programDestroy, "programDestroy"));
  sim.Set("beginOp", Napi::Function::New(env, JS_beginOp, "beginOp"));
  sim.Set("endOp", Napi::Function::New(env, JS_endOp, "endOp"));
  sim.Set("configureBugs", Napi::Function::New(env, JS_configureBugs, "configureBugs"));
  sim.Set("allocatorStats", Napi::Function::New(env, JS_allocatorStats, "allocatorStats"));
  InitSimThread(env, sim);
  exports.Set("sim", sim);
}

}  // namespace tt_alloc::js
