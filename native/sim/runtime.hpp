// The upstream generation the simulated runtime behaves as (sim.configure({ runtime })). One process
// models one generation at a time; every rule that differs between them asks here. docs/sim.md lists
// each rule with its upstream source.
#pragma once
#include <atomic>
#include <cstdint>

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

enum class Generation : uint8_t {
  // tenstorrent/tt-metal as of 2025-06-11 (the 2025-06 headers: docs/sim.md#generations).
  k2025_06 = 0,
  // tenstorrent/tt-metal as of 2026-04-25 (the 2026-04 headers): after PR #36999 (2026-02, trace
  // buffers in DRAM) and PR #37218 (2026-04-19, circular buffers per chip).
  k2026_04 = 1,
};

inline std::atomic<Generation> g_generation{Generation::k2026_04};

inline Generation generation() { return g_generation.load(std::memory_order_relaxed); }

namespace rules {
// ProgramImpl::allocate_circular_buffers: per chip, globally allocated CBs reported, and
// track_deallocate_cb when the program is destroyed (PR #37218, 2026-04-19).
inline bool cbs_per_chip() { return generation() >= Generation::k2026_04; }
// EnqueueProgram releases the program's buffer pool right after enqueue (2025-06 Program::release_buffers);
// later the pool lives as long as the program's implementation.
inline bool pool_released_at_enqueue() { return generation() == Generation::k2025_06; }
// Trace buffers: TRACE MeshBuffers in 2025; since PR #36999 (2026-02) DRAM, top-down, when the trace
// region size is 0.
inline bool trace_in_dram_when_no_region() { return generation() >= Generation::k2026_04; }
// TensorMemoryLayout::SINGLE_BANK = 1 existed until 2025-06-23; ND_SHARDED = 5 exists in 2026.
inline bool has_single_bank_layout() { return generation() == Generation::k2025_06; }
inline bool has_nd_sharded_layout() { return generation() >= Generation::k2026_04; }
}  // namespace rules

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
