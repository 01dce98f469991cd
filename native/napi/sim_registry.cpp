#include "sim_registry.hpp"

#include "../sim/part.hpp"
#include "../sim/sim_error.hpp"

namespace tt_alloc::js {

SimRegistry& registry() {
  static SimRegistry* r = new SimRegistry();
  return *r;
}

tm::IDevice& SimRegistry::device(int id, bool is_mesh) {
  if (is_mesh) {
    auto it = meshes.find(id);
    if (it != meshes.end()) return *it->second;
    throw tm::SimError("ERR_SIM_NO_DEVICE", "no open simulated mesh device with id " + std::to_string(id));
  }
  auto it = chips.find(id);
  if (it == chips.end()) throw tm::SimError("ERR_SIM_NO_DEVICE", "no open simulated device with id " + std::to_string(id));
  return *it->second;
}

BufferEntry& SimRegistry::buffer(uint64_t id) {
  auto it = buffers.find(id);
  if (it == buffers.end())
    throw tm::SimError("ERR_SIM_NO_BUFFER", "buffer " + std::to_string(id) + " was deallocated or never existed");
  return it->second;
}

ProgramEntry& SimRegistry::program(uint64_t id) {
  auto it = programs.find(id);
  if (it == programs.end())
    throw tm::SimError("ERR_SIM_NO_PROGRAM", "program " + std::to_string(id) + " was destroyed or never existed");
  return it->second;
}

int SimRegistry::lowest_free_chip() const {
  for (int id = 0; id < tm::part::kMaxChips; ++id)
    if (!chips.count(id)) return id;
  return -1;
}

void SimRegistry::close(int id, bool is_mesh) {
  if (is_mesh) {
    auto it = meshes.find(id);
    if (it == meshes.end()) return;
    std::shared_ptr<tm::distributed::MeshDevice> mesh = it->second;
    meshes.erase(it);
    mesh->close();  // MeshDevice::close leaves its program cache alone
    for (tm::IDevice* chip : mesh->get_devices()) chips.erase(chip->id());
    mesh->clear_program_cache();  // closed: the cached programs go without events
    closed.push_back(std::move(mesh));
    return;
  }
  auto it = chips.find(id);
  if (it == chips.end()) return;
  std::shared_ptr<tm::IDevice> device = it->second;
  chips.erase(it);
  device->close();
  closed.push_back(std::move(device));
}

void SimRegistry::close_all() {
  // Programs and buffers first, while their devices are open: upstream order of a clean teardown.
  programs.clear();
  buffers.clear();
  while (!meshes.empty()) close(meshes.begin()->first, true);
  while (!chips.empty()) close(chips.begin()->first, false);
}

}  // namespace tt_alloc::js
