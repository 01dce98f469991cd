#include "program.hpp"

#include <algorithm>

#include "bug_modes.hpp"
#include "buffer.hpp"
#include "device.hpp"
#include "graph_tracking.hpp"
#include "part.hpp"
#include "sim_error.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

uint64_t Program::next_id_ = 1;  // runtime state is single-threaded (guarded by the N-API layer)

Program::Program() : id_(next_id_++) {}

uint32_t Program::add_circular_buffer(const CircularBufferConfig& config) {
  cbs_.push_back(config);
  return uint32_t(cbs_.size() - 1);
}

void Program::add_buffer(std::shared_ptr<Buffer> buffer) { pool_.push_back(std::move(buffer)); }

void Program::launch(IDevice* device) {
  if (!device->is_initialized()) throw SimError("ERR_SIM_DEVICE_CLOSED", "device " + std::to_string(device->id()) + " is closed");
  auto& tracker = GraphTracker::instance();
  if (device->live_cb_program == id_) {
    tracker.track_program(this, device);
    return;
  }
  // Static CBs grow up from the L1 unreserved base and must stay below the lowest L1 buffer
  // (upstream: "Statically allocated circular buffers ... clash with L1 buffers").
  std::vector<uint64_t> addresses;
  uint64_t next = part::kL1UnreservedBase;
  for (const auto& cb : cbs_) {
    addresses.push_back(next);
    next += align_up(cb.size, part::kL1Alignment);
  }
  const uint64_t l1_floor = device->allocator()->bank(BufferType::L1)->lowest_allocated();
  if (next > l1_floor)
    throw SimError("ERR_SIM_CB_CLASH", "circular buffers of program " + std::to_string(id_) + " end at " +
                                           std::to_string(next) + " B, above the lowest L1 buffer at " +
                                           std::to_string(l1_floor) + " B");
  if (device->live_cb_program != 0) tracker.track_deallocate_cb(device);
  tracker.track_program(this, device);
  for (size_t i = 0; i < cbs_.size(); ++i)
    tracker.track_allocate_cb(cbs_[i].cores, addresses[i], cbs_[i].size, cbs_[i].globally_allocated, device);
  cb_addresses_ = std::move(addresses);
  device->live_cb_program = cbs_.empty() ? 0 : id_;
  if (!cbs_.empty() && std::find(cb_devices_.begin(), cb_devices_.end(), device) == cb_devices_.end())
    cb_devices_.push_back(device);
}

Program::~Program() {
  for (IDevice* device : cb_devices_) {
    if (device->live_cb_program != id_ || !device->is_initialized()) continue;
    GraphTracker::instance().track_deallocate_cb(device);
    device->live_cb_program = 0;
  }
  // programPoolLateFree: the stale object of a pooled buffer the user already freed reports its free
  // again when the program lets go of it, possibly after the allocator reused its address.
  if (g_bug_modes.program_pool_late_free.load(std::memory_order_relaxed)) {
    for (const auto& buffer : pool_)
      if (buffer->freed_explicitly() && buffer->device()->is_initialized())
        GraphTracker::instance().track_deallocate(buffer.get());
  }
  pool_.clear();
}

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
