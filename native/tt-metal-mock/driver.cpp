#include "driver.hpp"

#include <stdexcept>

#include <tt-metalium/allocator.hpp>
#include <tt-metalium/buffer.hpp>
#include <tt-metalium/circular_buffer_config.hpp>
#include <tt-metalium/device.hpp>
#include <tt-metalium/graph_tracking.hpp>
#include <tt-metalium/host_api.hpp>
#include <tt-metalium/mesh_buffer.hpp>
#include <tt-metalium/mesh_device.hpp>
#include <tt-metalium/program.hpp>
#include <tt-metalium/tt_metal.hpp>

namespace tt_alloc::mock {
namespace metal = tt::tt_metal;
namespace dist = tt::tt_metal::distributed;

namespace {
constexpr metal::BufferType kTypes[] = {metal::BufferType::DRAM, metal::BufferType::L1, metal::BufferType::SYSTEM_MEMORY,
                                     metal::BufferType::L1_SMALL, metal::BufferType::TRACE};

metal::BufferType buffer_type(int type) {
  for (metal::BufferType t : kTypes)
    if (int(t) == type) return t;
  throw std::invalid_argument("memory type " + std::to_string(type) + " is not a TT-Metal BufferType (0..4)");
}

template <typename Map>
auto& find(Map& map, int handle, const char* what) {
  auto it = map.find(handle);
  if (it == map.end()) throw std::invalid_argument(std::string("no open ") + what + " with handle " + std::to_string(handle));
  return it->second;
}

void allocator_facts(const metal::IDevice* device, DeviceFacts& f) {
  for (metal::BufferType t : kTypes) {
    uint32_t banks = 0;
    uint64_t bytes = 0;
    try {
      banks = device->allocator()->get_num_banks(t);
      bytes = device->allocator()->get_statistics(t).total_allocatable_size_bytes;
    } catch (...) {
      // The type has no allocator on this device (e.g. SYSTEM_MEMORY): reported as 0.
    }
    f.banks.push_back(banks);
    f.bank_bytes.push_back(bytes);
  }
  for (metal::HalMemType m : {metal::HalMemType::DRAM, metal::HalMemType::L1}) {
    uint64_t base = 0;
    try {
      base = device->allocator()->get_base_allocator_addr(m);
    } catch (...) {
      // Reported as 0.
    }
    f.base_addresses.push_back(base);
  }
}
}  // namespace

metal::IDevice* Driver::device(int handle) const {
  if (auto it = chips_.find(handle); it != chips_.end()) return it->second;
  if (auto it = meshes_.find(handle); it != meshes_.end()) return it->second.get();
  throw std::invalid_argument("no open device with handle " + std::to_string(handle));
}

BufferFacts Driver::facts(int handle, const metal::Buffer& b) const {
  return BufferFacts{handle,        uint64_t(b.unique_id()), int(b.device()->id()), int(b.buffer_type()),
                     b.address(),   b.size(),                b.page_size()};
}

DeviceFacts Driver::open_device(int id, uint64_t l1_small, uint64_t trace_region) {
  metal::IDevice* d = metal::CreateDevice(id, 1, l1_small, trace_region);
  const int handle = next_++;
  chips_[handle] = d;
  DeviceFacts f{handle, int(d->id()), false, {}, {}, {}, {}};
  allocator_facts(d, f);
  return f;
}

DeviceFacts Driver::open_mesh(uint32_t rows, uint32_t cols, uint64_t l1_small, uint64_t trace_region) {
  auto mesh = dist::MeshDevice::create(dist::MeshDeviceConfig(dist::MeshShape(rows, cols)), l1_small, trace_region);
  const int handle = next_++;
  DeviceFacts f{handle, int(mesh->id()), true, {}, {}, {}, {}};
  for (const metal::IDevice* chip : mesh->get_devices()) f.chips.push_back(int(chip->id()));
  allocator_facts(mesh.get(), f);
  meshes_[handle] = std::move(mesh);
  return f;
}

void Driver::close(int handle) {
  if (auto it = chips_.find(handle); it != chips_.end()) {
    metal::CloseDevice(it->second);
    chips_.erase(it);
    return;
  }
  auto& mesh = find(meshes_, handle, "device");
  mesh->close();
  meshes_.erase(handle);
}

BufferFacts Driver::create_buffer(int device_handle, uint64_t size, uint64_t page_size, int type) {
  auto b = metal::Buffer::create(device(device_handle), size, page_size, buffer_type(type));
  const int handle = next_++;
  buffers_[handle] = b;
  return facts(handle, *b);
}

BufferFacts Driver::create_sharded_buffer(int device_handle, const CircularBuffer& cores, uint32_t pages_per_shard,
                                          uint64_t page_size, int type) {
  const metal::CoreRangeSet grid(metal::CoreRange({cores.x0, cores.y0}, {cores.x1, cores.y1}));
  const uint32_t total_pages = pages_per_shard * uint32_t(grid.num_cores());
  // One page per shard row: shard shape and page shape in the same (page) units.
  const metal::ShardSpecBuffer spec(grid, {pages_per_shard, 1}, metal::ShardOrientation::ROW_MAJOR, {1, 1}, {total_pages, 1});
  auto b = metal::Buffer::create(device(device_handle), total_pages * page_size, page_size, buffer_type(type),
                                 metal::BufferShardingArgs(spec, metal::TensorMemoryLayout::HEIGHT_SHARDED));
  const int handle = next_++;
  buffers_[handle] = b;
  return facts(handle, *b);
}

BufferFacts Driver::create_view(int buffer_handle, uint64_t offset, uint64_t size) {
  auto v = find(buffers_, buffer_handle, "buffer")->view(metal::BufferRegion(offset, size));
  const int handle = next_++;
  buffers_[handle] = v;
  return facts(handle, *v);
}

MeshBufferFacts Driver::create_mesh_buffer(int mesh_handle, uint64_t size, uint64_t page_size, int type) {
  auto& mesh = find(meshes_, mesh_handle, "mesh");
  const dist::DeviceLocalBufferConfig local{.page_size = page_size, .buffer_type = buffer_type(type)};
  auto mb = dist::MeshBuffer::create(dist::ReplicatedBufferConfig{.size = size}, local, mesh.get());
  const int handle = next_++;
  mesh_buffers_[handle] = mb;
  MeshBufferFacts f{handle, mb->address(), mb->size(), mb->device_local_size(),
                    facts(handle, *mb->get_backing_buffer()), {}};
  for (const auto& coord : dist::MeshCoordinateRange(mesh->shape()))
    f.shards.push_back(facts(handle, *mb->get_device_buffer(coord)));
  return f;
}

ProgramFacts Driver::launch_program(int device_handle, const std::vector<CircularBuffer>& cbs) {
  auto program = std::make_shared<metal::Program>(metal::CreateProgram());
  uint8_t index = 0;
  for (const CircularBuffer& cb : cbs) {
    const metal::CoreRange cores({cb.x0, cb.y0}, {cb.x1, cb.y1});
    metal::CircularBufferConfig config(cb.size, {{index, tt::DataFormat::Float16_b}});
    config.set_page_size(index, cb.page_size);
    metal::CreateCircularBuffer(*program, cores, config);
    ++index;
  }
  metal::detail::LaunchProgram(device(device_handle), *program);
  const int handle = next_++;
  programs_[handle] = program;
  return ProgramFacts{handle, uint64_t(program->get_runtime_id())};
}

void Driver::release(int handle) {
  if (buffers_.erase(handle) || mesh_buffers_.erase(handle) || programs_.erase(handle)) return;
  throw std::invalid_argument("no buffer, mesh buffer or program with handle " + std::to_string(handle));
}

void Driver::deallocate(int handle) {
  if (auto it = buffers_.find(handle); it != buffers_.end()) return metal::DeallocateBuffer(*it->second);
  find(mesh_buffers_, handle, "buffer")->deallocate();
}

void Driver::begin_op(const std::string& name) { metal::GraphTracker::instance().track_function_start(name); }

void Driver::end_op() { metal::GraphTracker::instance().track_function_end(); }

}  // namespace tt_alloc::mock
