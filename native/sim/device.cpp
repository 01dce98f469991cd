#include "device.hpp"

#include "part.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

CoreCoord IDevice::compute_with_storage_grid_size() const { return {part::kGridX, part::kGridY}; }

void IDevice::close() {
  if (!initialized_) return;
  initialized_ = false;
  allocator_->clear();
}

namespace distributed {

std::vector<IDevice*> MeshDevice::get_devices() const {
  std::vector<IDevice*> out;
  out.reserve(chips_.size());
  for (const auto& c : chips_) out.push_back(c.get());
  return out;
}

void MeshDevice::close() {
  for (auto& c : chips_) c->close();
  IDevice::close();
}

}  // namespace distributed
}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
