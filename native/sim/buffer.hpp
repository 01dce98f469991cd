// Buffer, as upstream's tt_metal/impl/buffers/buffer.cpp: owning buffers allocate in their device's
// allocator and report through GraphTracker (track_allocate after the address is assigned,
// track_deallocate before the memory is returned; nothing for zero-size, non-owning or device-closed
// buffers). Non-owning buffers (created at an address, views, mesh per-chip buffers) report only under
// the matching bug mode.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

#include "types.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

class IDevice;

class Buffer final : public std::enable_shared_from_this<Buffer> {
  struct Private {};  // construction goes through create()/view(), as upstream

 public:
  // Owning: allocates `size` bytes, interleaved over the type's banks or, sharded, over `num_cores`
  // cores. `bottom_up` defaults to is_dram() (DRAM and TRACE), as upstream.
  static std::shared_ptr<Buffer> create(IDevice* device, DeviceAddr size, DeviceAddr page_size, BufferType type,
                                        TensorMemoryLayout layout = TensorMemoryLayout::INTERLEAVED,
                                        std::optional<uint32_t> num_cores = std::nullopt,
                                        std::optional<bool> bottom_up = std::nullopt);
  // Non-owning: describes memory at `address` that something else owns. Reports nothing upstream.
  static std::shared_ptr<Buffer> create(IDevice* device, DeviceAddr address, DeviceAddr size, DeviceAddr page_size,
                                        BufferType type, TensorMemoryLayout layout = TensorMemoryLayout::INTERLEAVED,
                                        std::optional<uint32_t> num_cores = std::nullopt);

  Buffer(Private, IDevice* device, DeviceAddr size, DeviceAddr page_size, BufferType type, TensorMemoryLayout layout,
         std::optional<uint32_t> num_cores, bool bottom_up, bool owns_data);
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  // Upstream Buffer::view: offset and size page multiples inside this buffer (SimError ERR_SIM_FATAL
  // otherwise); the full range returns this buffer itself; otherwise a non-owning buffer at this
  // buffer's address (the root's), its offset kept in root_buffer_region(), holding the first root.
  std::shared_ptr<Buffer> view(const BufferRegion& region);
  // DeallocateBuffer: frees now if this buffer owns its memory (a non-owning buffer ignores it).
  void deallocate();
  // Marks the buffer deallocated without a free (upstream: no event either). A non-owning buffer reporting
  // under a bug mode reports its free here, as the instrumented branch's mark_as_deallocated did.
  void mark_as_deallocated();

  IDevice* device() const { return device_; }
  size_t unique_id() const { return unique_id_; }
  DeviceAddr address() const { return address_; }
  DeviceAddr size() const { return size_; }
  DeviceAddr page_size() const { return page_size_; }
  uint32_t num_pages() const { return page_size_ == 0 ? 0 : uint32_t(size_ / page_size_); }
  BufferType buffer_type() const { return type_; }
  TensorMemoryLayout buffer_layout() const { return layout_; }
  std::optional<uint32_t> num_cores() const { return num_cores_; }
  bool bottom_up() const { return bottom_up_; }
  bool is_allocated() const { return allocated_; }
  bool owns_data() const { return owns_data_; }
  // Root of a view (the buffer itself otherwise) and the region of the root this buffer covers.
  std::shared_ptr<Buffer> root_buffer() { return root_ ? root_ : shared_from_this(); }
  BufferRegion root_buffer_region() const { return {root_offset_, size_}; }

  // Simulator: bytes this buffer occupies in each bank it uses.
  DeviceAddr size_per_bank() const { return per_bank_; }
  // Simulator: allocated under a graph hook (address 0, nothing taken from the allocator).
  bool hooked() const { return hooked_; }
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

  // Upstream Buffer::next_unique_id starts at 0.
  static std::atomic<size_t> next_unique_id_;

  IDevice* device_;
  size_t unique_id_;
  DeviceAddr size_, page_size_;
  BufferType type_;
  TensorMemoryLayout layout_;
  std::optional<uint32_t> num_cores_;
  bool bottom_up_;
  bool owns_data_;
  bool allocated_ = false;
  bool hooked_ = false;
  bool reports_ = false;  // non-owning buffer reporting under a bug mode
  bool freed_explicitly_ = false;
  DeviceAddr address_ = 0;
  DeviceAddr per_bank_ = 0;
  std::shared_ptr<Buffer> root_;  // views only: the first root
  DeviceAddr root_offset_ = 0;
};

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
