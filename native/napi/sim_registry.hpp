// What JS holds of the simulated runtime, by number: open chips and meshes by id (a mesh and a chip may
// share an id, so they are kept apart), buffers by unique id, programs by id. One recursive mutex guards
// it all; every JS_ function of js_sim.cpp takes it, so the runtime's state is single-threaded even if
// several Node environments load the addon.
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
  std::shared_ptr<tm::Buffer> buffer;                 // plain buffer or view (null for a mesh buffer)
  std::shared_ptr<tm::distributed::MeshBuffer> mesh;  // mesh buffer: the MeshBuffer is the only holder of its backing
};

struct ProgramEntry {
  std::shared_ptr<tm::Program> program;  // the device's program cache may hold it too
  tm::IDevice* device;
};

struct SimRegistry {
  std::recursive_mutex mutex;
  std::map<int, std::shared_ptr<tm::IDevice>> chips;
  std::map<int, std::shared_ptr<tm::distributed::MeshDevice>> meshes;
  // Upstream generate_unique_mesh_id(): a process-wide counter from 0, never reused.
  int next_mesh_id = 0;
  // Closed devices stay allocated for the life of the process: buffers keep raw device pointers,
  // as upstream, and may be destroyed after their device closed.
  std::vector<std::shared_ptr<tm::IDevice>> closed;
  std::map<uint64_t, BufferEntry> buffers;
  std::map<uint64_t, ProgramEntry> programs;

  tm::IDevice& device(int id, bool is_mesh);  // throws SimError ERR_SIM_NO_DEVICE
  tm::IDevice& chip(int id) { return device(id, false); }
  BufferEntry& buffer(uint64_t id);
  ProgramEntry& program(uint64_t id);
  int lowest_free_chip() const;
  bool idle() const { return chips.empty() && meshes.empty() && programs.empty() && buffers.empty(); }
  void close(int id, bool is_mesh);
  void close_all();
};

// Leaked on purpose: never destroyed during static destruction while buffers may still be freed.
SimRegistry& registry();

}  // namespace tt_alloc::js
