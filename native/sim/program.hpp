// Program: circular buffers, a pool of buffers it keeps alive, and enqueues (EnqueueProgram /
// EnqueueMeshWorkload). What is reported, and when, follows the current generation (runtime.hpp,
// docs/sim.md#programs): ProgramImpl::allocate_circular_buffers reports track_allocate_cb; only the
// ttnn device-operation path (launch_device_operation) reports track_program.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "types.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

class Buffer;
class IDevice;
namespace distributed {
class MeshBuffer;
}

struct CircularBufferConfig {
  CoreRangeSet cores;
  uint64_t size = 0;  // bytes per core
  // Globally allocated CB: it lives in this buffer's memory, at its address.
  std::shared_ptr<Buffer> global_buffer;
  bool globally_allocated() const { return global_buffer != nullptr; }
};

class Program {
 public:
  Program();
  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  uint64_t get_id() const { return id_; }
  // CreateCircularBuffer; returns the CB's index.
  uint32_t add_circular_buffer(const CircularBufferConfig& config);
  // The program's buffer pool (2025-06 Program::add_buffer): keeps `buffer` alive until the pool is released.
  void add_buffer(std::shared_ptr<Buffer> buffer);
  void add_buffer(std::shared_ptr<distributed::MeshBuffer> buffer);
  // Program::invalidate_circular_buffer_allocation: the next enqueue allocates (and reports) the CBs again.
  void invalidate_circular_buffer_allocation();
  // EnqueueProgram / EnqueueMeshWorkload (no track_program). Allocates the CBs if needed (reporting them),
  // then validates the CB region: throws SimError ERR_SIM_CB_CLASH when it reaches the lowest L1 buffer,
  // after the CB events. 2025-06: releases the buffer pool after the enqueue.
  void enqueue(IDevice* device);

  // Simulator: CB addresses (per CB index) of the last allocation.
  const std::vector<uint64_t>& cb_addresses() const { return cb_addresses_; }

 private:
  struct CbAllocator {  // upstream CircularBufferAllocator: CB region end on one core range
    CoreRange range;
    uint64_t end = 0;
  };
  void compute_cb_addresses(const IDevice* device);
  void report_cbs(const IDevice* device) const;
  void validate_circular_buffer_region(const IDevice* device) const;
  void release_buffers();

  static uint64_t next_id_;
  uint64_t id_;
  std::vector<CircularBufferConfig> cbs_;
  std::vector<CbAllocator> cb_allocators_;
  std::vector<uint64_t> cb_addresses_;
  bool cb_allocation_needed_ = true;
  // Devices the CBs are allocated on since the last invalidation, and every device they were allocated
  // on (2026: track_deallocate_cb once per chip at destruction).
  std::vector<const IDevice*> cb_allocated_on_, cb_devices_;
  std::vector<std::shared_ptr<Buffer>> pool_;
  std::vector<std::shared_ptr<distributed::MeshBuffer>> mesh_pool_;
};

// ttnn's device-operation path: track_program(program, device) before the enqueue, and the program kept
// in the device's program cache.
void launch_device_operation(const std::shared_ptr<Program>& program, IDevice* device);

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
