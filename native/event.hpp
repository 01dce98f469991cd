// The event record: one fixed-size, cache-line-sized record per runtime event.
// Layout is part of the public format (docs/events.md); bump kEventFormatVersion on any change.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tt_alloc {

inline constexpr uint32_t kEventFormatVersion = 2;

enum class EventKind : uint8_t {
  Alloc = 1,       // Buffer::allocate_impl → track_allocate (after the address is assigned)
  Free = 2,        // Buffer::deallocate_impl → track_deallocate (before the memory is returned)
  CbAlloc = 3,     // track_allocate_cb: one circular-buffer allocation of a program
  CbRelease = 4,   // all circular buffers of `device` are gone (track_deallocate_cb, or implied by a launch)
  Program = 5,     // track_program: a program launch on `device`
  OpStart = 6,     // track_function_start: `aux` = interned op name
  OpEnd = 7,       // track_function_end
  Mark = 8,        // harness scope mark from JS: `aux` = interned scope name, flags = kFlagScopeEnd on end
  DeviceInfo = 9,  // capacity of one memory type of `device`: `size` = bytes, `aux` = banks
  MeshChip = 10,   // `device` is a mesh that contains chip `objectId`; `aux` = index, `size` = chip count
};
inline constexpr uint8_t kMaxEventKind = 10;

// Values 0..4 are TT-Metal's BufferType; CB is ours (circular buffers live in L1 but are accounted apart).
enum class MemType : uint8_t { DRAM = 0, L1 = 1, SYSTEM_MEMORY = 2, L1_SMALL = 3, TRACE = 4, CB = 5, None = 255 };

enum EventFlags : uint8_t {
  kFlagNonOwning = 1 << 0,        // the runtime says this buffer does not own its memory
  kFlagView = 1 << 1,             // a Buffer::view(): rootId/aux name the root and offset (root id 0 is valid)
  kFlagMeshDevice = 1 << 2,       // `device` is a mesh device id, not a chip (ids of both start at 0)
  kFlagGloballyAllocated = 1 << 3,// CbAlloc: is_globally_allocated
  kFlagScopeEnd = 1 << 4,         // Mark: end of a scope (else begin)
  kFlagOwning = 1 << 5,           // the runtime says this buffer owns its memory (neither bit: unknown)
  kFlagHasProgram = 1 << 6,       // CbAlloc: objectId names the program (program ids start at 0)
  kFlagTopDown = 1 << 7,          // Alloc/Free: !Buffer::bottom_up() (allocated from the bank's top)
  kFlagBaseKnown = 1 << 7,        // DeviceInfo: `address` is the bank's lowest allocatable address
};

// 64 bytes, one cache line: a producer writes exactly one line per event. u64 fields first so
// every field is naturally aligned; the same offsets are read by lib/events/format.ts.
struct alignas(64) Event {
  uint64_t seq;       // global sequence number = ring position; assigned by push
  uint64_t time;      // monotonic timestamp; raw ticks in the ring, nanoseconds once drained
  uint64_t objectId;  // Buffer::unique_id; program id for CbAlloc/Program; chip id for MeshChip
  uint64_t address;
  uint64_t size;
  uint64_t rootId;    // root buffer id of a view (valid only with kFlagView), else 0
  uint32_t aux;       // per kind: view offset (saturating), name id, CB cores, banks, chip index
  uint32_t pageSize;
  uint16_t device;
  uint16_t thread;    // small per-process thread index, assigned on a thread's first push
  uint8_t kind;       // EventKind
  uint8_t memType;    // MemType
  uint8_t layout;     // TT-Metal TensorMemoryLayout value, 255 when not applicable
  uint8_t flags;      // EventFlags
};

static_assert(sizeof(Event) == 64, "Event must be exactly one cache line");
static_assert(offsetof(Event, aux) == 48 && offsetof(Event, device) == 56 && offsetof(Event, kind) == 60,
              "offsets are mirrored in lib/events/format.ts");

}  // namespace tt_alloc
