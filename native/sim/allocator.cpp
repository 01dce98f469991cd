#include "allocator.hpp"

#include "part.hpp"
#include "sim_error.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

// Per-bank layout (docs/sim.md#layout):
//   DRAM bank: [64, 1 GiB − trace) DRAM bottom-up · [1 GiB − trace, 1 GiB) TRACE bottom-up
//   L1 bank:   [96 KiB, 1464 KiB − l1_small) L1 top-down · [1464 KiB − l1_small, 1464 KiB) L1_SMALL bottom-up
Allocator::Allocator(const DeviceConfig& c) {
  using namespace part;
  const uint64_t dram_top = kDramBankBytes - c.trace_region_size;
  banks_[size_t(BufferType::DRAM)].emplace("DRAM", kDramUnreservedBase, dram_top - kDramUnreservedBase, kDramBanks,
                                           kDramAlignment, true);
  banks_[size_t(BufferType::TRACE)].emplace("TRACE", dram_top, c.trace_region_size, kDramBanks, kDramAlignment, true);
  const uint64_t l1_top = kL1BankBytes - c.l1_small_size;
  banks_[size_t(BufferType::L1)].emplace("L1", kL1UnreservedBase, l1_top - kL1UnreservedBase, kL1Banks, kL1Alignment,
                                         false);
  banks_[size_t(BufferType::L1_SMALL)].emplace("L1_SMALL", l1_top, c.l1_small_size, kL1Banks, kL1Alignment, true);
}

const BankAllocator* Allocator::bank(BufferType type) const {
  const size_t i = size_t(type);
  return i < banks_.size() && banks_[i] ? &*banks_[i] : nullptr;
}
BankAllocator* Allocator::bank(BufferType type) {
  const size_t i = size_t(type);
  return i < banks_.size() && banks_[i] ? &*banks_[i] : nullptr;
}

Statistics Allocator::get_statistics(BufferType type) const {
  Statistics s;
  if (const BankAllocator* b = bank(type)) {
    s.total_allocatable_size_bytes = b->capacity_per_bank();
    s.total_allocated_bytes = b->allocated_per_bank();
    s.total_free_bytes = b->capacity_per_bank() - b->allocated_per_bank();
    s.largest_free_block_bytes = b->largest_free_per_bank();
  }
  return s;
}

uint32_t Allocator::get_num_banks(BufferType type) const {
  const BankAllocator* b = bank(type);
  return b ? b->banks() : 0;
}

uint32_t Allocator::get_alignment(BufferType type) const {
  const BankAllocator* b = bank(type);
  return b ? uint32_t(b->alignment()) : 0;
}

uint64_t Allocator::allocate(BufferType type, uint64_t per_bank, uint64_t total) {
  BankAllocator* b = bank(type);
  if (b == nullptr) throw SimError("ERR_SIM_UNSUPPORTED", "the simulated device has no allocator for this memory type");
  const uint64_t address = b->allocate(per_bank, total);
  Usage& u = usage_[size_t(type)];
  u.current += total;
  u.buffers++;
  if (u.current > u.peak) u.peak = u.current;
  return address;
}

void Allocator::deallocate(BufferType type, uint64_t address, uint64_t total) {
  BankAllocator* b = bank(type);
  if (b == nullptr) return;
  b->deallocate(address);
  Usage& u = usage_[size_t(type)];
  u.current -= total;
  u.buffers--;
}

void Allocator::clear() {
  for (auto& b : banks_)
    if (b) b->clear();
  for (auto& u : usage_) u.current = u.buffers = 0;
}

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
