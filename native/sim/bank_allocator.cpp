#include "bank_allocator.hpp"

#include "sim_error.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

BankAllocator::BankAllocator(std::string name, uint64_t base, uint64_t bytes, uint32_t banks, uint64_t alignment)
    : name_(std::move(name)), base_(base), bytes_(bytes), banks_(banks), alignment_(alignment) {
  clear();
}

void BankAllocator::clear() {
  free_.clear();
  used_.clear();
  allocated_ = 0;
  if (bytes_ > 0) free_[base_] = bytes_;
}

uint64_t BankAllocator::largest_free_per_bank() const {
  uint64_t largest = 0;
  for (const auto& [addr, size] : free_) largest = size > largest ? size : largest;
  return largest;
}

uint64_t BankAllocator::lowest_allocated() const { return used_.empty() ? base_ + bytes_ : used_.begin()->first; }

uint64_t BankAllocator::allocate(uint64_t per_bank, uint64_t requested_total, bool bottom_up, uint32_t banks_used) {
  // Both directions keep blocks aligned: block starts and ends are multiples of the alignment because
  // every size handed out is, and the region's base and size are.
  auto take = [&](std::map<uint64_t, uint64_t>::iterator it) {
    const uint64_t block = it->first, size = it->second;
    free_.erase(it);
    uint64_t addr;
    if (bottom_up) {
      addr = block;
      if (size > per_bank) free_[block + per_bank] = size - per_bank;
    } else {
      addr = block + size - per_bank;
      if (size > per_bank) free_[block] = size - per_bank;
    }
    used_[addr] = per_bank;
    allocated_ += per_bank;
    return addr;
  };
  if (per_bank > 0) {
    if (bottom_up) {
      for (auto it = free_.begin(); it != free_.end(); ++it)
        if (it->second >= per_bank) return take(it);
    } else {
      for (auto it = free_.rbegin(); it != free_.rend(); ++it)
        if (it->second >= per_bank) return take(std::prev(it.base()));
    }
  }
  throw SimError("ERR_SIM_OUT_OF_MEMORY",
                 "Out of " + name_ + " memory: requested " + std::to_string(requested_total) + " B (" +
                     std::to_string(per_bank) + " B per bank over " + std::to_string(banks_used) +
                     " banks), largest free block " + std::to_string(largest_free_per_bank()) +
                     " B per bank, capacity " + std::to_string(bytes_) + " B per bank");
}

void BankAllocator::deallocate(uint64_t address) {
  auto it = used_.find(address);
  if (it == used_.end()) return;  // already released (e.g. by clear() at device close)
  uint64_t start = it->first, size = it->second;
  allocated_ -= size;
  used_.erase(it);
  // Coalesce with the neighbouring free blocks.
  auto next = free_.lower_bound(start);
  if (next != free_.end() && next->first == start + size) {
    size += next->second;
    next = free_.erase(next);
  }
  if (next != free_.begin()) {
    auto prev = std::prev(next);
    if (prev->first + prev->second == start) {
      prev->second += size;
      return;
    }
  }
  free_[start] = size;
}

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
