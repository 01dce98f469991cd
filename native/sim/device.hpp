// Simulated devices: a chip (Device) and a MeshDevice, both IDevice as in TT-Metal. A mesh owns the
// per-chip-identical allocator that its chips share, so a mesh buffer has one address on every chip.
#pragma once
#include <memory>
#include <vector>

#include "allocator.hpp"
#include "types.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

class IDevice {
 public:
  IDevice(ChipId id, std::shared_ptr<Allocator> allocator) : id_(id), allocator_(std::move(allocator)) {}
  virtual ~IDevice() = default;
  IDevice(const IDevice&) = delete;
  IDevice& operator=(const IDevice&) = delete;

  ChipId id() const { return id_; }
  const std::shared_ptr<Allocator>& allocator() const { return allocator_; }
  bool is_initialized() const { return initialized_; }
  uint32_t num_banks(BufferType type) const { return allocator_->get_num_banks(type); }
  CoreCoord compute_with_storage_grid_size() const;

  // Simulator: closing releases all memory without events (upstream: a buffer freed after its device
  // closed reports nothing). A mesh closes its chips too.
  virtual void close();
  // Program whose circular buffers are live on this device (0: none); see Program::launch.
  uint64_t live_cb_program = 0;

 private:
  ChipId id_;
  std::shared_ptr<Allocator> allocator_;
  bool initialized_ = true;
};

// A single chip.
class Device final : public IDevice {
 public:
  using IDevice::IDevice;
};

namespace distributed {

class MeshDevice final : public IDevice {
 public:
  MeshDevice(ChipId id, std::shared_ptr<Allocator> allocator, size_t rows, size_t cols,
             std::vector<std::shared_ptr<IDevice>> chips)
      : IDevice(id, std::move(allocator)), rows_(rows), cols_(cols), chips_(std::move(chips)) {}

  // Row-major, as TT-Metal's MeshDevice::get_devices().
  std::vector<IDevice*> get_devices() const;
  size_t num_devices() const { return chips_.size(); }
  size_t num_rows() const { return rows_; }
  size_t num_cols() const { return cols_; }
  void close() override;

 private:
  size_t rows_, cols_;
  std::vector<std::shared_ptr<IDevice>> chips_;
};

}  // namespace distributed
}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
