#include "journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include "crc32c.hpp"

namespace tt_alloc {
namespace {

std::atomic<uint32_t> g_temp_counter{0};

void put32(unsigned char* p, uint32_t v) { std::memcpy(p, &v, 4); }  // little-endian hosts only (x86-64, aarch64)
void put64(unsigned char* p, uint64_t v) { std::memcpy(p, &v, 8); }

// Bytes the unprivileged user may still allocate on the file system holding `path`; 0 if unknown.
uint64_t bytes_free(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  struct statvfs fs{};
  if (statvfs(dir.c_str(), &fs) != 0) return 0;
  return uint64_t(fs.f_bavail) * uint64_t(fs.f_frsize);
}

// Creates `path` with mode 0600 via an O_EXCL temporary renamed over it (see Journal::create), with
// `reserve` bytes allocated before the rename (so a failure leaves the previous file in place).
int create_private_file(const std::string& path, int access, size_t reserve = 0) {
  // A name taken (a file or symlink someone put there) is never opened: the next one is tried.
  std::string temp;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    temp = path + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(g_temp_counter.fetch_add(1));
    fd = open(temp.c_str(), access | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && (errno != EEXIST || attempt >= 99)) throw JournalOpenError(path + ": cannot create (" + std::strerror(errno) + ")");
  }
  auto fail = [&](int err) {
    close(fd);
    unlink(temp.c_str());
    return err;
  };
  // The umask may have removed bits from 0600; fchmod sets exactly owner read/write.
  if (fchmod(fd, 0600) != 0) throw JournalOpenError(path + ": cannot create (" + std::strerror(fail(errno)) + ")");
  if (reserve > 0) {
    // posix_fallocate returns the error (it does not set errno); EINTR: a signal, try again.
    int err;
    do err = posix_fallocate(fd, 0, off_t(reserve));
    while (err == EINTR);
    if (err == ENOSPC || err == EFBIG || err == EDQUOT) {
      fail(err);  // frees what was reserved, so the free space below is what the user has
      throw RecordSpaceError(path + ": not enough space for the ring file: needs " + std::to_string(reserve) +
                             " bytes, " + std::to_string(bytes_free(path)) + " bytes free");
    }
    if (err != 0) throw JournalOpenError(path + ": cannot reserve " + std::to_string(reserve) + " bytes (" + std::strerror(fail(err)) + ")");
  }
  if (rename(temp.c_str(), path.c_str()) != 0) throw JournalOpenError(path + ": cannot create (" + std::strerror(fail(errno)) + ")");
  return fd;
}

// Writes every byte of `iov`, retrying on EINTR and short writes. Returns 0 or an errno value.
int write_all(int fd, iovec* iov, int count) {
  while (count > 0) {
    const ssize_t n = writev(fd, iov, count);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    size_t left = size_t(n);
    while (count > 0 && left >= iov->iov_len) {
      left -= iov->iov_len;
      ++iov;
      --count;
    }
    if (count > 0) {
      iov->iov_base = static_cast<char*>(iov->iov_base) + left;
      iov->iov_len -= left;
    }
  }
  return 0;
}

}  // namespace

std::unique_ptr<Journal> Journal::create(const std::string& path, uint64_t run_id) {
  const int fd = create_private_file(path, O_WRONLY);
  std::unique_ptr<Journal> journal(new Journal(path, fd));
  unsigned char header[kJournalHeaderBytes] = {};
  std::memcpy(header, "TTALJRNL", 8);
  put32(header + 8, kJournalVersion);
  put32(header + 12, kJournalHeaderBytes);
  put32(header + 16, sizeof(Event));
  put32(header + 20, kEventFormatVersion);
  put32(header + 24, uint32_t(getpid()));
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  put64(header + 32, uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()));
  put64(header + 40, run_id);
  put32(header + 60, crc32c(0, header, 60));
  iovec iov{header, sizeof header};
  if (const int err = write_all(fd, &iov, 1); err != 0) {
    journal.reset();
    unlink(path.c_str());
    throw JournalOpenError(path + ": cannot write the journal header (" + std::strerror(err) + ")");
  }
  return journal;
}

Journal::~Journal() {
  if (fd_ >= 0) close(fd_);
}

int Journal::create_ring_file(size_t bytes) const { return create_private_file(path_ + ".ring", O_RDWR, bytes); }

bool Journal::write_block(BlockType type, uint64_t a, uint64_t b, const void* payload, size_t bytes) noexcept {
  if (fd_ < 0 || failed()) return false;
  unsigned char header[kBlockHeaderBytes] = {};
  put32(header, uint32_t(type));
  put32(header + 4, uint32_t(bytes));
  put64(header + 8, a);
  put64(header + 16, b);
  put32(header + 28, crc32c(crc32c(0, header, 28), payload, bytes));
  iovec iov[2] = {{header, sizeof header}, {const_cast<void*>(payload), bytes}};
  if (const int err = write_all(fd_, iov, bytes > 0 ? 2 : 1); err != 0) {
    error_ = "writing the journal " + path_ + " failed (" + std::strerror(err) + "); recording stopped";
    return false;
  }
  return true;
}

bool Journal::append_events(const Event* events, size_t count, uint64_t dropped, uint64_t ring_dropped) noexcept {
  for (size_t done = 0; done < count;) {
    const size_t n = std::min(count - done, kMaxEventsPerBlock);
    if (!write_block(BlockType::Events, dropped, ring_dropped, events + done, n * sizeof(Event))) return false;
    done += n;
    events_written_ += n;
  }
  return true;
}

bool Journal::append_names(const InternTable& names, uint32_t first_id, uint32_t last_id) noexcept {
  if (last_id < first_id) return true;
  try {
    std::vector<unsigned char> payload;
    for (uint32_t id = first_id; id <= last_id; ++id) {
      const std::string_view name = names.name(id);
      payload.push_back(uint8_t(name.size()));
      payload.insert(payload.end(), name.begin(), name.end());
    }
    return write_block(BlockType::Names, first_id, last_id - first_id + 1, payload.data(), payload.size());
  } catch (const std::bad_alloc&) {
    error_ = "out of memory writing names to the journal " + path_ + "; recording stopped";
    return false;
  }
}

bool Journal::append_drops(uint64_t dropped, uint64_t ring_dropped) noexcept {
  return write_block(BlockType::Drops, dropped, ring_dropped, nullptr, 0);
}

bool Journal::append_reset(uint64_t dropped) noexcept { return write_block(BlockType::Reset, dropped, 0, nullptr, 0); }

bool Journal::append_ring(uint64_t first_seq, uint64_t capacity) noexcept {
  return write_block(BlockType::Ring, first_seq, capacity, nullptr, 0);
}

bool Journal::finish(uint64_t events, uint64_t dropped) noexcept {
  const bool ok = write_block(BlockType::End, events, dropped, nullptr, 0);
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  // Only a complete journal may lose its ring file: otherwise the ring holds what the journal lacks.
  if (ok) unlink((path_ + ".ring").c_str());
  return ok;
}

}  // namespace tt_alloc
