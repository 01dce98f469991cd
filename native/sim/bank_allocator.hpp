// One address space shared by every bank of one memory type: an interleaved buffer occupies the same
// address range in every bank, so one first-fit free list per (device, type) is enough (as TT-Metal's
// BankManager). The direction is the buffer's: upstream Buffer's bottom_up defaults to is_dram() (DRAM
// and TRACE bottom-up; L1 and L1_SMALL top-down) and trace buffers in DRAM ask for top-down.
#pragma once
#include <cstdint>
#include <map>
#include <string>

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

class BankAllocator {
 public:
  // [base, base + bytes) of each bank is allocatable.
  BankAllocator(std::string name, uint64_t base, uint64_t bytes, uint32_t banks, uint64_t alignment);

  // First fit of `per_bank` bytes (already aligned by the caller) over `banks_used` banks (all banks when
  // interleaved, the buffer's cores when sharded). Throws SimError (ERR_SIM_OUT_OF_MEMORY) naming
  // requested, largest free block and capacity. Returns the address.
  uint64_t allocate(uint64_t per_bank, uint64_t requested_total, bool bottom_up, uint32_t banks_used);
  void deallocate(uint64_t address);
  // Forgets every allocation (device close).
  void clear();

  uint32_t banks() const { return banks_; }
  uint64_t alignment() const { return alignment_; }
  uint64_t base() const { return base_; }
  uint64_t capacity_per_bank() const { return bytes_; }
  uint64_t allocated_per_bank() const { return allocated_; }
  uint64_t largest_free_per_bank() const;
  // Lowest allocated address, or base + capacity when empty (circular buffers must stay below it).
  uint64_t lowest_allocated() const;

 private:
  std::string name_;
  uint64_t base_, bytes_;
  uint32_t banks_;
  uint64_t alignment_;
  uint64_t allocated_ = 0;
  std::map<uint64_t, uint64_t> free_;  // address → size, coalesced
  std::map<uint64_t, uint64_t> used_;  // address → size
};

inline uint64_t align_up(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
