// What JS holds of the simulated runtime, by number: open devices by id, buffers by unique id,
// programs by id. One recursive mutex guards it all; every JS_ function of js_sim.cpp takes it, so
// the runtime's state is single-threaded even if several Node environments load the addon.
#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "../sim/buffer.hpp"
#include "../sim/device.hpp"
#include "../sim/mesh_buffer.hpp"
#include "../sim/program.hpp"

namespace tt_alloc::js {

namespace tm = tt::tt_metal;

struct BufferEntry {
  std::shared_ptr<tm::Buffer> buffer;                   // plain buffer or view
  std::shared_ptr<tm::distributed::MeshBuffer> mesh;    // mesh buffer (buffer = its backing)
};

struct ProgramEntry {
  std::unique_ptr<tm::Program> program;
  tm::IDevice* device;
};

struct SimRegistry {
  std::recursive_mutex mutex;
  std::map<int, std::shared_ptr<tm::IDevice>> open;
  // Closed devices stay allocated for the life of the process: buffers keep raw device pointers,
  // as upstream, and may be destroyed after their device closed.
  std::vector<std::shared_ptr<tm::IDevice>> closed;
  std::map<uint64_t, BufferEntry> buffers;
  std::map<uint64_t, ProgramEntry> programs;

  tm::IDevice& device(int id);  // throws SimError ERR_SIM_NO_DEVICE
  BufferEntry& buffer(uint64_t id);
  ProgramEntry& program(uint64_t id);
  int lowest_free_chip() const;
  int lowest_free_mesh() const;
  void close(int id);
  void close_all();
};

// Leaked on purpose: never destroyed during static destruction while buffers may still be freed.
SimRegistry& registry();

}  // namespace tt_alloc::js
