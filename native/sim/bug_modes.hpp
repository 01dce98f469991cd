// Faithful bug modes: how the TT-Metal branch instrumented for the out-of-process allocation server
// (fed over a Unix socket) reported events (docs/sim.md#bug-modes). All off by default: upstream semantics.
#pragma once
#include <atomic>

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

struct BugModes {
  std::atomic<bool> mesh_replica_events{false};     // per-chip replicas of a MeshBuffer report alloc/free
  std::atomic<bool> view_events{false};             // Buffer::view() reports alloc/free like an owner
  std::atomic<bool> program_pool_late_free{false};  // a pooled buffer freed explicitly frees again when the pool goes
  std::atomic<bool> double_deallocate{false};       // every reported free is reported twice
};

inline BugModes g_bug_modes;

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
