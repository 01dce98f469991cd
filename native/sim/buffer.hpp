// Buffer: owning buffers allocate in their device's allocator and report through GraphTracker exactly
// as TT-Metal does (allocate after the address is assigned, deallocate before the memory is returned,
// nothing for zero-size, non-owning or device-closed buffers). Non-owning buffers (created at an
// address, views, mesh replicas) report only under the matching bug mode.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>

#include "types.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

class IDevice;

class Buffer final : public std::enable_shared_from_this<Buffer> {
  struct Private {};  // construction goes through create()/view(), as upstream

 public:
  // Owning: allocates `size` bytes, interleaved over the type's banks.
  static std::shared_ptr<Buffer> create(IDevice* device, DeviceAddr size, DeviceAddr page_size, BufferType type,
                                        TensorMemoryLayout layout = TensorMemoryLayout::INTERLEAVED);
  // Non-owning: describes memory at `address` that something else owns. Reports nothing upstream.
  static std::shared_ptr<Buffer> create(IDevice* device, DeviceAddr address, DeviceAddr size, DeviceAddr page_size,
                                        BufferType type, TensorMemoryLayout layout = TensorMemoryLayout::INTERLEAVED);

  Buffer(Private, IDevice* device, DeviceAddr size, DeviceAddr page_size, BufferType type, TensorMemoryLayout layout,
         bool owns_data);
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  // Non-owning buffer over `region` of this buffer's root; keeps the root alive.
  std::shared_ptr<Buffer> view(const BufferRegion& region);
  // Releases the memory now (DeallocateBuffer). Safe to call twice; the destructor calls it too.
  void deallocate();

  IDevice* device() const { return device_; }
  size_t unique_id() const { return unique_id_; }
  DeviceAddr address() const { return address_; }
  DeviceAddr size() const { return size_; }
  DeviceAddr page_size() const { return page_size_; }
  uint32_t num_pages() const { return page_size_ == 0 ? 0 : uint32_t((size_ + page_size_ - 1) / page_size_); }
  BufferType buffer_type() const { return type_; }
  TensorMemoryLayout buffer_layout() const { return layout_; }
  bool is_allocated() const { return allocated_; }
  bool owns_data() const { return owns_data_; }
  // Root of a view (the buffer itself otherwise) and the region of the root this buffer covers.
  std::shared_ptr<Buffer> root_buffer() { return root_ ? root_ : shared_from_this(); }
  BufferRegion root_buffer_region() const { return {root_offset_, size_}; }

  // Simulator: bytes this buffer occupies in each bank.
  DeviceAddr size_per_bank() const { return per_bank_; }
  // Simulator: the user freed this buffer explicitly (programPoolLateFree replays its free later).
  bool freed_explicitly() const { return freed_explicitly_; }
  // Simulator: a non-owning buffer that reports like an owner (bug modes); reports its allocation now.
  void report_as_owner();
  // Simulator: reserves `n` consecutive unique ids, returning the first, for buffers made outside the
  // simulator (the synthetic test producers), so the two never collide in one process.
  static size_t reserve_unique_ids(size_t n) { return next_unique_id_.fetch_add(n); }

 private:
  void allocate_impl();
  void deallocate_impl(bool explicit_call);
  void report_free();

  static std::atomic<size_t> next_unique_id_;

  IDevice* device_;
  size_t unique_id_;
  DeviceAddr size_, page_size_;
  BufferType type_;
  TensorMemoryLayout layout_;
  bool owns_data_;
  bool allocated_ = false;
  bool reports_ = false;  // non-owning buffer reporting under a bug mode
  bool freed_explicitly_ = false;
  DeviceAddr address_ = 0;
  DeviceAddr per_bank_ = 0;
  std::shared_ptr<Buffer> root_;  // views only
  DeviceAddr root_offset_ = 0;
};

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
