// Value types of the simulated runtime, spelled as TT-Metal spells them so code written against
// <tt-metalium/...> compiles against these unchanged. The inline namespace keeps the source spelling
// (tt::tt_metal::Buffer) while giving every symbol a distinct mangled name, so the simulator and a real
// TT-Metal can be loaded into one process without clashing.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

using DeviceAddr = uint64_t;
using ChipId = int;  // TT-Metal's chip_id_t

// Values match TT-Metal's BufferType (and tt_alloc::MemType 0..4).
enum class BufferType { DRAM = 0, L1 = 1, SYSTEM_MEMORY = 2, L1_SMALL = 3, TRACE = 4 };

// Values match TT-Metal's HalMemType (hal_types.hpp, every generation): what
// Allocator::get_base_allocator_addr takes.
enum class HalMemType : uint8_t { L1 = 0, DRAM = 1, HOST = 2, COUNT = 3 };

// Values match TT-Metal's TensorMemoryLayout (buffer_types.hpp): SINGLE_BANK = 1 until 2025-06-23,
// ND_SHARDED = 5 in 2026 (runtime.hpp says which one the current generation has).
enum class TensorMemoryLayout {
  INTERLEAVED = 0,
  SINGLE_BANK = 1,
  HEIGHT_SHARDED = 2,
  WIDTH_SHARDED = 3,
  BLOCK_SHARDED = 4,
  ND_SHARDED = 5,
};

// Upstream is_sharded(): a sharded buffer occupies its own cores (num_cores()), not every bank.
inline bool is_sharded(TensorMemoryLayout layout) {
  return layout == TensorMemoryLayout::HEIGHT_SHARDED || layout == TensorMemoryLayout::WIDTH_SHARDED ||
         layout == TensorMemoryLayout::BLOCK_SHARDED || layout == TensorMemoryLayout::ND_SHARDED;
}

struct CoreCoord {
  size_t x = 0, y = 0;
};

struct CoreRange {
  CoreCoord start_coord, end_coord;  // inclusive, as in TT-Metal
  size_t size() const { return (end_coord.x - start_coord.x + 1) * (end_coord.y - start_coord.y + 1); }
  bool operator==(const CoreRange& o) const {
    return start_coord.x == o.start_coord.x && start_coord.y == o.start_coord.y && end_coord.x == o.end_coord.x &&
           end_coord.y == o.end_coord.y;
  }
  bool intersects(const CoreRange& o) const {
    return start_coord.x <= o.end_coord.x && o.start_coord.x <= end_coord.x && start_coord.y <= o.end_coord.y &&
           o.start_coord.y <= end_coord.y;
  }
};

class CoreRangeSet {
 public:
  CoreRangeSet() = default;
  explicit CoreRangeSet(std::vector<CoreRange> ranges) : ranges_(std::move(ranges)) {}
  const std::vector<CoreRange>& ranges() const { return ranges_; }
  uint32_t num_cores() const {
    size_t n = 0;
    for (const auto& r : ranges_) n += r.size();
    return uint32_t(n);
  }

 private:
  std::vector<CoreRange> ranges_;
};

// A byte range of a root buffer (Buffer::view, root_buffer_region).
struct BufferRegion {
  DeviceAddr offset = 0;
  DeviceAddr size = 0;
};

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
