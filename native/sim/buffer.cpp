#include "buffer.hpp"

#include "bug_modes.hpp"
#include "device.hpp"
#include "graph_tracking.hpp"
#include "sim_error.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

// Starts at 1, unlike TT-Metal's 0: an event's rootId 0 means "no root".
std::atomic<size_t> Buffer::next_unique_id_{1};

Buffer::Buffer(Private, IDevice* device, DeviceAddr size, DeviceAddr page_size, BufferType type,
               TensorMemoryLayout layout, bool owns_data)
    : device_(device),
      unique_id_(next_unique_id_.fetch_add(1)),
      size_(size),
      page_size_(page_size),
      type_(type),
      layout_(layout),
      owns_data_(owns_data) {}

std::shared_ptr<Buffer> Buffer::create(IDevice* device, DeviceAddr size, DeviceAddr page_size, BufferType type,
                                       TensorMemoryLayout layout) {
  if (!device->is_initialized()) throw SimError("ERR_SIM_DEVICE_CLOSED", "device " + std::to_string(device->id()) + " is closed");
  auto buffer = std::make_shared<Buffer>(Private{}, device, size, page_size, type, layout, true);
  buffer->allocate_impl();
  return buffer;
}

std::shared_ptr<Buffer> Buffer::create(IDevice* device, DeviceAddr address, DeviceAddr size, DeviceAddr page_size,
                                       BufferType type, TensorMemoryLayout layout) {
  auto buffer = std::make_shared<Buffer>(Private{}, device, size, page_size, type, layout, false);
  buffer->address_ = address;
  buffer->allocated_ = true;
  return buffer;
}

std::shared_ptr<Buffer> Buffer::view(const BufferRegion& region) {
  std::shared_ptr<Buffer> root = root_buffer();
  const DeviceAddr offset = root_offset_ + region.offset;
  auto v = std::make_shared<Buffer>(Private{}, device_, region.size, page_size_, type_, layout_, false);
  v->address_ = root->address_ + offset;
  v->allocated_ = true;
  v->root_ = std::move(root);
  v->root_offset_ = offset;
  if (g_bug_modes.view_events.load(std::memory_order_relaxed)) v->report_as_owner();
  return v;
}

// Upstream Buffer::allocate_impl: the address is assigned first, then track_allocate. Zero-size
// buffers take no memory and report nothing.
void Buffer::allocate_impl() {
  if (size_ == 0) return;
  const auto& allocator = device_->allocator();
  const uint32_t banks = allocator->get_num_banks(type_);
  const DeviceAddr page = page_size_ == 0 ? size_ : page_size_;
  const DeviceAddr pages = (size_ + page - 1) / page;
  const DeviceAddr pages_per_bank = banks == 0 ? pages : (pages + banks - 1) / banks;
  per_bank_ = align_up(pages_per_bank * page, allocator->get_alignment(type_));
  address_ = allocator->allocate(type_, per_bank_, size_);
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

// Upstream Buffer::deallocate_impl: track_deallocate first, then the memory goes back. After the
// device closed, its memory is already gone and nothing is reported.
void Buffer::deallocate_impl(bool explicit_call) {
  if (!allocated_) return;
  allocated_ = false;
  if (explicit_call) freed_explicitly_ = true;
  if (!device_->is_initialized()) return;
  if (owns_data_) {
    if (size_ == 0) return;
    report_free();
    device_->allocator()->deallocate(type_, address_, size_);
  } else if (reports_) {
    report_free();
  }
}

void Buffer::deallocate() { deallocate_impl(true); }

Buffer::~Buffer() { deallocate_impl(false); }

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
