#include "sim_registry.hpp"

#include "../sim/part.hpp"
#include "../sim/sim_error.hpp"

namespace tt_alloc::js {

SimRegistry& registry() {
  static SimRegistry* r = new SimRegistry();
  return *r;
}

tm::IDevice& SimRegistry::device(int id) {
  auto it = open.find(id);
  if (it == open.end()) throw tm::SimError("ERR_SIM_NO_DEVICE", "no open simulated device with id " + std::to_string(id));
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
    if (!open.count(id)) return id;
  return -1;
}

int SimRegistry::lowest_free_mesh() const {
  for (int id = tm::part::kFirstMeshId; id < tm::part::kFirstMeshId + tm::part::kMaxMeshes; ++id)
    if (!open.count(id)) return id;
  return -1;
}

void SimRegistry::close(int id) {
  auto it = open.find(id);
  if (it == open.end()) return;
  std::shared_ptr<tm::IDevice> device = it->second;
  device->close();
  open.erase(it);
  if (auto* mesh = dynamic_cast<tm::distributed::MeshDevice*>(device.get()))
    for (tm::IDevice* chip : mesh->get_devices()) open.erase(chip->id());
  closed.push_back(std::move(device));
}

void SimRegistry::close_all() {
  // Programs and buffers first, while their devices are open: upstream order of a clean teardown.
  programs.clear();
  buffers.clear();
  while (!open.empty()) close(open.rbegin()->first);
}

}  // namespace tt_alloc::js
