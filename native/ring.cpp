#include "ring.hpp"

#include <cassert>
#include <new>

namespace tt_alloc {

Ring::Ring(size_t capacity, uint64_t first_seq)
    : mask_(capacity - 1), first_seq_(first_seq), tail_(first_seq), head_(first_seq) {
  assert(capacity >= 2 && (capacity & (capacity - 1)) == 0);
  slots_ = static_cast<Slot*>(::operator new[](capacity * sizeof(Slot), std::align_val_t{kCacheLine}));
  // No position of this ring is ever ~0, so no slot looks published before its first push.
  for (size_t i = 0; i < capacity; ++i) new (&slots_[i]) Slot{{~uint64_t(0)}, {}};
}

Ring::~Ring() { ::operator delete[](slots_, std::align_val_t{kCacheLine}); }

}  // namespace tt_alloc
