// Program: circular buffers, a pool of buffers it keeps alive, and launches.
// Launch on a device: if another program's CBs are live there they are released
// (track_deallocate_cb), then track_program, then one track_allocate_cb per CB of this program.
// Relaunching the program whose CBs are live reports only track_program (its CBs stay allocated).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "types.hpp"

namespace tt::tt_metal {
inline namespace tt_alloc_sim {

class Buffer;
class IDevice;

struct CircularBufferConfig {
  CoreRangeSet cores;
  uint64_t size = 0;  // bytes per core
  bool globally_allocated = false;
};

class Program {
 public:
  Program();
  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  uint64_t get_id() const { return id_; }
  // Upstream's only program id on every supported tree (get_id() is gone since PR #27472); ttnn sets
  // it per launch. The simulator returns its program id so that CbAlloc events name their program.
  uint64_t get_runtime_id() const { return id_; }
  // CreateCircularBuffer; returns the CB's index.
  uint32_t add_circular_buffer(const CircularBufferConfig& config);
  // Keeps `buffer` alive as long as the program (a cached program's pool).
  void add_buffer(std::shared_ptr<Buffer> buffer);
  // EnqueueProgram. Throws SimError ERR_SIM_CB_CLASH when the CBs would overlap L1 buffers.
  void launch(IDevice* device);

  // Simulator: CB addresses from the last launch (L1, bottom-up from the unreserved base).
  const std::vector<uint64_t>& cb_addresses() const { return cb_addresses_; }

 private:
  static uint64_t next_id_;
  uint64_t id_;
  // Devices on which this program's CBs were the live ones at its last launch there: destroying the
  // program releases them (upstream deallocates a program's CBs with the program).
  std::vector<IDevice*> cb_devices_;
  std::vector<CircularBufferConfig> cbs_;
  std::vector<uint64_t> cb_addresses_;
  std::vector<std::shared_ptr<Buffer>> pool_;
};

}  // namespace tt_alloc_sim
}  // namespace tt::tt_metal
