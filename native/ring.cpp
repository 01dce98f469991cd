#include "ring.hpp"

#include <cassert>
#include <sys/mman.h>

#include <new>

namespace tt_alloc {

Ring::Ring(size_t capacity, uint64_t first_seq)
    : mask_(capacity - 1), first_seq_(first_seq), tail_(first_seq), head_(first_seq) {
  assert(capacity >= 2 && (capacity & (capacity - 1)) == 0);
  // Anonymous mmap: zero-filled, page-aligned, and no page is touched until used or prefaulted, so a
  // large ring costs address space, not memory, until events flow.
  void* memory = mmap(nullptr, capacity * sizeof(Slot), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) throw std::bad_alloc();
  slots_ = static_cast<Slot*>(memory);
}

Ring::~Ring() { munmap(slots_, capacity() * sizeof(Slot)); }

}  // namespace tt_alloc
