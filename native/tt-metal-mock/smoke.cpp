// Plain C++ proof, before Node: opens the mock devices of the real runtime through the driver with a
// processor that prints every GraphTracker callback it receives. Run by scripts/tt-metal-mock/smoke.sh.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <tt-metalium/buffer.hpp>
#include <tt-metalium/device.hpp>
#include <tt-metalium/graph_tracking.hpp>

#include "driver.hpp"

namespace metal = tt::tt_metal;

namespace {
struct PrintingProcessor : metal::IGraphProcessor {
  void track_allocate(const metal::Buffer* b) override { print("alloc", b); }
  void track_deallocate(metal::Buffer* b) override { print("free", b); }
  void track_allocate_cb(const metal::CoreRangeSet& cores, uint64_t addr, uint64_t size, bool global,
                         const metal::IDevice* d) override {
    std::printf("cb_alloc device=%d cores=%u addr=%llu size=%llu global=%d\n", int(d->id()), unsigned(cores.num_cores()),
                (unsigned long long)addr, (unsigned long long)size, int(global));
  }
  void track_deallocate_cb(const metal::IDevice* d) override { std::printf("cb_release device=%d\n", int(d->id())); }
  void track_program(metal::Program*, const metal::IDevice* d) override { std::printf("program device=%d\n", int(d->id())); }
  static void print(const char* what, const metal::Buffer* b) {
    std::printf("%s id=%zu device=%d type=%d addr=%llu size=%llu page=%llu \n", what, b->unique_id(),
                int(b->device()->id()), int(b->buffer_type()), (unsigned long long)b->address(),
                (unsigned long long)b->size(), (unsigned long long)b->page_size());
  }
};
}  // namespace

int main(int argc, char** argv) {
  const bool mesh = argc > 1 && std::strcmp(argv[1], "mesh") == 0;
  metal::GraphTracker::instance().push_processor(std::make_shared<PrintingProcessor>());
  tt_alloc::mock::Driver driver;
  try {
    if (!mesh) {
      const auto d = driver.open_device(0, 32768, 8 << 20);
      std::printf("device id=%d dram banks=%u x %llu, l1 banks=%u x %llu\n", d.id, d.banks[0],
                  (unsigned long long)d.bank_bytes[0], d.banks[1], (unsigned long long)d.bank_bytes[1]);
      for (int type : {0, 1, 4}) {
        const auto b = driver.create_buffer(d.handle, 8192, 2048, type);
        std::printf(" -> buffer handle=%d id=%llu addr=%llu\n", b.handle, (unsigned long long)b.id, (unsigned long long)b.address);
        if (type == 0) {
          const auto v = driver.create_view(b.handle, 2048, 4096);
          std::printf(" -> view id=%llu addr=%llu\n", (unsigned long long)v.id, (unsigned long long)v.address);
          driver.release(v.handle);
        }
        driver.release(b.handle);
      }
      const auto s = driver.create_sharded_buffer(d.handle, {0, 0, 1, 0, 0, 0}, 2, 2048, 3);
      std::printf(" -> sharded L1_SMALL id=%llu addr=%llu size=%llu\n", (unsigned long long)s.id, (unsigned long long)s.address, (unsigned long long)s.size);
      driver.release(s.handle);
      const auto p = driver.launch_program(d.handle, {{0, 0, 1, 1, 4096, 2048}, {0, 0, 0, 0, 8192, 2048}});
      std::printf(" -> program id=%llu\n", (unsigned long long)p.id);
      driver.release(p.handle);
      driver.close(d.handle);
    } else {
      const auto m = driver.open_mesh(1, 2, 32768, 8 << 20);
      std::printf("mesh id=%d chips=%zu [%d,%d]\n", m.id, m.chips.size(), m.chips.at(0), m.chips.at(1));
      const auto mb = driver.create_mesh_buffer(m.handle, 8192, 2048, 0);
      std::printf(" -> mesh buffer addr=%llu backing id=%llu device=%d shards=%zu\n", (unsigned long long)mb.address,
                  (unsigned long long)mb.backing.id, mb.backing.device, mb.shards.size());
      for (const auto& s : mb.shards)
        std::printf("    shard id=%llu device=%d addr=%llu\n", (unsigned long long)s.id, s.device, (unsigned long long)s.address);
      driver.release(mb.handle);
      const auto b = driver.create_buffer(m.handle, 4096, 2048, 1);
      std::printf(" -> buffer on mesh id=%llu device=%d addr=%llu\n", (unsigned long long)b.id, b.device, (unsigned long long)b.address);
      driver.release(b.handle);
      driver.close(m.handle);
    }
  } catch (const std::exception& e) {
    std::printf("error: %s\n", e.what());
    return 1;
  }
  std::puts("done");
  return 0;
}
