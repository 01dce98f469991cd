// (b) The socket-fed allocation server's transport, rebuilt: every event becomes a 128-byte packed message written
// with a blocking send() loop under a std::mutex onto an AF_UNIX stream socket; a reader thread drains
// the other end, as the out-of-process server did.
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "cases.hpp"

namespace tt_alloc::bench {
namespace {

struct __attribute__((packed)) Message {
  uint8_t type;  // 1 allocate, 2 free
  uint8_t buffer_type;
  uint16_t reserved;
  uint32_t device_id;
  uint64_t size;
  uint64_t address;
  uint64_t buffer_id;
  uint64_t timestamp_ns;
  int32_t pid;
  int32_t tid;
  char padding[80];
};
static_assert(sizeof(Message) == 128, "the allocation server's message is 128 bytes");

class SocketTransport {
 public:
  SocketTransport() {
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds_) != 0) throw std::runtime_error(std::strerror(errno));
    reader_ = std::thread([fd = fds_[1]] {
      char buf[64 * 1024];
      while (recv(fd, buf, sizeof buf, 0) > 0) {
      }
    });
  }
  ~SocketTransport() {
    shutdown(fds_[0], SHUT_WR);
    reader_.join();
    close(fds_[0]);
    close(fds_[1]);
  }

  void send_message(const Message& m) {
    std::lock_guard lock(mutex_);
    const char* p = reinterpret_cast<const char*>(&m);
    size_t sent = 0;
    while (sent < sizeof m) {
      const ssize_t n = send(fds_[0], p + sent, sizeof m - sent, MSG_NOSIGNAL);
      if (n > 0) sent += size_t(n);
      else if (n < 0 && errno != EINTR) throw std::runtime_error(std::strerror(errno));
    }
  }

 private:
  int fds_[2] = {-1, -1};
  std::mutex mutex_;
  std::thread reader_;
};

}  // namespace

Summary run_socket(size_t batches) {
  SocketTransport transport;
  Message m{};
  m.device_id = 0;
  m.buffer_type = 0;
  m.size = 4096;
  m.pid = int32_t(getpid());
  return time_batches(batches / 4, batches, [&](size_t i) {
    for (size_t k = 0; k < kBatch; ++k) {
      m.type = uint8_t(1 + (k & 1));
      m.address = 64 + (k / 2) * 4096;
      m.buffer_id = i * kBatch + k / 2;
      m.timestamp_ns = i;
      transport.send_message(m);
    }
  });
}

}  // namespace tt_alloc::bench
