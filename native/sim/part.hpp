// The simulated part: a Wormhole n150-like chip. Every constant names where its value comes from.
#pragma once
#include <cstdint>

namespace tt::tt_metal {
inline namespace tt_alloc_sim {
namespace part {

// Wormhole n150: 12 GiB GDDR6 that TT-Metal exposes as 12 interleaved DRAM banks of 1 GiB.
inline constexpr uint32_t kDramBanks = 12;
inline constexpr uint64_t kDramBankBytes = 1ull << 30;
// Wormhole DRAM alignment (hal: DRAM_ALIGNMENT = 32 B).
inline constexpr uint64_t kDramAlignment = 32;
// TT-Metal reserves the bottom of each DRAM bank (DRAM_UNRESERVED_BASE); we keep one 64 B line so that
// no buffer sits at address 0, which real code treats as "unallocated".
inline constexpr uint64_t kDramUnreservedBase = 64;

// Wormhole worker grid: 8×8 Tensix cores, one L1 bank per core, 1464 KiB (1,499,136 B) of L1 each.
inline constexpr uint32_t kGridX = 8, kGridY = 8;
inline constexpr uint32_t kL1Banks = kGridX * kGridY;
inline constexpr uint64_t kL1BankBytes = 1499136;
// Wormhole L1 alignment (hal: L1_ALIGNMENT = 16 B).
inline constexpr uint64_t kL1Alignment = 16;
// Firmware, mailboxes and kernel-config space below the allocatable L1 (order of WH's
// L1_UNRESERVED_BASE, ~96 KiB); circular buffers grow up from here, L1 buffers down from the top.
inline constexpr uint64_t kL1UnreservedBase = 98304;

// Defaults of a device open: ttnn tests commonly pass l1_small_size = 32 KiB; Llama demos reserve a
// trace region of a few tens of MB. Both are per bank here.
inline constexpr uint64_t kDefaultL1SmallBytes = 32768;
inline constexpr uint64_t kDefaultTraceRegionBytes = 8ull << 20;

// Mesh device ids start here so they never equal a chip id (chips are 0..N-1); all ids fit in u16.
inline constexpr int kFirstMeshId = 1000;
inline constexpr int kMaxChips = 64;
inline constexpr int kMaxMeshes = 64;

}  // namespace part
}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
