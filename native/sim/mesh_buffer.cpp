#include "mesh_buffer.hpp"

#include "bug_modes.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {
namespace distributed {

std::shared_ptr<MeshBuffer> MeshBuffer::create(const ReplicatedBufferConfig& replicated,
                                               const DeviceLocalBufferConfig& local, MeshDevice* mesh_device) {
  // The backing buffer is allocated (and reported) first, then the per-chip buffers are created at its address.
  auto backing = Buffer::create(mesh_device, replicated.size, local.page_size, local.buffer_type, local.buffer_layout,
                                local.num_cores, local.bottom_up);
  return std::make_shared<MeshBuffer>(Private{}, mesh_device, std::move(backing));
}

MeshBuffer::MeshBuffer(Private, MeshDevice* mesh_device, std::shared_ptr<Buffer> backing)
    : mesh_device_(mesh_device), backing_(std::move(backing)), address_(backing_->address()), size_(backing_->size()) {
  const bool report = g_bug_modes.mesh_replica_events.load(std::memory_order_relaxed);
  for (IDevice* chip : mesh_device->get_devices()) {
    auto replica = Buffer::create(chip, address_, size_, backing_->page_size(), backing_->buffer_type(),
                                  backing_->buffer_layout(), backing_->num_cores());
    if (report) replica->report_as_owner();
    replicas_.push_back(std::move(replica));
  }
}

void MeshBuffer::deallocate() {
  if (!backing_) return;
  // The per-chip buffers are marked deallocated first: nothing upstream; under meshReplicaEvents each
  // reports its free here, as the instrumented branch did.
  for (auto& replica : replicas_) replica->mark_as_deallocated();
  if (!mesh_device_->is_initialized()) backing_->mark_as_deallocated();
  backing_.reset();  // the only holder: the backing buffer's destructor frees now (if still allocated)
}

MeshBuffer::~MeshBuffer() { deallocate(); }

}  // namespace distributed
}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
