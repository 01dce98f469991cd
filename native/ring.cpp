#include "ring.hpp"

#include <cassert>
#include <cerrno>
#include <sys/mman.h>
#include <unistd.h>

#include <new>
#include <system_error>

namespace tt_alloc {

Ring::Ring(size_t capacity, uint64_t first_seq, int fd, uint64_t run_id)
    : mask_(capacity - 1), first_seq_(first_seq), file_backed_(fd >= 0) {
  assert(capacity >= 2 && (capacity & (capacity - 1)) == 0);
  const size_t bytes = bytes_for(capacity);
  // Anonymous or a fresh (sparse) file: zero-filled, page-aligned, and no page is touched until used
  // or prefaulted, so a large ring costs address space (or file holes), not memory, until events flow.
  void* memory;
  if (fd >= 0) {
    if (ftruncate(fd, off_t(bytes)) != 0) throw std::system_error(errno, std::generic_category(), "sizing the ring file");
    memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  } else {
    memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  }
  if (memory == MAP_FAILED) throw std::bad_alloc();
  slots_ = reinterpret_cast<Slot*>(static_cast<char*>(memory) + kRingHeaderBytes);
  RingHeader& h = header();
  std::memcpy(h.magic, "TTALRING", 8);
  h.version = kRingFileVersion;
  h.header_bytes = kRingHeaderBytes;
  h.slot_bytes = sizeof(Slot);
  h.event_format = kEventFormatVersion;
  h.capacity = capacity;
  h.first_seq = first_seq;
  h.run_id = run_id;
  h.tail.store(first_seq, std::memory_order_relaxed);
  h.head.store(first_seq, std::memory_order_relaxed);
}

Ring::~Ring() { munmap(&header(), bytes_for(capacity())); }

void Ring::publish_clock(const RingClock& clock) noexcept {
  RingHeader& h = header();
  const uint64_t g = h.clock_generation.load(std::memory_order_relaxed);
  h.clock[(g + 1) & 1] = clock;
  h.clock_generation.store(g + 1, std::memory_order_release);
}

}  // namespace tt_alloc
