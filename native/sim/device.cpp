#include "device.hpp"

#include "program.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

IDevice::~IDevice() = default;

CoreCoord IDevice::compute_with_storage_grid_size() const {
  return {allocator_->part().grid_x, allocator_->part().grid_y};
}

void IDevice::cache_program(const std::shared_ptr<Program>& program) {
  for (const auto& p : program_cache_)
    if (p == program) return;
  program_cache_.push_back(program);
}

void IDevice::clear_program_cache() {
  // Moved out first: destroying a program may run code that looks at this device.
  std::vector<std::shared_ptr<Program>> cache = std::move(program_cache_);
  program_cache_.clear();
  cache.clear();
}

void IDevice::mark_closed() {
  initialized_ = false;
  allocator_->clear();
}

void Device::close() {
  if (!is_initialized()) return;
  clear_program_cache();
  mark_closed();
}

namespace distributed {

std::vector<IDevice*> MeshDevice::get_devices() const {
  std::vector<IDevice*> out;
  out.reserve(chips_.size());
  for (const auto& c : chips_) out.push_back(c.get());
  return out;
}

void MeshDevice::close() {
  if (!is_initialized()) return;
  for (auto& c : chips_) c->close();
  mark_closed();
}

}  // namespace distributed
}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
