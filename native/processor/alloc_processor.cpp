#include "alloc_processor.hpp"

#include <new>

#include "../producer.hpp"

namespace tt_alloc {
namespace tm = tt::tt_metal;

namespace {
// Program most recently launched on this thread: track_allocate_cb carries no program, and a
// launch reports track_program before its CBs (sim; see docs/sim.md). kNoProgram before any launch.
thread_local uint64_t t_program __attribute__((tls_model("initial-exec"))) = kNoProgram;

// This thread's counter slot in every processor (slots are per thread, counters per processor);
// assigned on the thread's first callback. UINT32_MAX until then.
thread_local uint32_t t_counter_slot __attribute__((tls_model("initial-exec"))) = UINT32_MAX;
std::atomic<uint32_t> g_next_counter_slot{0};

// Memory types whose capacity a DeviceInfo event reports (TT-Metal BufferType values).
constexpr tm::BufferType kInfoTypes[] = {tm::BufferType::DRAM, tm::BufferType::L1, tm::BufferType::L1_SMALL,
                                         tm::BufferType::TRACE};

bool is_mesh_device(const tm::IDevice* device) noexcept {
#if TT_ALLOC_HAVE_MESH_DEVICE
  return dynamic_cast<const tm::distributed::MeshDevice*>(device) != nullptr;
#else
  return false;
#endif
}

#if TT_ALLOC_HAVE_ALLOCATOR_STATS
// Allocator::get_base_allocator_addr (every generation, allocator.hpp): the unreserved base of the DRAM
// or L1 bank manager, i.e. the lowest address its allocator hands out. kBaseUnknown if it throws.
// `allocator` is what IDevice::allocator() returns (a smart pointer to tm::Allocator).
template <typename AllocatorRef>
uint64_t base_of(const AllocatorRef& allocator, tm::HalMemType type) noexcept {
  try {
    return uint64_t(allocator->get_base_allocator_addr(type));
  } catch (...) {
    return kBaseUnknown;
  }
}
#endif

// DeviceInfo per memory type with its capacity over all banks and, where upstream's layout gives it,
// the lowest allocatable address of one bank (docs/events.md). Cold path: once per device object.
//
// Bases (upstream tt_metal/impl/allocator/, the same rule in every supported generation):
// - DRAM, L1: get_base_allocator_addr(HalMemType::DRAM / L1), the offset the DRAM and L1 bank managers
//   are built with (dram_unreserved_base, l1_unreserved_base; init_one_bank_per_channel,
//   init_compute_and_storage_l1_bank_manager).
// - TRACE: init_one_bank_per_channel builds the trace bank manager at dram_bank_size +
//   dram_unreserved_base, where dram_bank_size is the DRAM manager's size ("UNRESERVED | DRAM BANK |
//   TRACE REGION"): DRAM base + DRAM allocatable bytes per bank (get_statistics(DRAM).
//   total_allocatable_size_bytes, the manager's max size).
// - L1_SMALL: init_compute_and_storage_l1_bank_manager builds it at small_alloc_offset =
//   l1_unreserved_base + allocatable_l1_size, the L1 manager's size: L1 base + L1 allocatable bytes.
// Read once, at the device's first sighting: a later shrink of the L1 manager (a sub-device manager's
// local L1) is not announced.
void emit_capacities(const tm::IDevice* device, bool is_mesh) noexcept {
#if TT_ALLOC_HAVE_ALLOCATOR_STATS
  uint64_t dram_end = kBaseUnknown;  // DRAM base + DRAM bytes per bank: where TRACE starts
  uint64_t l1_end = kBaseUnknown;    // L1 base + L1 bytes per bank: where L1_SMALL starts
  for (tm::BufferType type : kInfoTypes) {
    try {
      const auto& allocator = device->allocator();
      // Statistics are per bank: one address space shared by all banks of the type.
      const uint64_t per_bank = allocator->get_statistics(type).total_allocatable_size_bytes;
      const uint32_t banks = allocator->get_num_banks(type);
      uint64_t base = kBaseUnknown;
      switch (type) {
        case tm::BufferType::DRAM:
          base = base_of(allocator, tm::HalMemType::DRAM);
          if (base != kBaseUnknown) dram_end = base + per_bank;
          break;
        case tm::BufferType::L1:
          base = base_of(allocator, tm::HalMemType::L1);
          if (base != kBaseUnknown) l1_end = base + per_bank;
          break;
        case tm::BufferType::L1_SMALL: base = l1_end; break;
        case tm::BufferType::TRACE: base = dram_end; break;
        default: break;
      }
      if (per_bank > 0)
        emit_device_info(uint16_t(device->id()), MemType(uint8_t(type)), per_bank * banks, banks, is_mesh, base);
    } catch (...) {
      // A runtime that does not support this type's statistics: no DeviceInfo for it.
    }
  }
#endif
}
}  // namespace

AllocProcessor::AllocProcessor(bool buffer_callbacks)
    : buffer_callbacks_(buffer_callbacks),
      devices_(new std::atomic<uint8_t>[kDeviceSlots]), owners_(new std::atomic<const void*>[kDeviceSlots]) {
  for (size_t i = 0; i < kDeviceSlots; ++i) {
    devices_[i].store(0, std::memory_order_relaxed);
    owners_[i].store(nullptr, std::memory_order_relaxed);
  }
}

void AllocProcessor::count_callback() noexcept {
  uint32_t slot = t_counter_slot;
  if (__builtin_expect(slot == UINT32_MAX, 0)) slot = t_counter_slot = g_next_counter_slot.fetch_add(1);
  if (__builtin_expect(slot < kCounterSlots, 1)) {
    // Only this thread writes this slot: no read-modify-write needed, readers see whole values.
    auto& value = counters_[slot].value;
    value.store(value.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  } else {
    counters_[kCounterSlots].value.fetch_add(1, std::memory_order_relaxed);
  }
}

uint64_t AllocProcessor::callbacks() const noexcept {
  uint64_t total = 0;
  for (const Counter& c : counters_) total += c.value.load(std::memory_order_relaxed);
  return total;
}

// A chip and a mesh may share a numeric id (both count from 0 upstream: Device ids from the cluster,
// MeshDevice ids from generate_unique_mesh_id()), so the tables hold one slot per (id, is-mesh) pair.
size_t AllocProcessor::slot_of(const tm::IDevice* device, bool mesh) noexcept {
  return size_t(uint16_t(device->id())) | (mesh ? kDeviceIds : 0);
}

bool AllocProcessor::claim(const tm::IDevice* device, size_t slot) noexcept {
  uint8_t s = devices_[slot].load(std::memory_order_acquire);
  if (s & kClaimed) return false;  // another thread is announcing it
  if ((s & kSeen) && owners_[slot].load(std::memory_order_relaxed) == device) return false;
  return devices_[slot].compare_exchange_strong(s, kClaimed, std::memory_order_acq_rel);
}

// Marks the announcement done only if tracking stayed on; otherwise the next sighting announces again.
void AllocProcessor::publish(const tm::IDevice* device, size_t slot, uint8_t state) noexcept {
  owners_[slot].store(device, std::memory_order_relaxed);
  devices_[slot].store(tracking_enabled() ? state : 0, std::memory_order_release);
}

// Returns the device's state; on its first sighting while tracking is on, emits DeviceInfo (and, for
// a mesh, MeshChip per chip plus the chips' DeviceInfo) before the caller's event. The chip slot is
// tried first (most events name chips); a mesh costs one more load, and no dynamic_cast once seen.
uint8_t AllocProcessor::device_state(const tm::IDevice* device) noexcept {
  for (const size_t slot : {slot_of(device, false), slot_of(device, true)}) {
    const uint8_t s = devices_[slot].load(std::memory_order_acquire);
    if (__builtin_expect((s & kSeen) && owners_[slot].load(std::memory_order_relaxed) == device, 1)) return s;
  }
  const bool mesh = is_mesh_device(device);
  first_sighting(device, mesh);
  const uint8_t now = devices_[slot_of(device, mesh)].load(std::memory_order_acquire);
  // Another thread may still be announcing it: the mesh bit is known here anyway.
  return (now & kSeen) ? now : uint8_t(mesh ? kMesh : 0);
}

void AllocProcessor::first_sighting(const tm::IDevice* device, bool mesh) noexcept {
  const size_t slot = slot_of(device, mesh);
  if (!claim(device, slot)) return;
  emit_capacities(device, mesh);
#if TT_ALLOC_HAVE_MESH_DEVICE
  if (mesh) {
    try {
      const auto* mesh_device = static_cast<const tm::distributed::MeshDevice*>(device);
      const auto chips = mesh_device->get_devices();
      for (size_t i = 0; i < chips.size(); ++i)
        emit_mesh_chip(uint16_t(device->id()), uint16_t(chips[i]->id()), uint32_t(i), uint32_t(chips.size()));
      for (const tm::IDevice* chip : chips) {
        const size_t chip_slot = slot_of(chip, false);
        if (!claim(chip, chip_slot)) continue;
        emit_capacities(chip, false);
        publish(chip, chip_slot, kSeen);
      }
    } catch (...) {
      // get_devices() failed to allocate: the mesh is announced without its chips.
    }
  }
#endif
  publish(device, slot, uint8_t(kSeen | (mesh ? kMesh : 0)));
}

void AllocProcessor::on_buffer(bool alloc, const tm::Buffer* buffer) noexcept {
  count_callback();
  if (!tracking_enabled()) return;
  const tm::IDevice* device = buffer->device();
  const uint8_t state = device_state(device);
  BufferFields f{};
  f.device = uint16_t(device->id());
  f.type = MemType(uint8_t(buffer->buffer_type()));
  f.id = buffer->unique_id();
  f.address = buffer->address();
  f.size = buffer->size();
  f.page_size = uint32_t(buffer->page_size());
  f.layout = uint8_t(buffer->buffer_layout());
  // bottom_up() is inline in every generation (buffer.hpp: one field, bottom_up.value_or(is_dram()) at
  // construction): L1 is top-down by default, and so are kernel binaries and, since PR #36999, DRAM
  // trace buffers.
  f.flags = uint8_t(((state & kMesh) ? kFlagMeshDevice : 0) | (buffer->bottom_up() ? 0 : kFlagTopDown));
#if TT_ALLOC_HAVE_BUFFER_VIEWS
  // Buffer::view() (buffer.hpp) makes a non-owning buffer that remembers its root and its offset in it.
  // root_buffer_region() is inline and reads two fields; root_buffer() is out of line and returns a
  // shared_ptr (two atomic refcount operations), and for a root it calls shared_from_this(), which
  // throws bad_weak_ptr when the root is being destroyed (track_deallocate from ~Buffer). So the root
  // is asked for only when the region's offset proves a view: then root_buffer() copies the stored
  // root and cannot throw. A view at offset 0 is reported without its root (the aggregator still sees
  // it inside its owner's range). Upstream reports neither kind: a view is created with a given
  // address, and such buffers never call track_allocate (Buffer::create(device, address, ...)).
  if (const auto offset = buffer->root_buffer_region().offset; __builtin_expect(offset != 0, 0)) {
    // root_buffer() is non-const upstream although it does not modify the buffer.
    const auto root = const_cast<tm::Buffer*>(buffer)->root_buffer();
    if (root) {
      // A view never owns its memory (Buffer::view creates it with owns_data false).
      f.flags |= kFlagView | kFlagNonOwning;
      f.root_id = root->unique_id();
      f.root_offset = offset;
    }
  }
#endif
  if (alloc)
    emit_alloc(f);
  else
    emit_free(f);
}

void AllocProcessor::track_allocate(const tm::Buffer* buffer) {
  if (buffer_callbacks_) on_buffer(true, buffer);
}

void AllocProcessor::track_deallocate(tm::Buffer* buffer) {
  if (buffer_callbacks_) on_buffer(false, buffer);
}

void AllocProcessor::track_allocate_cb(const tm::CoreRangeSet& core_range_set, uint64_t addr, uint64_t size,
                                       bool is_globally_allocated, const tm::IDevice* device) {
  count_callback();
  if (!tracking_enabled()) return;
  const bool mesh = device_state(device) & kMesh;
  emit_cb_alloc(uint16_t(device->id()), mesh, t_program, addr, size, uint32_t(core_range_set.num_cores()),
                is_globally_allocated);
}

void AllocProcessor::track_deallocate_cb(const tm::IDevice* device) {
  count_callback();
  if (!tracking_enabled()) return;
  emit_cb_release(uint16_t(device->id()), device_state(device) & kMesh);
}

void AllocProcessor::track_program(tm::Program* program, const tm::IDevice* device) {
  count_callback();
  // get_runtime_id() is the one program id on every supported tree (get_id() was removed on
  // 2025-09-05, PR #27472): ttnn sets it per launch (set_runtime_id), so it is 0 for programs that do
  // not go through ttnn's device-operation path. Upstream sends track_program only from that path.
  t_program = program->get_runtime_id();
  if (!tracking_enabled()) return;
  const bool mesh = device_state(device) & kMesh;
  emit_program(uint16_t(device->id()), mesh, t_program);
}

#if TT_ALLOC_HAVE_TRACKED_ARGUMENT
void AllocProcessor::track_function_start(std::string_view function_name,
                                          std::span<tm::TrackedArgument> /*input_parameters*/) {
#else
void AllocProcessor::track_function_start(std::string_view function_name, std::span<std::any> /*input_parameters*/) {
#endif
  count_callback();
  if (!tracking_enabled()) return;
  emit_op_start(intern_name(function_name));
}

void AllocProcessor::track_function_end() {
  count_callback();
  emit_op_end();
}

void AllocProcessor::track_function_end(const std::any& /*output_tensors*/) {
  count_callback();
  emit_op_end();
}

}  // namespace tt_alloc
