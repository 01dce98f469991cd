// The C++ producer API: what the graph-tracking processor, the embedded runtime and the C ABI call.
// Every function here is safe from any thread, never locks, never allocates, never throws.
#pragma once
#include <cstdint>
#include <string_view>

#include "clock.hpp"
#include "event.hpp"
#include "in_flight.hpp"
#include "tracker.hpp"

namespace tt_alloc {

// One predictable branch when tracking is off: callers may skip building the event entirely.
inline bool tracking_enabled() noexcept { return g_hot.enabled.load(std::memory_order_relaxed); }

// Pushes one event. `e.seq`, `e.time` and `e.thread` are filled here. Returns false if tracking is off
// or the event was dropped (and counted) because the ring was full.
inline bool push(Event& e) noexcept {
  if (!tracking_enabled()) return false;
  e.time = read_ticks();
  e.thread = this_thread_index();
  // Inside the window the ring this push loaded cannot be unmapped (in_flight.hpp has the argument).
  PushWindow window;
  Ring* ring = g_hot.ring.load(std::memory_order_seq_cst);
  if (__builtin_expect(ring->try_push(e) == Ring::PushResult::Ok, 1)) return true;
  return push_when_full(*ring, e);
}

// Interns an op or scope name; returns its id (0 = table full, shown as "<overflow>").
uint32_t intern_name(std::string_view name) noexcept;

inline Event make_event(EventKind kind, uint16_t device) noexcept {
  Event e{};
  e.kind = uint8_t(kind);
  e.device = device;
  e.memType = uint8_t(MemType::None);
  e.layout = 255;
  return e;
}

struct BufferFields {
  uint16_t device;
  MemType type;
  uint64_t id, address, size;
  uint32_t page_size = 0;
  uint8_t layout = 255;
  uint8_t flags = 0;         // EventFlags: kFlagOwning or kFlagNonOwning, kFlagView, kFlagMeshDevice, kFlagTopDown
  uint64_t root_id = 0;      // views: the root buffer's unique id
  uint64_t root_offset = 0;  // views: byte offset into the root (stored saturated to 32 bits)
};

inline bool emit_buffer(EventKind kind, const BufferFields& b) noexcept {
  if (!tracking_enabled()) return false;
  Event e = make_event(kind, b.device);
  e.memType = uint8_t(b.type);
  e.objectId = b.id;
  e.address = b.address;
  e.size = b.size;
  e.pageSize = b.page_size;
  e.layout = b.layout;
  e.flags = b.flags;
  e.rootId = b.root_id;
  e.aux = b.root_offset > UINT32_MAX ? UINT32_MAX : uint32_t(b.root_offset);
  return push(e);
}
inline bool emit_alloc(const BufferFields& b) noexcept { return emit_buffer(EventKind::Alloc, b); }
inline bool emit_free(const BufferFields& b) noexcept { return emit_buffer(EventKind::Free, b); }

// Program id of a CbAlloc whose program is not known (no track_program on this thread yet).
inline constexpr uint64_t kNoProgram = UINT64_MAX;

inline bool emit_cb_alloc(uint16_t device, bool is_mesh, uint64_t program_id, uint64_t address, uint64_t size,
                          uint32_t cores, bool globally_allocated) noexcept {
  if (!tracking_enabled()) return false;
  Event e = make_event(EventKind::CbAlloc, device);
  e.memType = uint8_t(MemType::CB);
  e.address = address;
  e.size = size;
  e.aux = cores;
  e.flags = uint8_t((globally_allocated ? kFlagGloballyAllocated : 0) | (is_mesh ? kFlagMeshDevice : 0));
  if (program_id != kNoProgram) {
    e.objectId = program_id;
    e.flags |= kFlagHasProgram;
  }
  return push(e);
}

inline bool emit_cb_release(uint16_t device, bool is_mesh) noexcept {
  if (!tracking_enabled()) return false;
  Event e = make_event(EventKind::CbRelease, device);
  e.flags = is_mesh ? kFlagMeshDevice : 0;
  return push(e);
}

inline bool emit_program(uint16_t device, bool is_mesh, uint64_t program_id) noexcept {
  if (!tracking_enabled()) return false;
  Event e = make_event(EventKind::Program, device);
  e.objectId = program_id;
  e.flags = is_mesh ? kFlagMeshDevice : 0;
  return push(e);
}

inline bool emit_op_start(uint32_t name_id) noexcept {
  if (!tracking_enabled()) return false;
  Event e = make_event(EventKind::OpStart, 0);
  e.aux = name_id;
  return push(e);
}

inline bool emit_op_end() noexcept {
  if (!tracking_enabled()) return false;
  Event e = make_event(EventKind::OpEnd, 0);
  return push(e);
}

inline bool emit_mark(uint32_t name_id, uint64_t token, bool end) noexcept {
  if (!tracking_enabled()) return false;
  Event e = make_event(EventKind::Mark, 0);
  e.aux = name_id;
  e.objectId = token;
  e.flags = end ? kFlagScopeEnd : 0;
  return push(e);
}

// Bank base of a DeviceInfo whose lowest allocatable address is not known (BaseKnown stays clear).
inline constexpr uint64_t kBaseUnknown = UINT64_MAX;

// `base`: the lowest allocatable address of one bank of the type (sets BaseKnown), or kBaseUnknown.
inline bool emit_device_info(uint16_t device, MemType type, uint64_t capacity, uint32_t banks, bool is_mesh,
                             uint64_t base = kBaseUnknown) noexcept {
  if (!tracking_enabled()) return false;
  Event e = make_event(EventKind::DeviceInfo, device);
  e.memType = uint8_t(type);
  e.size = capacity;
  e.aux = banks;
  e.flags = is_mesh ? kFlagMeshDevice : 0;
  if (base != kBaseUnknown) {
    e.address = base;
    e.flags |= kFlagBaseKnown;
  }
  return push(e);
}

inline bool emit_mesh_chip(uint16_t mesh, uint16_t chip, uint32_t index, uint32_t chip_count) noexcept {
  if (!tracking_enabled()) return false;
  Event e = make_event(EventKind::MeshChip, mesh);
  e.objectId = chip;
  e.aux = index;
  e.size = chip_count;
  e.flags = kFlagMeshDevice;
  return push(e);
}

}  // namespace tt_alloc
