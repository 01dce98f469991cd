// A device's allocator: one BankAllocator per memory type, plus the requested-byte accounting that
// allocatorStats() reports. Shaped like TT-Metal's `device->allocator()` (get_statistics, get_num_banks).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "bank_allocator.hpp"
#include "part.hpp"
#include "runtime.hpp"
#include "types.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

// Like TT-Metal's allocator Statistics: byte counts of ONE bank's address space.
struct Statistics {
  size_t total_allocatable_size_bytes = 0;
  size_t total_allocated_bytes = 0;
  size_t total_free_bytes = 0;
  size_t largest_free_block_bytes = 0;
};

struct DeviceConfig {
  const Part* part;
  uint64_t l1_small_size;      // per L1 bank (upstream DEFAULT_L1_SMALL_SIZE = 0)
  uint64_t trace_region_size;  // per DRAM bank (upstream DEFAULT_TRACE_REGION_SIZE = 0)
  Generation generation;       // the L1 unreserved base is the generation's
};

class Allocator {
 public:
  explicit Allocator(const DeviceConfig& config);

  // TT-Metal surface.
  Statistics get_statistics(BufferType type) const;
  uint32_t get_num_banks(BufferType type) const;
  uint32_t get_alignment(BufferType type) const;
  // Upstream Allocator::get_base_allocator_addr: the DRAM or L1 unreserved base, the lowest address of
  // the DRAM / L1 bank (the layout in allocator.cpp); L1 is where circular buffers start. HOST (or any
  // other value) throws SimError ERR_SIM_UNSUPPORTED, as upstream throws "Allocator does not support
  // allocating in HOST".
  DeviceAddr get_base_allocator_addr(const HalMemType& mem_type) const;

  const Part& part() const { return *part_; }
  uint64_t trace_region_size() const { return trace_region_size_; }

  // Simulator surface. `total` is the buffer's size() (what upstream reports), `per_bank` what it
  // occupies in each of `banks_used` banks.
  uint64_t allocate(BufferType type, uint64_t per_bank, uint64_t total, bool bottom_up, uint32_t banks_used);
  void deallocate(BufferType type, uint64_t address, uint64_t total);
  void clear();
  // Requested bytes of live owning buffers and their peak, per type.
  struct Usage {
    uint64_t current = 0, peak = 0, buffers = 0;
  };
  const Usage& usage(BufferType type) const { return usage_[size_t(type)]; }
  const BankAllocator* bank(BufferType type) const;
  BankAllocator* bank(BufferType type);

 private:
  std::array<std::optional<BankAllocator>, 5> banks_;  // indexed by BufferType; SYSTEM_MEMORY empty
  std::array<Usage, 5> usage_{};
  const Part* part_;
  uint64_t l1_base_;
  uint64_t trace_region_size_;
};

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
