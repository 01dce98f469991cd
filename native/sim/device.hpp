// Simulated devices: a chip (Device) and a MeshDevice, both IDevice as in TT-Metal. A mesh owns the
// per-chip-identical allocator that its chips share, so a mesh buffer has one address on every chip.
// Each device has a program cache (ttnn's device-operation path caches the programs it launches).
#pragma once
#include <memory>
#include <vector>

#include "allocator.hpp"
#include "types.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

class Program;

class IDevice {
 public:
  IDevice(ChipId id, std::shared_ptr<Allocator> allocator) : id_(id), allocator_(std::move(allocator)) {}
  virtual ~IDevice();
  IDevice(const IDevice&) = delete;
  IDevice& operator=(const IDevice&) = delete;

  ChipId id() const { return id_; }
  const std::shared_ptr<Allocator>& allocator() const { return allocator_; }
  bool is_initialized() const { return initialized_; }
  uint32_t num_banks(BufferType type) const { return allocator_->get_num_banks(type); }
  CoreCoord compute_with_storage_grid_size() const;

  // Upstream close(): see Device::close / MeshDevice::close. Memory is then released without events
  // (a buffer freed after its device closed reports nothing).
  virtual void close() = 0;

  // ttnn's program cache: the device-operation path keeps each program it launched here.
  void cache_program(const std::shared_ptr<Program>& program);
  // disable_and_clear_program_cache(): destroys the cached programs nobody else holds.
  void clear_program_cache();

 protected:
  void mark_closed();

 private:
  ChipId id_;
  std::shared_ptr<Allocator> allocator_;
  bool initialized_ = true;
  std::vector<std::shared_ptr<Program>> program_cache_;
};

// A single chip.
class Device final : public IDevice {
 public:
  using IDevice::IDevice;
  // Upstream Device::close: clears the program cache while still initialized (pool frees and, since
  // 2026-04-19, CB releases are reported), then the device is no longer initialized.
  void close() override;
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
  // Upstream MeshDevice::close: does not clear its program cache; closes its chips.
  void close() override;

 private:
  size_t rows_, cols_;
  std::vector<std::shared_ptr<IDevice>> chips_;
};

}  // namespace distributed
}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
