// JS_ functions of the embedded simulated runtime (lib/sim validates every argument first). Each takes
// the registry mutex; runtime failures (SimError) reach JS with their `code` through the error boundary
// (error_boundary.hpp), any other exception as ERR_SIM_INTERNAL.
#include <napi.h>

#include <any>
#include <span>

#include "../sim/bug_modes.hpp"
#include "../sim/graph_hooks.hpp"
#include "../sim/runtime.hpp"
#include "../sim/graph_tracking.hpp"
#include "../sim/part.hpp"
#include "../sim/sim_error.hpp"
#include "modules.hpp"
#include "sim_registry.hpp"

namespace tt_alloc::js {
namespace {

// Runs `body` under the registry mutex, so the runtime's state is single-threaded (sim_registry.hpp).
template <typename F>
Napi::Value Locked(const Napi::CallbackInfo& info, F&& body) {
  std::lock_guard lock(registry().mutex);
  return body(info.Env());
}

uint64_t U64(const Napi::Value& v) { return uint64_t(v.As<Napi::Number>().Int64Value()); }
int I32(const Napi::Value& v) { return v.As<Napi::Number>().Int32Value(); }

const tm::Part& PartNamed(const std::string& name) {
  for (const tm::Part* p : tm::part::kParts)
    if (p->name == name) return *p;
  throw tm::SimError("ERR_SIM_INTERNAL", "unknown part " + name);
}

tm::DeviceConfig ReadConfig(const Napi::Object& o) {
  return {&PartNamed(o.Get("part").As<Napi::String>().Utf8Value()), U64(o.Get("l1SmallSize")),
          U64(o.Get("traceRegionSize")), tm::generation()};
}

Napi::Object DescribeBuffer(Napi::Env env, const tm::Buffer& b) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("id", double(b.unique_id()));
  o.Set("address", double(b.address()));
  o.Set("size", double(b.size()));
  o.Set("pageSize", double(b.page_size()));
  o.Set("device", double(b.device()->id()));
  o.Set("sizePerBank", double(b.size_per_bank()));
  o.Set("layout", double(int(b.buffer_layout())));
  return o;
}

// openDevice({ part, l1SmallSize, traceRegionSize }) → chip id (the lowest free one)
Napi::Value JS_openDevice(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    auto& r = registry();
    const int id = r.lowest_free_chip();
    if (id < 0)
      throw tm::SimError("ERR_SIM_TOO_MANY_DEVICES",
                         "all " + std::to_string(tm::part::kMaxChips) + " simulated chip ids are in use");
    auto allocator = std::make_shared<tm::Allocator>(ReadConfig(info[0].As<Napi::Object>()));
    r.chips[id] = std::make_shared<tm::Device>(id, std::move(allocator));
    return Napi::Number::New(env, id);
  });
}

// openMesh({ rows, cols, part, l1SmallSize, traceRegionSize }) → { id, chips }: the mesh id from the
// process-wide counter (from 0), the chips the lowest free chip ids.
Napi::Value JS_openMesh(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    auto& r = registry();
    Napi::Object opts = info[0].As<Napi::Object>();
    const size_t rows = U64(opts.Get("rows")), cols = U64(opts.Get("cols"));
    std::vector<int> ids;
    for (int id = 0; id < tm::part::kMaxChips && ids.size() < rows * cols; ++id)
      if (!r.chips.count(id)) ids.push_back(id);
    if (ids.size() < rows * cols)
      throw tm::SimError("ERR_SIM_TOO_MANY_DEVICES", "not enough free simulated device ids for a " +
                                                         std::to_string(rows) + "x" + std::to_string(cols) + " mesh");
    if (r.next_mesh_id > 0xffff)
      throw tm::SimError("ERR_SIM_TOO_MANY_DEVICES", "mesh ids beyond 65535 do not fit the event's device field");
    const int mesh_id = r.next_mesh_id++;
    // One per-chip-identical allocator shared by the mesh and its chips.
    auto allocator = std::make_shared<tm::Allocator>(ReadConfig(opts));
    std::vector<std::shared_ptr<tm::IDevice>> chips;
    for (int id : ids) chips.push_back(std::make_shared<tm::Device>(id, allocator));
    auto mesh = std::make_shared<tm::distributed::MeshDevice>(mesh_id, allocator, rows, cols, chips);
    Napi::Array chip_ids = Napi::Array::New(env, chips.size());
    for (size_t i = 0; i < chips.size(); ++i) {
      r.chips[chips[i]->id()] = chips[i];
      chip_ids.Set(uint32_t(i), chips[i]->id());
    }
    r.meshes[mesh_id] = mesh;
    Napi::Object out = Napi::Object::New(env);
    out.Set("id", mesh_id);
    out.Set("chips", chip_ids);
    return out;
  });
}

// closeDevice(id, isMesh)
Napi::Value JS_closeDevice(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    registry().close(I32(info[0]), info[1].ToBoolean());
    return env.Undefined();
  });
}

Napi::Value JS_closeAll(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    registry().close_all();
    return env.Undefined();
  });
}

// createBuffer(deviceId, isMesh, { size, pageSize, type, layout, cores?, address?, bottomUp? }) →
// description. On a mesh: a MeshBuffer (described by its backing buffer). With `address`: a non-owning
// buffer at that address (reports nothing).
Napi::Value JS_createBuffer(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    auto& r = registry();
    tm::IDevice& device = r.device(I32(info[0]), info[1].ToBoolean());
    Napi::Object opts = info[2].As<Napi::Object>();
    const uint64_t size = U64(opts.Get("size")), page_size = U64(opts.Get("pageSize"));
    const auto type = tm::BufferType(I32(opts.Get("type")));
    const auto layout = tm::TensorMemoryLayout(I32(opts.Get("layout")));
    std::optional<uint32_t> cores;
    if (opts.Get("cores").IsNumber()) cores = opts.Get("cores").As<Napi::Number>().Uint32Value();
    std::optional<bool> bottom_up;
    if (opts.Get("bottomUp").IsBoolean()) bottom_up = opts.Get("bottomUp").ToBoolean().Value();
    BufferEntry entry;
    const tm::Buffer* described;
    if (opts.Get("address").IsNumber()) {
      entry.buffer = tm::Buffer::create(&device, U64(opts.Get("address")), size, page_size, type, layout, cores);
      described = entry.buffer.get();
    } else if (auto* mesh = dynamic_cast<tm::distributed::MeshDevice*>(&device)) {
      entry.mesh = tm::distributed::MeshBuffer::create({size}, {page_size, type, layout, cores, bottom_up}, mesh);
      described = entry.mesh->get_backing_buffer();
    } else {
      entry.buffer = tm::Buffer::create(&device, size, page_size, type, layout, cores, bottom_up);
      described = entry.buffer.get();
    }
    Napi::Object out = DescribeBuffer(env, *described);
    r.buffers[described->unique_id()] = std::move(entry);
    return out;
  });
}

// createTraceBuffer(deviceId, isMesh, size, pageSize): the buffer a trace capture allocates. 2025: a TRACE
// (mesh) buffer in the trace region; since PR #36999 (2026-02), with a trace region of size 0, a DRAM
// buffer allocated top-down.
Napi::Value JS_createTraceBuffer(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    auto& r = registry();
    tm::IDevice& device = r.device(I32(info[0]), info[1].ToBoolean());
    const uint64_t size = U64(info[2]), page_size = U64(info[3]);
    const bool in_dram = tm::rules::trace_in_dram_when_no_region() && device.allocator()->trace_region_size() == 0;
    const auto type = in_dram ? tm::BufferType::DRAM : tm::BufferType::TRACE;
    const std::optional<bool> bottom_up = in_dram ? std::optional<bool>(false) : std::nullopt;
    BufferEntry entry;
    const tm::Buffer* described;
    if (auto* mesh = dynamic_cast<tm::distributed::MeshDevice*>(&device)) {
      entry.mesh = tm::distributed::MeshBuffer::create({size}, {page_size, type, tm::TensorMemoryLayout::INTERLEAVED,
                                                                std::nullopt, bottom_up}, mesh);
      described = entry.mesh->get_backing_buffer();
    } else {
      entry.buffer = tm::Buffer::create(&device, size, page_size, type, tm::TensorMemoryLayout::INTERLEAVED, std::nullopt, bottom_up);
      described = entry.buffer.get();
    }
    Napi::Object out = DescribeBuffer(env, *described);
    out.Set("type", double(int(type)));
    r.buffers[described->unique_id()] = std::move(entry);
    return out;
  });
}

// view(bufferId, offset, size) → description. Upstream Buffer::view; on a mesh buffer, a view of its
// reference (first chip's) buffer, as single-device code works on a MeshBuffer. The full range returns
// the buffer itself (same id).
Napi::Value JS_view(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    auto& r = registry();
    BufferEntry& parent = r.buffer(U64(info[0]));
    std::shared_ptr<tm::Buffer> base = parent.mesh ? parent.mesh->get_reference_buffer() : parent.buffer;
    if (!base->is_allocated() || (parent.mesh && !parent.mesh->is_allocated()))
      throw tm::SimError("ERR_SIM_NO_BUFFER", "buffer " + std::to_string(U64(info[0])) + " is not allocated");
    std::shared_ptr<tm::Buffer> v = base->view({U64(info[1]), U64(info[2])});
    Napi::Object out = DescribeBuffer(env, *v);
    if (!r.buffers.count(v->unique_id())) r.buffers[v->unique_id()] = BufferEntry{v, nullptr};
    return out;
  });
}

// deallocate(bufferId): DeallocateBuffer / MeshBuffer::deallocate, then the handle is dropped (a view:
// just dropped; it frees nothing).
Napi::Value JS_deallocate(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    auto& r = registry();
    const uint64_t id = U64(info[0]);
    BufferEntry entry = std::move(r.buffer(id));
    r.buffers.erase(id);
    if (entry.mesh)
      entry.mesh->deallocate();
    else
      entry.buffer->deallocate();
    return env.Undefined();  // `entry` goes out of scope here: destroyed unless a program or view holds it
  });
}

// release(bufferId): drops the handle without deallocating (Python's `del tensor`): the destructor runs
// when the last holder (a program pool, a view) lets go.
Napi::Value JS_release(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    auto& r = registry();
    const uint64_t id = U64(info[0]);
    r.buffer(id);
    r.buffers.erase(id);
    return env.Undefined();
  });
}

// createProgram(deviceId, isMesh) → id
Napi::Value JS_createProgram(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    auto& r = registry();
    tm::IDevice& device = r.device(I32(info[0]), info[1].ToBoolean());
    auto program = std::make_shared<tm::Program>();
    const uint64_t id = program->get_id();
    r.programs[id] = ProgramEntry{std::move(program), &device};
    return Napi::Number::New(env, double(id));
  });
}

// programAddCircularBuffer(programId, size, cores, globalBufferId | -1) → index. `cores`: the first cores
// of the device's worker grid, row-major. A global buffer makes the CB globally allocated at its address.
Napi::Value JS_programAddCircularBuffer(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    auto& r = registry();
    ProgramEntry& p = r.program(U64(info[0]));
    const uint64_t size = U64(info[1]);
    const uint32_t cores = info[2].As<Napi::Number>().Uint32Value();
    const uint32_t grid_x = p.device->allocator()->part().grid_x;
    std::vector<tm::CoreRange> ranges;
    const uint32_t full_rows = cores / grid_x, rest = cores % grid_x;
    if (full_rows > 0) ranges.push_back({{0, 0}, {grid_x - 1, full_rows - 1}});
    if (rest > 0) ranges.push_back({{0, full_rows}, {rest - 1, full_rows}});
    std::shared_ptr<tm::Buffer> global;
    if (info[3].As<Napi::Number>().Int64Value() >= 0) {
      BufferEntry& b = r.buffer(U64(info[3]));
      global = b.mesh ? b.mesh->get_reference_buffer() : b.buffer;
    }
    const uint32_t index = p.program->add_circular_buffer({tm::CoreRangeSet(std::move(ranges)), size, std::move(global)});
    return Napi::Number::New(env, index);
  });
}

Napi::Value JS_programAddBuffer(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    auto& r = registry();
    ProgramEntry& p = r.program(U64(info[0]));
    BufferEntry& b = r.buffer(U64(info[1]));
    if (b.mesh)
      p.program->add_buffer(b.mesh);
    else
      p.program->add_buffer(b.buffer);
    return env.Undefined();
  });
}

Napi::Array CbAddresses(Napi::Env env, const tm::Program& program) {
  const auto& addresses = program.cb_addresses();
  Napi::Array out = Napi::Array::New(env, addresses.size());
  for (size_t i = 0; i < addresses.size(); ++i) out.Set(uint32_t(i), double(addresses[i]));
  return out;
}

// programLaunch(programId) → CB addresses: raw EnqueueProgram / EnqueueMeshWorkload (no track_program).
Napi::Value JS_programLaunch(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    ProgramEntry& p = registry().program(U64(info[0]));
    p.program->enqueue(p.device);
    return CbAddresses(env, *p.program);
  });
}

// programLaunchOperation(programId) → CB addresses: ttnn's device-operation path (track_program, then the
// enqueue; the program stays in the device's program cache).
Napi::Value JS_programLaunchOperation(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    ProgramEntry& p = registry().program(U64(info[0]));
    tm::launch_device_operation(p.program, p.device);
    return CbAddresses(env, *p.program);
  });
}

Napi::Value JS_programInvalidateCircularBuffers(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    registry().program(U64(info[0])).program->invalidate_circular_buffer_allocation();
    return env.Undefined();
  });
}

// programDestroy(programId): drops the handle; the program is destroyed unless a program cache holds it.
Napi::Value JS_programDestroy(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    registry().programs.erase(U64(info[0]));
    return env.Undefined();
  });
}

// clearProgramCache(deviceId, isMesh): disable_and_clear_program_cache().
Napi::Value JS_clearProgramCache(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    registry().device(I32(info[0]), info[1].ToBoolean()).clear_program_cache();
    return env.Undefined();
  });
}

// setNoDispatchHook(on): installs or removes ttnn's NO_DISPATCH capture hooks (never done by the tracker).
Napi::Value JS_setNoDispatchHook(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    if (info[0].ToBoolean())
      tm::GraphHooks::instance().add_hook(std::make_shared<tm::NoDispatchHooks>());
    else
      tm::GraphHooks::instance().remove_hook();
    return env.Undefined();
  });
}

// setRuntime(generation index): only while nothing is open (every rule is read at the time it applies).
Napi::Value JS_setRuntime(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    const auto g = tm::Generation(info[0].As<Napi::Number>().Uint32Value());
    if (g != tm::generation() && !registry().idle())
      throw tm::SimError("ERR_SIM_BUSY", "the runtime generation changes only while no device, buffer or program is open (call sim.close() first)");
    tm::g_generation.store(g);
    return env.Undefined();
  });
}

// parts() → the part constants, with the current generation's L1 unreserved base.
Napi::Value JS_parts(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    Napi::Array out = Napi::Array::New(env);
    uint32_t i = 0;
    for (const tm::Part* p : tm::part::kParts) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("name", std::string(p->name));
      o.Set("dramBanks", double(p->dram_banks));
      o.Set("dramBankBytes", double(p->dram_bank_bytes));
      o.Set("dramBase", double(p->dram_base));
      o.Set("dramAlignment", double(p->dram_alignment));
      o.Set("gridX", double(p->grid_x));
      o.Set("gridY", double(p->grid_y));
      o.Set("l1Banks", double(p->l1_banks()));
      o.Set("l1BankBytes", double(p->l1_bank_bytes));
      o.Set("l1Alignment", double(p->l1_alignment));
      o.Set("l1Base", double(p->l1_base(tm::generation())));
      out.Set(i++, o);
    }
    return out;
  });
}

// beginOp(name) / endOp(): TT-Metal's op scopes (track_function_start / track_function_end).
Napi::Value JS_beginOp(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    const std::string name = info[0].As<Napi::String>().Utf8Value();
    tm::GraphTracker::instance().track_function_start(name, std::span<std::any>{});
    return env.Undefined();
  });
}

Napi::Value JS_endOp(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    tm::GraphTracker::instance().track_function_end();
    return env.Undefined();
  });
}

// configureBugs({ meshReplicaEvents, viewEvents, programPoolLateFree, doubleDeallocate }): booleans.
Napi::Value JS_configureBugs(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    Napi::Object o = info[0].As<Napi::Object>();
    auto& b = tm::g_bug_modes;
    b.mesh_replica_events.store(o.Get("meshReplicaEvents").ToBoolean());
    b.view_events.store(o.Get("viewEvents").ToBoolean());
    b.program_pool_late_free.store(o.Get("programPoolLateFree").ToBoolean());
    b.double_deallocate.store(o.Get("doubleDeallocate").ToBoolean());
    return env.Undefined();
  });
}

// allocatorStats(deviceId, isMesh, type) → the allocator's own view (a mesh and its chips share one).
Napi::Value JS_allocatorStats(const Napi::CallbackInfo& info) {
  return Locked(info, [&](Napi::Env env) {
    tm::IDevice& device = registry().device(I32(info[0]), info[1].ToBoolean());
    const auto type = tm::BufferType(I32(info[2]));
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
  Export<JS_openDevice, Domain::Sim>(env, sim, "openDevice");
  Export<JS_openMesh, Domain::Sim>(env, sim, "openMesh");
  Export<JS_closeDevice, Domain::Sim>(env, sim, "closeDevice");
  Export<JS_closeAll, Domain::Sim>(env, sim, "closeAll");
  Export<JS_createBuffer, Domain::Sim>(env, sim, "createBuffer");
  Export<JS_createTraceBuffer, Domain::Sim>(env, sim, "createTraceBuffer");
  Export<JS_view, Domain::Sim>(env, sim, "view");
  Export<JS_deallocate, Domain::Sim>(env, sim, "deallocate");
  Export<JS_release, Domain::Sim>(env, sim, "release");
  Export<JS_createProgram, Domain::Sim>(env, sim, "createProgram");
  Export<JS_programAddCircularBuffer, Domain::Sim>(env, sim, "programAddCircularBuffer");
  Export<JS_programAddBuffer, Domain::Sim>(env, sim, "programAddBuffer");
  Export<JS_programLaunch, Domain::Sim>(env, sim, "programLaunch");
  Export<JS_programLaunchOperation, Domain::Sim>(env, sim, "programLaunchOperation");
  Export<JS_programInvalidateCircularBuffers, Domain::Sim>(env, sim, "programInvalidateCircularBuffers");
  Export<JS_programDestroy, Domain::Sim>(env, sim, "programDestroy");
  Export<JS_clearProgramCache, Domain::Sim>(env, sim, "clearProgramCache");
  Export<JS_setNoDispatchHook, Domain::Sim>(env, sim, "setNoDispatchHook");
  Export<JS_setRuntime, Domain::Sim>(env, sim, "setRuntime");
  Export<JS_parts, Domain::Sim>(env, sim, "parts");
  Export<JS_beginOp, Domain::Sim>(env, sim, "beginOp");
  Export<JS_endOp, Domain::Sim>(env, sim, "endOp");
  Export<JS_configureBugs, Domain::Sim>(env, sim, "configureBugs");
  Export<JS_allocatorStats, Domain::Sim>(env, sim, "allocatorStats");
  InitSimThread(env, sim);
  exports.Set("sim", sim);
}

}  // namespace tt_alloc::js
