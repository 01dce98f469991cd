// The recording journal: an append-only file of checksummed blocks (events, names, drop counts,
// resets), written by the collector with write() after it copies a batch out of the ring and before
// it hands the slots back. Byte layout: docs/recording.md; reader: lib/journal/reader.ts.
// Never used on the producer path. Not thread-safe: the collector calls it under its mutex.
#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "event.hpp"
#include "intern.hpp"

namespace tt_alloc {

inline constexpr uint32_t kJournalVersion = 1;
inline constexpr uint32_t kJournalHeaderBytes = 64;
inline constexpr uint32_t kBlockHeaderBytes = 32;
// Largest events block the writer makes (1 MiB); the reader accepts blocks up to 4 MiB.
inline constexpr size_t kMaxEventsPerBlock = 16384;

enum class BlockType : uint32_t { Events = 1, Names = 2, Drops = 3, Reset = 4, Ring = 5, End = 6 };

// Opening the journal or its ring file failed; the message names the file and the reason.
class JournalOpenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// The ring file's blocks could not be reserved: the file system is short of space. The message names
// the ring file, the bytes needed and the bytes free.
class RecordSpaceError : public JournalOpenError {
 public:
  using JournalOpenError::JournalOpenError;
};

class Journal {
 public:
  // Creates `path` with mode 0600 through a fresh O_EXCL temporary renamed
  // over the final name: a previous journal is replaced, and a symlink planted at the name is
  // replaced rather than followed. Writes the file header, with `run_id` (the identity the ring file
  // carries too). Throws JournalOpenError.
  static std::unique_ptr<Journal> create(const std::string& path, uint64_t run_id);
  ~Journal();

  const std::string& path() const noexcept { return path_; }
  // Creates (or replaces) `path + ".ring"`, mode 0600, with `bytes` reserved on disk (posix_fallocate)
  // before it replaces the previous ring file, for a Ring to map; the caller closes the fd. A shared
  // mapping of a sparse file dies with SIGBUS on the first store the disk cannot take; reserving makes
  // that an error here. Throws RecordSpaceError (ENOSPC) or JournalOpenError; the old file stays then.
  int create_ring_file(size_t bytes) const;

  // Each append writes one whole block with one writev(); false (with error() set) if it failed,
  // after which the journal accepts nothing more.
  bool append_events(const Event* events, size_t count, uint64_t dropped, uint64_t ring_dropped) noexcept;
  bool append_names(const InternTable& names, uint32_t first_id, uint32_t last_id) noexcept;
  bool append_drops(uint64_t dropped, uint64_t ring_dropped) noexcept;
  bool append_reset(uint64_t dropped) noexcept;
  bool append_ring(uint64_t first_seq, uint64_t capacity) noexcept;
  // Writes the End block, closes the file and removes the ring file: the journal alone is complete.
  bool finish(uint64_t events, uint64_t dropped) noexcept;

  bool failed() const noexcept { return !error_.empty(); }
  const std::string& error() const noexcept { return error_; }
  uint64_t events_written() const noexcept { return events_written_; }

 private:
  Journal(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  bool write_block(BlockType type, uint64_t a, uint64_t b, const void* payload, size_t bytes) noexcept;

  std::string path_;
  int fd_;
  std::string error_;
  uint64_t events_written_ = 0;
};

}  // namespace tt_alloc
