#include "buffer.hpp"

#include "bug_modes.hpp"
#include "device.hpp"
#include "graph_hooks.hpp"
#include "graph_tracking.hpp"
#include "sim_error.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

std::atomic<size_t> Buffer::next_unique_id_{0};

namespace {
// Upstream validate_buffer_parameters: a non-empty buffer's size is a whole number of pages.
void validate_size(DeviceAddr size, DeviceAddr page_size) {
  if (size != 0 && (page_size == 0 || size % page_size != 0))
    throw SimError("ERR_SIM_FATAL", "buffer size " + std::to_string(size) + " B is not a multiple of its page size " +
                                        std::to_string(page_size) + " B");
}
}  // namespace

Buffer::Buffer(Private, IDevice* device, DeviceAddr size, DeviceAddr page_size, BufferType type,
               TensorMemoryLayout layout, std::optional<uint32_t> num_cores, bool bottom_up, bool owns_data)
    : device_(device),
      unique_id_(next_unique_id_.fetch_add(1)),
      size_(size),
      page_size_(page_size),
      type_(type),
      layout_(layout),
      num_cores_(num_cores),
      bottom_up_(bottom_up),
      owns_data_(owns_data) {}

std::shared_ptr<Buffer> Buffer::create(IDevice* device, DeviceAddr size, DeviceAddr page_size, BufferType type,
                                       TensorMemoryLayout layout, std::optional<uint32_t> num_cores,
                                       std::optional<bool> bottom_up) {
  if (!device->is_initialized()) throw SimError("ERR_SIM_DEVICE_CLOSED", "device " + std::to_string(device->id()) + " is closed");
  validate_size(size, page_size);
  const bool is_dram = type == BufferType::DRAM || type == BufferType::TRACE;
  auto buffer =
      std::make_shared<Buffer>(Private{}, device, size, page_size, type, layout, num_cores, bottom_up.value_or(is_dram), true);
  // Upstream Buffer::create: a zero-size buffer is marked allocated without allocate_impl (no event).
  if (size == 0) {
    buffer->allocated_ = true;
    return buffer;
  }
  buffer->allocate_impl();
  return buffer;
}

std::shared_ptr<Buffer> Buffer::create(IDevice* device, DeviceAddr address, DeviceAddr size, DeviceAddr page_size,
                                       BufferType type, TensorMemoryLayout layout, std::optional<uint32_t> num_cores) {
  validate_size(size, page_size);
  const bool is_dram = type == BufferType::DRAM || type == BufferType::TRACE;
  auto buffer = std::make_shared<Buffer>(Private{}, device, size, page_size, type, layout, num_cores, is_dram, false);
  buffer->address_ = address;
  buffer->allocated_ = true;
  return buffer;
}

std::shared_ptr<Buffer> Buffer::view(const BufferRegion& region) {
  if (page_size_ == 0 || region.offset % page_size_ != 0 || region.size % page_size_ != 0)
    throw SimError("ERR_SIM_FATAL", "view region [" + std::to_string(region.offset) + ", +" + std::to_string(region.size) +
                                        ") is not a whole number of " + std::to_string(page_size_) + " B pages");
  if (region.offset + region.size > size_)
    throw SimError("ERR_SIM_FATAL", "view region [" + std::to_string(region.offset) + ", +" + std::to_string(region.size) +
                                        ") is not within the buffer's " + std::to_string(size_) + " B");
  if (region.offset == 0 && region.size == size_) return shared_from_this();
  auto v = create(device_, address_, region.size, page_size_, type_, layout_, num_cores_);
  v->bottom_up_ = bottom_up_;
  v->root_ = root_buffer();
  v->root_offset_ = root_offset_ + region.offset;
  if (g_bug_modes.view_events.load(std::memory_order_relaxed)) v->report_as_owner();
  return v;
}

// Upstream Buffer::allocate_impl: a graph hook that takes the allocation leaves address 0; otherwise the
// allocator assigns the address. Either way track_allocate follows, after the buffer is marked allocated.
// Size per bank (BankManager): ceil(pages / banks) × the page size rounded up to the type's alignment,
// where banks are every bank of the type when interleaved, one when SINGLE_BANK, the buffer's cores
// when sharded.
void Buffer::allocate_impl() {
  if (GraphHooks::instance().hook_allocate(this)) {
    address_ = 0;
    hooked_ = true;
  } else {
    const auto& allocator = device_->allocator();
    if (type_ == BufferType::L1_SMALL && !is_sharded(layout_))
      throw SimError("ERR_SIM_FATAL", "L1_SMALL only supports sharded allocations");
    uint32_t banks = allocator->get_num_banks(type_);
    if (is_sharded(layout_)) banks = num_cores_.value_or(banks);
    if (layout_ == TensorMemoryLayout::SINGLE_BANK) banks = 1;
    const DeviceAddr aligned_page = align_up(page_size_, allocator->get_alignment(type_));
    const DeviceAddr pages = size_ / page_size_;
    per_bank_ = (pages + banks - 1) / banks * aligned_page;
    address_ = allocator->allocate(type_, per_bank_, size_, bottom_up_, banks);
  }
  allocated_ = true;
  GraphTracker::instance().track_allocate(this);
}

void Buffer::report_as_owner() {
  if (owns_data_ || size_ == 0 || !device_->is_initialized()) return;
  reports_ = true;
  GraphTracker::instance().track_allocate(this);
}

void Buffer::report_free() {
  GraphTracker::instance().track_deallocate(this);
  if (g_bug_modes.double_deallocate.load(std::memory_order_relaxed)) GraphTracker::instance().track_deallocate(this);
}

// Upstream Buffer::deallocate_impl: only while the device is initialized and the size non-zero:
// track_deallocate first, then the memory goes back unless a hook takes the free or the allocation was
// hooked. After the device closed nothing is reported (its allocator was cleared at close).
void Buffer::deallocate_impl(bool explicit_call) {
  if (!allocated_) return;
  if (explicit_call) freed_explicitly_ = true;
  if (device_->is_initialized()) {
    if (owns_data_ && size_ != 0) {
      report_free();
      if (!GraphHooks::instance().hook_deallocate(this) && !hooked_) device_->allocator()->deallocate(type_, address_, size_);
    } else if (reports_) {
      report_free();
    }
  }
  allocated_ = false;
}

void Buffer::mark_as_deallocated() {
  if (allocated_ && reports_ && device_->is_initialized()) report_free();
  allocated_ = false;
}

// Upstream Buffer::deallocate: a non-owning buffer ignores it.
void Buffer::deallocate() {
  if (owns_data_) deallocate_impl(true);
}

Buffer::~Buffer() { deallocate_impl(false); }

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
