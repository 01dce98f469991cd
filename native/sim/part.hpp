// The simulated parts (n150, n300, p150). Every constant names where its value comes from; the issue
// that introduced them (#13) compared them with upstream's hal and SoC descriptors.
#pragma once
#include <cstdint>
#include <string_view>

#include "runtime.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

struct Part {
  std::string_view name;
  // DRAM: interleaved banks (one per channel view), each of dram_bank_bytes; the bottom dram_base bytes of
  // each bank are reserved (hal DRAM_UNRESERVED_BASE); dram_alignment is hal's DRAM alignment.
  uint32_t dram_banks;
  uint64_t dram_bank_bytes;
  uint64_t dram_base;
  uint64_t dram_alignment;
  // Worker grid (one L1 bank per worker core with the default dispatch config), L1 per core, alignment.
  uint32_t grid_x, grid_y;
  uint64_t l1_bank_bytes;
  uint64_t l1_alignment;
  // hal L1 unreserved base (firmware, mailboxes and kernel-config space below it) per generation:
  // CBs grow up from here, L1 buffers down from the top.
  uint64_t l1_base_2025_06, l1_base_2026_04;

  uint32_t l1_banks() const { return grid_x * grid_y; }
  uint64_t l1_base(Generation g) const { return g == Generation::k2025_06 ? l1_base_2025_06 : l1_base_2026_04; }
};

namespace part {

// Wormhole n150: 12 DRAM banks × 1 GiB, DRAM base 32, alignment 32 (DRAM) / 16 (L1); 8×8 = 64 worker
// cores; 1464 KiB L1 per core; L1 unreserved base 97,248 (2025-06) / 103,712 (2026-04).
inline constexpr Part kN150{"n150", 12, 1ull << 30, 32, 32, 8, 8, 1499136, 16, 97248, 103712};
// Wormhole n300 (one of its two chips, as TT-Metal opens it): as n150, but the default dispatch cores
// take a row of the worker grid: 8×7 = 56 worker cores.
inline constexpr Part kN300{"n300", 12, 1ull << 30, 32, 32, 8, 7, 1499136, 16, 97248, 103712};
// Blackhole p150: 8 DRAM banks × 4,278,190,080 B, DRAM base 64, alignment 64 (DRAM) / 16 (L1); 13×10 =
// 130 worker cores (unharvested); 1536 KiB L1 per core; L1 unreserved base 98,304 / 111,104.
inline constexpr Part kP150{"p150", 8, 4278190080ull, 64, 64, 13, 10, 1572864, 16, 98304, 111104};

inline constexpr const Part* kParts[] = {&kN150, &kN300, &kP150};

// Chip ids are the lowest free ids (physical ids are 0..N-1 and come back after a close); at most 64
// chips open at once. Mesh ids come from a process-wide counter from 0 (generate_unique_mesh_id()).
inline constexpr int kMaxChips = 64;

}  // namespace part
}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
