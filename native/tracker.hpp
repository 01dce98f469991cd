// Process-wide tracker state. The hot fields are constant-initialised globals so the push path is a
// few loads with no static-initialisation guard; everything else lives in the Collector.
#pragma once
#include <atomic>
#include <cstdint>

#include "event.hpp"
#include "ring.hpp"

namespace tt_alloc {

enum class Overflow : uint8_t { Drop = 0, Block = 1 };

struct HotState {
  std::atomic<bool> enabled{false};
  std::atomic<Ring*> ring{nullptr};  // the current ring; a retired one is unmapped only after quiescence (in_flight.hpp)
  std::atomic<uint8_t> overflow{uint8_t(Overflow::Drop)};
  alignas(kCacheLine) std::atomic<uint64_t> dropped{0};  // written only when the ring is full
  std::atomic<uint16_t> next_thread{0};
};
inline HotState g_hot;

// Small dense thread index, assigned on a thread's first push. initial-exec TLS: one %fs-relative
// load instead of a __tls_get_addr call from a dlopen'ed addon.
inline uint16_t this_thread_index() noexcept {
  static thread_local uint16_t index __attribute__((tls_model("initial-exec"))) = 0;
  if (__builtin_expect(index == 0, 0)) index = uint16_t(g_hot.next_thread.fetch_add(1) + 1);
  return index;
}

// Slow path of push(): the ring was full. Drop policy counts; block policy waits while the collector
// can still make room (see collector.cpp), on whichever ring is current. Called inside the push's
// PushWindow. Out of line to keep push() small.
bool push_when_full(Ring& ring, const Event& e) noexcept;

}  // namespace tt_alloc
