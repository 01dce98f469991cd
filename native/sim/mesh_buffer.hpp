// MeshBuffer, as upstream's tt_metal/distributed/mesh_buffer.cpp: one owning backing Buffer on the
// MeshDevice (its device()->id() is the mesh id), allocated in the per-chip-identical allocator, plus one
// non-owning Buffer per chip at the same address. Upstream reports only the backing buffer, with the
// per-chip size. The MeshBuffer's owned state is the only holder of the backing buffer.
#pragma once
#include <memory>
#include <optional>
#include <vector>

#include "buffer.hpp"
#include "device.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {
namespace distributed {

struct ReplicatedBufferConfig {
  DeviceAddr size = 0;  // per device
};

struct DeviceLocalBufferConfig {
  DeviceAddr page_size = 0;
  BufferType buffer_type = BufferType::DRAM;
  TensorMemoryLayout buffer_layout = TensorMemoryLayout::INTERLEAVED;
  std::optional<uint32_t> num_cores;  // sharded: the shard cores
  std::optional<bool> bottom_up;
};

class MeshBuffer {
  struct Private {};

 public:
  static std::shared_ptr<MeshBuffer> create(const ReplicatedBufferConfig& replicated,
                                            const DeviceLocalBufferConfig& local, MeshDevice* mesh_device);
  MeshBuffer(Private, MeshDevice* mesh_device, std::shared_ptr<Buffer> backing);
  ~MeshBuffer();

  // Upstream MeshBuffer::deallocate: with the mesh alive, drops the owned state, so the backing buffer
  // frees at once (even while a view of a per-chip buffer lives); with the mesh closed, marks the backing
  // buffer deallocated (no event). Safe to call twice.
  void deallocate();
  bool is_allocated() const { return backing_ != nullptr; }
  DeviceAddr address() const { return address_; }
  DeviceAddr size() const { return size_; }
  MeshDevice* device() const { return mesh_device_; }
  Buffer* get_backing_buffer() const { return backing_.get(); }
  // Row-major chip index (upstream takes a MeshCoordinate).
  std::shared_ptr<Buffer> get_device_buffer(size_t index) const { return replicas_.at(index); }
  // Upstream get_reference_buffer(): the first chip's buffer, what single-device code (views) works on.
  std::shared_ptr<Buffer> get_reference_buffer() const { return replicas_.at(0); }

 private:
  MeshDevice* mesh_device_;
  std::shared_ptr<Buffer> backing_;  // the owned state; null once deallocated
  std::vector<std::shared_ptr<Buffer>> replicas_;
  DeviceAddr address_, size_;
};

}  // namespace distributed
}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
