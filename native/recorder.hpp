// The recorder: the journal being written, its run identity, what it has recorded so far (names, drop
// count: the watermarks) and why it stopped early. It decides nothing about rings: the collector asks
// it for a ring file and tells it what it installed. Consumer side only: the collector calls every
// method under its mutex.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "event.hpp"
#include "intern.hpp"
#include "journal.hpp"

namespace tt_alloc {

struct RecordStatus {
  std::string path;   // journal being written, empty if none
  std::string error;  // why the last journal stopped early, empty if it did not
  uint64_t events;    // events written to the current journal
  uint32_t names;     // names written to the current journal
};

class Recorder {
 public:
  bool active() const noexcept { return journal_ != nullptr; }
  const std::string& path() const noexcept;
  uint64_t run_id() const noexcept { return active() ? run_id_ : 0; }

  // Creates the journal at `path` (a fresh run identity) and its ring file with `ring_bytes` reserved;
  // returns the ring file's descriptor. Throws JournalOpenError / RecordSpaceError and then leaves
  // neither file behind and recording off. `dropped_now`: the process's drop counter at the start.
  int start(const std::string& path, size_t ring_bytes, uint64_t dropped_now);
  // start() succeeded but its ring could not be mapped: removes both files; recording is off.
  void abandon() noexcept;
  // A new ring file for a replacement ring while recording. Throws as start(); recording goes on.
  int ring_file(size_t ring_bytes) const { return journal_->create_ring_file(ring_bytes); }
  // The collector installed a file-backed ring: the journal says where the ring file's ring starts.
  void ring_installed(uint64_t first_seq, uint64_t capacity) noexcept;

  // Journals names interned since the last call. Names live in process memory: called on every
  // collection pass, so events a crash leaves in the ring file find their names in the journal.
  void names(const InternTable& table) noexcept;
  // A batch copied out of the ring (times in ns), before its slots are handed back. `dropped_now`:
  // the process's drop counter; `ring_dropped`: the current ring's.
  void events(const Event* events, size_t n, const InternTable& table, uint64_t dropped_now, uint64_t ring_dropped) noexcept;
  void drops(uint64_t dropped_now, uint64_t ring_dropped) noexcept;
  void reset(uint64_t dropped_now) noexcept;
  // Writes the end block (the journal is complete; its ring file is removed) and stops recording.
  void finish(uint64_t dropped_now, uint64_t ring_dropped) noexcept;

  RecordStatus status() const;

 private:
  // A write failed: recording stops, the error is kept. The ring file stays: what the journal could
  // not take is still in it for `recover`.
  void failed() noexcept;

  std::unique_ptr<Journal> journal_;
  uint64_t run_id_ = 0;
  uint64_t dropped_base_ = 0;  // process drop counter when the journal started
  uint64_t journaled_dropped_ = 0;
  uint32_t journaled_names_ = 0;  // names written: ids 1..journaled_names_
  std::string error_;
};

}  // namespace tt_alloc
