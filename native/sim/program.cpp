#include "program.hpp"

#include <algorithm>

#include "bug_modes.hpp"
#include "buffer.hpp"
#include "device.hpp"
#include "graph_hooks.hpp"
#include "graph_tracking.hpp"
#include "mesh_buffer.hpp"
#include "runtime.hpp"
#include "sim_error.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

// Upstream ProgramImpl's program counter starts at 0. Runtime state is single-threaded (the N-API layer's
// registry mutex).
uint64_t Program::next_id_ = 0;

Program::Program() : id_(next_id_++) {}

namespace {
bool contains(const std::vector<const IDevice*>& v, const IDevice* d) { return std::find(v.begin(), v.end(), d) != v.end(); }
}  // namespace

uint32_t Program::add_circular_buffer(const CircularBufferConfig& config) {
  cbs_.push_back(config);
  // One CircularBufferAllocator per distinct core range (upstream ProgramImpl::add_circular_buffer).
  for (const CoreRange& r : config.cores.ranges()) {
    const bool known = std::any_of(cb_allocators_.begin(), cb_allocators_.end(), [&](const CbAllocator& a) { return a.range == r; });
    if (!known) cb_allocators_.push_back({r, 0});
  }
  cb_allocation_needed_ = true;
  return uint32_t(cbs_.size() - 1);
}

void Program::add_buffer(std::shared_ptr<Buffer> buffer) { pool_.push_back(std::move(buffer)); }
void Program::add_buffer(std::shared_ptr<distributed::MeshBuffer> buffer) { mesh_pool_.push_back(std::move(buffer)); }

void Program::invalidate_circular_buffer_allocation() {
  if (cb_allocation_needed_) return;
  for (CbAllocator& a : cb_allocators_) a.end = 0;
  cb_allocated_on_.clear();
  cb_allocation_needed_ = true;
}

// Upstream ProgramImpl::allocate_circular_buffers: each locally allocated CB starts at the L1 unreserved
// base (allocator()->get_base_allocator_addr(HalMemType::L1)) or above the CB region of its core ranges,
// aligned to the DRAM alignment, and marks every intersecting core range. Globally allocated CBs live
// at their buffer's address.
void Program::compute_cb_addresses(const IDevice* device) {
  const Allocator& allocator = *device->allocator();
  const uint64_t base = allocator.get_base_allocator_addr(HalMemType::L1);
  const uint64_t alignment = allocator.get_alignment(BufferType::DRAM);
  cb_addresses_.assign(cbs_.size(), 0);
  for (size_t i = 0; i < cbs_.size(); ++i) {
    const CircularBufferConfig& cb = cbs_[i];
    if (cb.globally_allocated()) {
      cb_addresses_[i] = cb.global_buffer->address();
      continue;
    }
    uint64_t addr = base;
    for (const CoreRange& r : cb.cores.ranges())
      for (const CbAllocator& a : cb_allocators_)
        if (a.range == r) {
          addr = std::max(addr, a.end);
          break;
        }
    addr = align_up(addr, alignment);
    for (const CoreRange& r : cb.cores.ranges())
      for (CbAllocator& a : cb_allocators_) {
        if (!a.range.intersects(r)) continue;
        if (!(a.range == r) && addr < a.end) continue;  // already marked past here by another range
        a.end = std::max(a.end, addr + cb.size);
      }
    cb_addresses_[i] = addr;
  }
}

// 2025-06: globally allocated CBs are skipped. Since PR #37218 (2026-04-19) they are reported at their
// buffer's address.
void Program::report_cbs(const IDevice* device) const {
  auto& tracker = GraphTracker::instance();
  for (size_t i = 0; i < cbs_.size(); ++i) {
    if (cbs_[i].globally_allocated() && !rules::cbs_per_chip()) continue;
    tracker.track_allocate_cb(cbs_[i].cores, cb_addresses_[i], cbs_[i].size, cbs_[i].globally_allocated(), device);
  }
}

// Upstream ProgramImpl::validate_circular_buffer_region: a core range's CB region must end within L1 and
// at or below the lowest occupied L1 address. The message text is relied on (clash explanations).
void Program::validate_circular_buffer_region(const IDevice* device) const {
  const Allocator& allocator = *device->allocator();
  const BankAllocator* l1 = allocator.bank(BufferType::L1);
  const uint64_t lowest = l1->lowest_allocated();
  for (const CbAllocator& a : cb_allocators_) {
    if (a.end == 0) continue;
    if (a.end > lowest)
      throw SimError("ERR_SIM_CB_CLASH", "circular buffers of program " + std::to_string(id_) + " end at " +
                                             std::to_string(a.end) + " B, above the lowest L1 buffer at " +
                                             std::to_string(lowest) + " B");
  }
}

void Program::enqueue(IDevice* device) {
  if (!device->is_initialized()) throw SimError("ERR_SIM_DEVICE_CLOSED", "device " + std::to_string(device->id()) + " is closed");
  if (GraphHooks::instance().hook_program(this)) return;  // NO_DISPATCH capture: the program does not run
  if (cb_allocation_needed_) {
    compute_cb_addresses(device);
    cb_allocation_needed_ = false;
  }
  if (!cbs_.empty()) {
    if (rules::cbs_per_chip()) {
      // Once per program per chip: a mesh workload allocates on each of its chips.
      std::vector<const IDevice*> chips;
      if (auto* mesh = dynamic_cast<const distributed::MeshDevice*>(device))
        for (IDevice* chip : mesh->get_devices()) chips.push_back(chip);
      else
        chips.push_back(device);
      for (const IDevice* chip : chips) {
        if (contains(cb_allocated_on_, chip)) continue;
        report_cbs(chip);
        cb_allocated_on_.push_back(chip);
        if (!contains(cb_devices_, chip)) cb_devices_.push_back(chip);
      }
    } else if (cb_allocated_on_.empty()) {
      // Once per program, on the device it is enqueued on (a mesh workload: the mesh).
      report_cbs(device);
      cb_allocated_on_.push_back(device);
    }
  }
  validate_circular_buffer_region(device);
  if (rules::pool_released_at_enqueue()) release_buffers();
}

// Releases the pool: each buffer whose last holder this was is destroyed (and frees). Under
// programPoolLateFree, a pooled buffer the user already freed explicitly reports its free again.
void Program::release_buffers() {
  if (g_bug_modes.program_pool_late_free.load(std::memory_order_relaxed)) {
    for (const auto& buffer : pool_)
      if (buffer->freed_explicitly() && buffer->device()->is_initialized())
        GraphTracker::instance().track_deallocate(buffer.get());
  }
  pool_.clear();
  mesh_pool_.clear();
}

// Since PR #37218: track_deallocate_cb once per chip the CBs were allocated on (while it is initialized);
// 2025-06 has no track_deallocate_cb anywhere. Then the pool goes.
Program::~Program() {
  if (rules::cbs_per_chip() && !cbs_.empty())
    for (const IDevice* device : cb_devices_)
      if (device->is_initialized()) GraphTracker::instance().track_deallocate_cb(device);
  release_buffers();
}

void launch_device_operation(const std::shared_ptr<Program>& program, IDevice* device) {
  if (!device->is_initialized()) throw SimError("ERR_SIM_DEVICE_CLOSED", "device " + std::to_string(device->id()) + " is closed");
  GraphTracker::instance().track_program(program.get(), device);
  device->cache_program(program);
  program->enqueue(device);
}

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
