#include "collector.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "producer.hpp"

namespace tt_alloc {
namespace {
inline void cpu_relax() noexcept {
#if defined(__x86_64__)
  __builtin_ia32_pause();
#endif
}
// How long the collector sleeps when the ring is empty. 200 µs keeps it under 0.1% of a core idle;
// at ~25 M events/s from one producer the default 262,144-slot ring holds ~10 ms, 50× this.
constexpr auto kIdleSleep = std::chrono::microseconds(200);
// Events moved per lock hold, so a JS drain never waits long behind the collector.
constexpr size_t kBatch = 4096;
// Emptied chunks kept for reuse (16 MiB): a second burst does not pay page faults again.
constexpr size_t kPoolChunks = 16;
}  // namespace

Collector& Collector::instance() {
  // Leaked on purpose: producers on runtime threads may outlive static destruction at exit.
  static Collector* collector = new Collector();
  return *collector;
}

uint32_t intern_name(std::string_view name) noexcept { return Collector::instance().names().intern(name); }

bool push_when_full(Ring& ring, const Event& e) noexcept {
  if (Overflow(g_hot.overflow.load(std::memory_order_relaxed)) == Overflow::Block) {
    // Wait for the collector, which frees ring slots unless the spill is full; then it would be the
    // JS thread we wait for, which may be this thread or blocked on it, so drop instead.
    for (uint32_t spins = 0; g_hot.enabled.load(std::memory_order_relaxed); ++spins) {
      if (ring.try_push(e) == Ring::PushResult::Ok) return true;
      if (Collector::instance().stalled()) break;
      if (spins < 1024) cpu_relax();
      else std::this_thread::sleep_for(std::chrono::microseconds(20));
    }
  }
  g_hot.dropped.fetch_add(1, std::memory_order_relaxed);
  ring.count_drop();
  return false;
}

void Collector::enable(const CollectorConfig& config) {
  std::unique_lock lock(mu_);
  if (journal_ && (config.record == RecordMode::Stop ||
                   (config.record == RecordMode::Start && journal_->path() != config.record_path))) {
    finish_journal_locked();
  }
  if (config.record == RecordMode::Start && !journal_) {
    start_journal_locked(config.record_path, config.ring_capacity);
  } else if (rings_.empty() || rings_.back()->capacity() != config.ring_capacity) {
    // While recording, the replacement ring is mapped from a fresh ring file too.
    int fd = -1;
    if (journal_) {
      try {
        fd = journal_->create_ring_file();
      } catch (const JournalOpenError& e) {
        record_error_ = e.what();
        journal_.reset();
      }
    }
    add_ring_locked(config.ring_capacity, fd);
  }
  config_ = config;
  g_hot.overflow.store(uint8_t(config.overflow), std::memory_order_relaxed);
  if (!thread_.joinable()) {
    stop_ = false;
    thread_ = std::thread([this] { run(); });
  }
  g_hot.enabled.store(true, std::memory_order_release);
}

void Collector::add_ring_locked(size_t capacity, int fd) {
  Ring* current = rings_.empty() ? nullptr : rings_.back().get();
  // Leave a gap so a straggler still pushing into the retired ring cannot reuse a sequence number
  // of the new one. Until the new ring is published the retired one can fill up (one lap: the
  // consumer waits on mu_); after that, every thread that loaded the old pointer claims at most
  // one more position there — a producer blocked on the full ring included, which a lap-only gap
  // missed (native/test/stress.cpp, "resize under load"). Thread indexes are 16-bit: 2^16 more.
  constexpr uint64_t kStragglers = uint64_t(1) << 16;
  const uint64_t next_seq = current ? current->claimed() + current->capacity() + kStragglers : 0;
  std::unique_ptr<Ring> ring;
  try {
    ring = std::make_unique<Ring>(capacity, next_seq, fd);
  } catch (const std::system_error& e) {
    if (fd >= 0) close(fd);
    throw JournalOpenError(journal_->path() + ".ring: cannot size the ring file (" + e.code().message() + ")");
  } catch (...) {
    if (fd >= 0) close(fd);
    throw;
  }
  if (fd >= 0) close(fd);  // the mapping keeps the file
  rings_.push_back(std::move(ring));
  prefaulted_ = 0;
  g_hot.ring.store(rings_.back().get(), std::memory_order_release);
  if (journal_ && fd >= 0 && !journal_->append_ring(next_seq, capacity)) journal_failed_locked();
}

void Collector::start_journal_locked(const std::string& path, size_t ring_capacity) {
  std::unique_ptr<Journal> journal = Journal::create(path);  // throws JournalOpenError
  const int fd = journal->create_ring_file();                 // throws JournalOpenError
  journal_ = std::move(journal);
  journal_dropped_base_ = g_hot.dropped.load(std::memory_order_relaxed);
  journaled_dropped_ = 0;
  journaled_names_ = 0;
  record_error_.clear();
  try {
    add_ring_locked(ring_capacity, fd);
  } catch (...) {
    unlink(path.c_str());
    unlink((path + ".ring").c_str());
    journal_.reset();
    throw;
  }
  if (!exit_hook_registered_) {
    exit_hook_registered_ = true;
    // Runs on every exit() — a normal end, process.exit(), an uncaught exception — but not when a
    // signal kills the process: then the ring file is what `recover` reads.
    std::atexit([] { Collector::instance().shutdown(); });
  }
}

void Collector::finish_journal_locked() {
  collect_locked();
  if (!journal_) return;
  journal_drops_locked();
  if (journal_ && !journal_->finish(journal_->events_written(), journal_dropped_locked())) record_error_ = journal_->error();
  journal_.reset();
}

uint64_t Collector::journal_dropped_locked() const {
  return g_hot.dropped.load(std::memory_order_relaxed) - journal_dropped_base_;
}

void Collector::journal_failed_locked() {
  record_error_ = journal_->error();
  // The ring file stays: what the journal could not take is still in it for `recover`.
  journal_.reset();
}

bool Collector::journal_names_locked() {
  const uint32_t names = names_.count();
  if (names > journaled_names_) {
    if (!journal_->append_names(names_, journaled_names_ + 1, names)) {
      journal_failed_locked();
      return false;
    }
    journaled_names_ = names;
  }
  return true;
}

void Collector::journal_batch_locked(const Event* events, size_t n) {
  // Called after the batch was copied out: a name is interned before any event that refers to it.
  if (!journal_names_locked()) return;
  const uint64_t dropped = journal_dropped_locked();
  if (!journal_->append_events(events, n, dropped, rings_.back()->dropped())) return journal_failed_locked();
  journaled_dropped_ = dropped;
}

void Collector::journal_drops_locked() {
  const uint64_t dropped = journal_dropped_locked();
  if (dropped == journaled_dropped_) return;
  if (!journal_->append_drops(dropped, rings_.back()->dropped())) return journal_failed_locked();
  journaled_dropped_ = dropped;
}

void Collector::disable() noexcept {
  g_hot.enabled.store(false, std::memory_order_release);
  std::unique_lock lock(mu_);
  if (!journal_) return;
  collect_locked();
  if (journal_) journal_drops_locked();
}

std::unique_ptr<Chunk> Collector::take_chunk_locked() {
  if (!pool_.empty()) {
    auto chunk = std::move(pool_.back());
    pool_.pop_back();
    chunk->count = 0;
    return chunk;
  }
  return std::unique_ptr<Chunk>(new Chunk);  // default-initialised: no 1 MiB memset
}

size_t Collector::collect_ring_locked(Ring& ring) {
  size_t moved = 0;
  stalled_.store(false, std::memory_order_relaxed);
  for (;;) {
    // Sampled before every batch: the ring is fullest just before the consumer takes from it.
    const uint64_t occupancy = ring.claimed() - ring.consumed();
    ring_high_water_ = std::max(ring_high_water_, std::min<uint64_t>(occupancy, ring.capacity()));
    if (occupancy == 0) break;
    if (spill_.empty() || spill_.back()->count == Chunk::kEvents) {
      if (buffered_ + Chunk::kEvents > std::max<size_t>(config_.spill_capacity, Chunk::kEvents)) {
        stalled_.store(true, std::memory_order_relaxed);
        break;
      }
      spill_.push_back(take_chunk_locked());
    }
    Chunk& chunk = *spill_.back();
    const size_t room = std::min(Chunk::kEvents - chunk.count, kBatch);
    const size_t n = ring.peek_batch(chunk.events + chunk.count, room);
    if (n == 0) break;
    convert_times_locked(chunk.events + chunk.count, n);
    // Journal first, then hand the slots back: every event is in the journal file or the ring file.
    if (journal_) journal_batch_locked(chunk.events + chunk.count, n);
    ring.release(n);
    chunk.count += n;
    buffered_ += n;
    moved += n;
  }
  spill_high_water_ = std::max(spill_high_water_, buffered_);
  return moved;
}

void Collector::convert_times_locked(Event* events, size_t n) {
  ticks_.resample();
  RingClock clock;
  ticks_.conversion(clock.anchor_ticks, clock.anchor_ns, clock.ns_per_tick);
  rings_.back()->publish_clock(clock);
  for (size_t i = 0; i < n; ++i) events[i].time = ticks_.to_ns(events[i].time);
}

size_t Collector::collect_locked() {
  size_t moved = 0;
  // Retired rings first: anything still in them was claimed before the current ring existed.
  for (auto& ring : rings_) moved += collect_ring_locked(*ring);
  return moved;
}

void Collector::prefault_step() {
  // 1 MiB of ring per step, between collection passes, so the first lap of a burst does not fault.
  Ring& ring = *rings_.back();
  const size_t step = (1 << 20) / sizeof(Event);
  ring.prefault(prefaulted_, prefaulted_ + step);
  prefaulted_ += step;
}

void Collector::run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    const size_t moved = collect_locked();
    // Names live in process memory: journal new ones on every pass, even while the spill is full, so
    // events a crash leaves in the ring file find their names in the journal.
    if (journal_) journal_names_locked();
    if (prefaulted_ < rings_.back()->capacity()) {
      prefault_step();
      continue;
    }
    if (moved == 0) {
      wake_.wait_for(lock, kIdleSleep);
    } else if (moved < kBatch) {
      // Let a waiting JS drain in between batches.
      lock.unlock();
      std::this_thread::yield();
      lock.lock();
    }
  }
}

uint64_t Collector::pending_locked() const {
  uint64_t pending = buffered_;
  for (const auto& ring : rings_) pending += ring->claimed() - ring->consumed();
  return pending;
}

std::vector<std::unique_ptr<Chunk>> Collector::take_spill(uint64_t Collector::*counter, bool reset, size_t max_events,
                                                          uint64_t* remaining) {
  std::unique_lock lock(mu_);
  std::vector<std::unique_ptr<Chunk>> out;
  // Alternate collecting and emptying the spill: a full spill stops collection, and what is still in
  // the ring then must come out too. Bounded by what was pending on entry, so producers that keep
  // pushing cannot keep the drain going forever, and by max_events (whole chunks, oldest first; the
  // first chunk always, so every call makes progress).
  const uint64_t pending = pending_locked();
  uint64_t taken = 0;
  bool full = false;
  while ((taken < pending || taken == 0) && !full) {
    collect_locked();
    if (buffered_ == 0) break;
    while (!spill_.empty()) {
      const size_t count = spill_.front()->count;
      if (taken > 0 && taken + count > max_events) {
        full = true;
        break;
      }
      out.push_back(std::move(spill_.front()));
      spill_.pop_front();
      taken += count;
      this->*counter += count;
      buffered_ -= count;
    }
  }
  stalled_.store(false, std::memory_order_relaxed);
  if (journal_) journal_drops_locked();
  if (journal_ && reset && !journal_->append_reset(journal_dropped_locked())) journal_failed_locked();
  if (remaining) *remaining = pending_locked();
  return out;
}

void Collector::recycle(std::vector<std::unique_ptr<Chunk>> chunks) {
  std::unique_lock lock(mu_);
  for (auto& chunk : chunks) {
    if (pool_.size() >= kPoolChunks) break;
    pool_.push_back(std::move(chunk));
  }
}

uint64_t Collector::discard() {
  std::vector<std::unique_ptr<Chunk>> chunks = take_spill(&Collector::discarded_, false, SIZE_MAX, nullptr);
  uint64_t events = 0;
  for (const auto& c : chunks) events += c->count;
  recycle(std::move(chunks));
  return events;
}

Stats Collector::stats() {
  std::unique_lock lock(mu_);
  uint64_t accepted = 0;
  for (auto& ring : rings_) accepted += ring->claimed() - ring->first_seq();
  return Stats{accepted,
               g_hot.dropped.load(std::memory_order_relaxed),
               drained_,
               discarded_,
               buffered_,
               ring_high_water_,
               spill_high_water_,
               rings_.empty() ? config_.ring_capacity : rings_.back()->capacity(),
               config_.spill_capacity,
               names_.count(),
               names_.overflowed()};
}

RecordStatus Collector::record_status() {
  std::unique_lock lock(mu_);
  return RecordStatus{journal_ ? journal_->path() : std::string(), record_error_, journal_ ? journal_->events_written() : 0,
                      journal_ ? journaled_names_ : 0};
}

void Collector::publish_progress() {
  std::unique_lock lock(mu_);
  if (!rings_.empty()) rings_.back()->set_user_counter(rings_.back()->claimed());
}

void Collector::shutdown() noexcept {
  g_hot.enabled.store(false, std::memory_order_release);
  {
    std::unique_lock lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::unique_lock lock(mu_);
  if (!journal_) return;
  // Nobody drains after this: everything left in the rings goes straight to the journal, whatever
  // the spill holds.
  try {
    std::unique_ptr<Chunk> scratch = take_chunk_locked();
    for (auto& ring : rings_) {
      for (size_t n; journal_ && (n = ring->peek_batch(scratch->events, kBatch)) > 0;) {
        convert_times_locked(scratch->events, n);
        journal_batch_locked(scratch->events, n);
        ring->release(n);
      }
    }
  } catch (const std::bad_alloc&) {
    // Without a scratch chunk the rest stays in the ring file, and the journal gets no End block.
    return;
  }
  if (!journal_) return;
  journal_drops_locked();
  if (journal_ && !journal_->finish(journal_->events_written(), journal_dropped_locked())) record_error_ = journal_->error();
  journal_.reset();
}

}  // namespace tt_alloc
