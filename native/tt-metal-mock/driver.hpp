// A minimal driver of the real TT-Metal host API for the mock-device proof (docs/tt-metal.md, "Real
// runtime on mock devices"): it only calls TT-Metal (CreateDevice, MeshDevice::create, Buffer::create,
// Buffer::view, MeshBuffer::create, CreateCircularBuffer + LaunchProgram, GraphTracker's op calls) and
// reports what the runtime itself says about each object, so a test can hold the processor's events against the runtime's own
// answers. Nothing here imitates TT-Metal. Objects are kept alive by handle until released.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tt::tt_metal {
class IDevice;
class Buffer;
class Program;
namespace distributed {
class MeshDevice;
class MeshBuffer;
}  // namespace distributed
}  // namespace tt::tt_metal

namespace tt_alloc::mock {

// What the runtime reports about a device: its own id and, for a mesh, its chips' ids in mesh order.
struct DeviceFacts {
  int handle;
  int id;
  bool mesh;
  std::vector<int> chips;
  // Allocator facts per memory type (BufferType order DRAM, L1, SYSTEM_MEMORY, L1_SMALL, TRACE):
  // banks and per-bank allocatable bytes, read from device->allocator(); 0 where the type has none.
  std::vector<uint32_t> banks;
  std::vector<uint64_t> bank_bytes;
  // Allocator::get_base_allocator_addr(HalMemType::DRAM), then (HalMemType::L1): the lowest address the
  // DRAM and L1 bank managers hand out (the DRAM and L1 unreserved bases); 0 if the runtime throws.
  std::vector<uint64_t> base_addresses;
};

// What the runtime reports about a buffer (Buffer accessors, not the processor).
struct BufferFacts {
  int handle;
  uint64_t id;  // Buffer::unique_id()
  int device;   // buffer->device()->id()
  int type;     // BufferType
  uint64_t address;
  uint64_t size;
  uint64_t page_size;
};

struct MeshBufferFacts {
  int handle;
  uint64_t address;
  uint64_t size;  // MeshBuffer::size() (global)
  uint64_t device_local_size;
  BufferFacts backing;              // the buffer MeshBuffer allocated on the mesh device
  std::vector<BufferFacts> shards;  // get_device_buffer(coord) per chip, mesh order
};

struct CircularBuffer {
  uint32_t x0, y0, x1, y1;  // logical core range, inclusive
  uint32_t size;
  uint32_t page_size;
};

struct ProgramFacts {
  int handle;
  uint64_t id;  // Program::get_runtime_id() after the launch
};

class Driver {
 public:
  DeviceFacts open_device(int id, uint64_t l1_small, uint64_t trace_region);
  DeviceFacts open_mesh(uint32_t rows, uint32_t cols, uint64_t l1_small, uint64_t trace_region);
  void close(int device_handle);
  BufferFacts create_buffer(int device_handle, uint64_t size, uint64_t page_size, int type);
  // HEIGHT_SHARDED over the cores (x0,y0)-(x1,y1), `pages_per_shard` pages per core (L1_SMALL takes
  // only sharded buffers: allocator.cpp validate_num_banks).
  BufferFacts create_sharded_buffer(int device_handle, const CircularBuffer& cores, uint32_t pages_per_shard,
                                    uint64_t page_size, int type);
  BufferFacts create_view(int buffer_handle, uint64_t offset, uint64_t size);
  MeshBufferFacts create_mesh_buffer(int mesh_handle, uint64_t size, uint64_t page_size, int type);
  ProgramFacts launch_program(int device_handle, const std::vector<CircularBuffer>& cbs);
  // Drops the driver's reference (the runtime deallocates when the last owner goes).
  void release(int handle);
  // DeallocateBuffer() / MeshBuffer::deallocate() explicitly, keeping the object.
  void deallocate(int handle);
  // GraphTracker::instance().track_function_start(name) / track_function_end(): the calls ttnn's
  // operation decorators make around an op (here without arguments), so buffers carry an op name.
  void begin_op(const std::string& name);
  void end_op();

 private:
  tt::tt_metal::IDevice* device(int handle) const;
  BufferFacts facts(int handle, const tt::tt_metal::Buffer& buffer) const;
  int next_ = 1;
  std::map<int, tt::tt_metal::IDevice*> chips_;
  std::map<int, std::shared_ptr<tt::tt_metal::distributed::MeshDevice>> meshes_;
  std::map<int, std::shared_ptr<tt::tt_metal::Buffer>> buffers_;
  std::map<int, std::shared_ptr<tt::tt_metal::distributed::MeshBuffer>> mesh_buffers_;
  std::map<int, std::shared_ptr<tt::tt_metal::Program>> programs_;
};

}  // namespace tt_alloc::mock
