// MeshBuffer: one owning backing Buffer on the MeshDevice (device id = mesh id) allocated in the
// per-chip-identical allocator, plus one non-owning Buffer per chip at the same address. Upstream
// reports only the backing buffer, with the per-chip size. Trace buffers are MeshBuffers of type TRACE.
#pragma once
#include <memory>
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
};

class MeshBuffer {
  struct Private {};

 public:
  static std::shared_ptr<MeshBuffer> create(const ReplicatedBufferConfig& replicated,
                                            const DeviceLocalBufferConfig& local, MeshDevice* mesh_device);
  MeshBuffer(Private, MeshDevice* mesh_device, std::shared_ptr<Buffer> backing);
  ~MeshBuffer();

  // Per-chip buffers first (each marked deallocated), then the backing buffer is released; its
  // destructor frees the memory unless a view still holds it.
  void deallocate();
  bool is_allocated() const { return backing_ != nullptr && backing_->is_allocated(); }
  DeviceAddr address() const { return address_; }
  DeviceAddr size() const { return size_; }
  MeshDevice* device() const { return mesh_device_; }
  Buffer* get_backing_buffer() const { return backing_.get(); }
  std::shared_ptr<Buffer> backing_shared() const { return backing_; }
  // Row-major chip index (upstream takes a MeshCoordinate).
  std::shared_ptr<Buffer> get_device_buffer(size_t index) const { return replicas_.at(index); }

 private:
  MeshDevice* mesh_device_;
  std::shared_ptr<Buffer> backing_;
  std::vector<std::shared_ptr<Buffer>> replicas_;
  DeviceAddr address_, size_;
};

}  // namespace distributed
}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
