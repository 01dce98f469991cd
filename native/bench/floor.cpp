// (d) The floor: building and storing the same 64-byte record into a preallocated array, no transport.
#include <memory>

#include "../event.hpp"
#include "cases.hpp"

namespace tt_alloc::bench {

Summary run_floor(size_t batches) {
  constexpr size_t kSlots = 4096;  // 256 KiB: fits in L2, like the ring's hot lines
  std::unique_ptr<Event[]> slots(new Event[kSlots]());
  Event e{};
  e.kind = uint8_t(EventKind::Alloc);
  e.size = 4096;
  e.pageSize = 1024;
  e.layout = 0;
  size_t next = 0;
  return time_batches(batches / 4, batches, [&](size_t i) {
    for (size_t k = 0; k < kBatch; ++k) {
      e.objectId = i * kBatch + k;
      e.address = 64 + (k / 2) * 4096;
      e.kind = uint8_t(1 + (k & 1));
      slots[next++ & (kSlots - 1)] = e;
    }
    clobber_memory();
  });
}

}  // namespace tt_alloc::bench
