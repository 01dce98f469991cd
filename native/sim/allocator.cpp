#include "allocator.hpp"

#include "part.hpp"
#include "sim_error.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

// Per-bank layout (docs/sim.md#layout), with the part's constants:
//   DRAM bank: [dram_base, bank − trace) DRAM · [bank − trace, bank) TRACE
//   L1 bank:   [l1_base, l1 − l1_small) L1 · [l1 − l1_small, l1) L1_SMALL
// Regions of size 0 exist but hold nothing (an allocation there is out of memory, as upstream).
Allocator::Allocator(const DeviceConfig& c)
    : part_(c.part), l1_base_(c.part->l1_base(c.generation)), trace_region_size_(c.trace_region_size) {
  const Part& p = *c.part;
  const uint64_t dram_top = p.dram_bank_bytes - c.trace_region_size;
  banks_[size_t(BufferType::DRAM)].emplace("DRAM", p.dram_base, dram_top - p.dram_base, p.dram_banks, p.dram_alignment);
  banks_[size_t(BufferType::TRACE)].emplace("TRACE", dram_top, c.trace_region_size, p.dram_banks, p.dram_alignment);
  const uint64_t l1_top = p.l1_bank_bytes - c.l1_small_size;
  banks_[size_t(BufferType::L1)].emplace("L1", l1_base_, l1_top - l1_base_, p.l1_banks(), p.l1_alignment);
  banks_[size_t(BufferType::L1_SMALL)].emplace("L1_SMALL", l1_top, c.l1_small_size, p.l1_banks(), p.l1_alignment);
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

DeviceAddr Allocator::get_base_allocator_addr(const HalMemType& mem_type) const {
  switch (mem_type) {
    case HalMemType::DRAM: return part_->dram_base;
    case HalMemType::L1: return l1_base_;
    default: throw SimError("ERR_SIM_UNSUPPORTED", "Allocator does not support allocating in this memory type");
  }
}

uint64_t Allocator::allocate(BufferType type, uint64_t per_bank, uint64_t total, bool bottom_up, uint32_t banks_used) {
  BankAllocator* b = bank(type);
  if (b == nullptr) throw SimError("ERR_SIM_UNSUPPORTED", "the simulated device has no allocator for this memory type");
  const uint64_t address = b->allocate(per_bank, total, bottom_up, banks_used);
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
