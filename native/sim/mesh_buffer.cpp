#include "mesh_buffer.hpp"

#include "bug_modes.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {
namespace distributed {

std::shared_ptr<MeshBuffer> MeshBuffer::create(const ReplicatedBufferConfig& replicated,
                                               const DeviceLocalBufferConfig& local, MeshDevice* mesh_device) {
  // The backing buffer is allocated (and reported) first, then the per-chip buffers are created at its address.
  auto backing = Buffer::create(mesh_device, replicated.size, local.page_size, local.buffer_type, local.buffer_layout);
  return std::make_shared<MeshBuffer>(Private{}, mesh_device, std::move(backing));
}

MeshBuffer::MeshBuffer(Private, MeshDevice* mesh_device, std::shared_ptr<Buffer> backing)
    : mesh_device_(mesh_device), backing_(std::move(backing)), address_(backing_->address()), size_(backing_->size()) {
  const bool report = g_bug_modes.mesh_replica_events.load(std::memory_order_relaxed);
  for (IDevice* chip : mesh_device->get_devices()) {
    auto replica = Buffer::create(chip, address_, size_, backing_->page_size(), backing_->buffer_type(),
                                  backing_->buffer_layout());
    if (report) replica->report_as_owner();
    replicas_.push_back(std::move(replica));
  }
}

void MeshBuffer::deallocate() {
  for (auto& replica : replicas_) replica->deallocate();
  replicas_.clear();
  backing_.reset();
}

MeshBuffer::~MeshBuffer() { deallocate(); }

}  // namespace distributed
}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
