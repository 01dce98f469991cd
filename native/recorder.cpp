#include "recorder.hpp"

#include <unistd.h>

#include <random>

namespace tt_alloc {
namespace {
// Never 0, which a reader takes for "no identity" (hand-made journals).
uint64_t fresh_run_id() {
  std::random_device random;
  for (;;) {
    const uint64_t id = (uint64_t(random()) << 32) ^ random();
    if (id != 0) return id;
  }
}
const std::string kNoPath;
}  // namespace

const std::string& Recorder::path() const noexcept { return journal_ ? journal_->path() : kNoPath; }

int Recorder::start(const std::string& path, size_t ring_bytes, uint64_t dropped_now) {
  const uint64_t run_id = fresh_run_id();
  std::unique_ptr<Journal> journal = Journal::create(path, run_id);  // throws JournalOpenError
  int fd;
  try {
    fd = journal->create_ring_file(ring_bytes);
  } catch (...) {
    journal.reset();
    unlink(path.c_str());
    throw;
  }
  journal_ = std::move(journal);
  run_id_ = run_id;
  dropped_base_ = dropped_now;
  journaled_dropped_ = 0;
  journaled_names_ = 0;
  error_.clear();
  return fd;
}

void Recorder::abandon() noexcept {
  if (!journal_) return;
  const std::string path = journal_->path();
  journal_.reset();
  unlink(path.c_str());
  unlink((path + ".ring").c_str());
}

void Recorder::ring_installed(uint64_t first_seq, uint64_t capacity) noexcept {
  if (journal_ && !journal_->append_ring(first_seq, capacity)) failed();
}

void Recorder::failed() noexcept {
  error_ = journal_->error();
  journal_.reset();
}

void Recorder::names(const InternTable& table) noexcept {
  if (!journal_) return;
  const uint32_t count = table.count();
  if (count <= journaled_names_) return;
  if (!journal_->append_names(table, journaled_names_ + 1, count)) return failed();
  journaled_names_ = count;
}

void Recorder::events(const Event* events, size_t n, const InternTable& table, uint64_t dropped_now,
                      uint64_t ring_dropped) noexcept {
  // After the batch was copied out: a name is interned before any event that refers to it.
  names(table);
  if (!journal_) return;
  const uint64_t dropped = dropped_now - dropped_base_;
  if (!journal_->append_events(events, n, dropped, ring_dropped)) return failed();
  journaled_dropped_ = dropped;
}

void Recorder::drops(uint64_t dropped_now, uint64_t ring_dropped) noexcept {
  if (!journal_) return;
  const uint64_t dropped = dropped_now - dropped_base_;
  if (dropped == journaled_dropped_) return;
  if (!journal_->append_drops(dropped, ring_dropped)) return failed();
  journaled_dropped_ = dropped;
}

void Recorder::reset(uint64_t dropped_now) noexcept {
  if (journal_ && !journal_->append_reset(dropped_now - dropped_base_)) failed();
}

void Recorder::finish(uint64_t dropped_now, uint64_t ring_dropped) noexcept {
  drops(dropped_now, ring_dropped);
  if (!journal_) return;
  if (!journal_->finish(journal_->events_written(), dropped_now - dropped_base_)) error_ = journal_->error();
  journal_.reset();
}

RecordStatus Recorder::status() const {
  return RecordStatus{path(), error_, journal_ ? journal_->events_written() : 0, journal_ ? journaled_names_ : 0};
}

}  // namespace tt_alloc
