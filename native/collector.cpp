#include "collector.hpp"

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
}  // namespace

Collector& Collector::instance() {
  // Leaked on purpose: producers on runtime threads may outlive static destruction at exit.
  static Collector* collector = new Collector();
  return *collector;
}

uint32_t intern_name(std::string_view name) noexcept { return Collector::instance().names().intern(name); }

bool push_when_full(Ring& full, const Event& e) noexcept {
  Ring* ring = &full;
  if (Overflow(g_hot.overflow.load(std::memory_order_relaxed)) == Overflow::Block) {
    // Wait for the collector, which frees ring slots unless the spill is full; then it would be the
    // JS thread we wait for, which may be this thread or blocked on it, so drop instead.
    for (uint32_t spins = 0; g_hot.enabled.load(std::memory_order_relaxed); ++spins) {
      if (ring->try_push(e) == Ring::PushResult::Ok) return true;
      if (Collector::instance().stalled()) break;
      if (spins < 1024) cpu_relax();
      else std::this_thread::sleep_for(std::chrono::microseconds(20));
      // The ring may have been replaced meanwhile: wait on the current one. Still inside the push's
      // window, so whichever ring this loads stays mapped (in_flight.hpp).
      ring = g_hot.ring.load(std::memory_order_seq_cst);
    }
  }
  g_hot.dropped.fetch_add(1, std::memory_order_relaxed);
  ring->count_drop();
  return false;
}

void Collector::enable(const CollectorConfig& config) {
  std::unique_lock lock(mu_);
  const bool switching = config.record == RecordMode::Start && recorder_.path() != config.record_path;
  if (recorder_.active() && (config.record == RecordMode::Stop || switching)) stop_recording_locked(config.ring_capacity);
  if (config.record == RecordMode::Start && !recorder_.active()) {
    start_recording_locked(config.record_path, config.ring_capacity);
  } else if (rings_.empty() || rings_.current().capacity() != config.ring_capacity) {
    // While recording, the replacement ring is mapped from a fresh (reserved) ring file too.
    if (recorder_.active()) {
      const int fd = recorder_.ring_file(Ring::bytes_for(config.ring_capacity));  // throws: nothing changed
      const Ring& ring = rings_.install(config.ring_capacity, fd, recorder_.run_id());
      recorder_.ring_installed(ring.first_seq(), ring.capacity());
    } else {
      rings_.install(config.ring_capacity, -1, 0);
    }
  }
  config_ = config;
  spill_.set_capacity(config.spill_capacity);
  g_hot.overflow.store(uint8_t(config.overflow), std::memory_order_relaxed);
  collect_locked();
  if (!thread_.joinable()) {
    stop_ = false;
    thread_ = std::thread([this] { run(); });
  }
  g_hot.enabled.store(true, std::memory_order_release);
}

void Collector::start_recording_locked(const std::string& path, size_t ring_capacity) {
  const int fd = recorder_.start(path, Ring::bytes_for(ring_capacity), dropped_now());  // throws: recording off
  try {
    const Ring& ring = rings_.install(ring_capacity, fd, recorder_.run_id());
    recorder_.ring_installed(ring.first_seq(), ring.capacity());
  } catch (...) {
    recorder_.abandon();
    throw;
  }
  if (!exit_hook_registered_) {
    exit_hook_registered_ = true;
    // Runs on every exit() — a normal end, process.exit(), an uncaught exception — but not when a
    // signal kills the process: then the ring file is what `recover` reads.
    std::atexit([] { Collector::instance().shutdown(); });
  }
}

void Collector::stop_recording_locked(size_t ring_capacity) {
  // Producers move to an anonymous ring first, so the file-backed one can be retired and unmapped
  // (its deleted file's disk space returned) once the journal has everything in it.
  try {
    rings_.install(ring_capacity, -1, 0);
  } catch (const std::bad_alloc&) {
    // Keep pushing into the file-backed ring; it is released with the next replacement.
  }
  collect_locked();
  recorder_.finish(dropped_now(), ring_dropped_locked());
  rings_.release_retired();
}

void Collector::disable() noexcept {
  g_hot.enabled.store(false, std::memory_order_release);
  std::unique_lock lock(mu_);
  collect_locked();
  recorder_.drops(dropped_now(), ring_dropped_locked());
}

size_t Collector::collect_ring_locked(Ring& ring) {
  size_t moved = 0;
  stalled_.store(false, std::memory_order_relaxed);
  for (;;) {
    // Sampled before every batch: the ring is fullest just before the consumer takes from it.
    const uint64_t occupancy = ring.claimed() - ring.consumed();
    ring_high_water_ = std::max(ring_high_water_, std::min<uint64_t>(occupancy, ring.capacity()));
    if (occupancy == 0) break;
    size_t room = 0;
    Event* out = spill_.reserve(kBatch, room);
    if (out == nullptr) {
      stalled_.store(true, std::memory_order_relaxed);
      break;
    }
    const size_t n = ring.peek_batch(out, room);
    if (n == 0) break;
    convert_times_locked(out, n);
    // Journal first, then hand the slots back: every event is in the journal file or the ring file.
    recorder_.events(out, n, names_, dropped_now(), ring_dropped_locked());
    ring.release(n);
    spill_.commit(n);
    moved += n;
  }
  return moved;
}

void Collector::convert_times_locked(Event* events, size_t n) {
  ticks_.resample();
  RingClock clock;
  ticks_.conversion(clock.anchor_ticks, clock.anchor_ns, clock.ns_per_tick);
  rings_.current().publish_clock(clock);
  for (size_t i = 0; i < n; ++i) events[i].time = ticks_.to_ns(events[i].time);
}

size_t Collector::collect_locked() {
  if (rings_.empty()) return 0;
  size_t moved = 0;
  // Retired rings first: anything still in them was claimed before the current ring existed.
  try {
    rings_.for_each([&](Ring& ring) { moved += collect_ring_locked(ring); });
  } catch (const std::bad_alloc&) {
    // No memory for a spill chunk: what is left stays in the rings until the next pass.
    stalled_.store(true, std::memory_order_relaxed);
  }
  rings_.release_retired();
  return moved;
}

void Collector::run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    const size_t moved = collect_locked();
    // Names live in process memory: journal new ones on every pass, even while the spill is full, so
    // events a crash leaves in the ring file find their names in the journal.
    recorder_.names(names_);
    if (rings_.prefault_step()) continue;
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

uint64_t Collector::pending_locked() {
  uint64_t pending = spill_.buffered();
  if (!rings_.empty()) rings_.for_each([&](Ring& ring) { pending += ring.claimed() - ring.consumed(); });
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
  while (taken < pending || taken == 0) {
    collect_locked();
    if (spill_.buffered() == 0) break;
    const uint64_t before = taken;
    spill_.take(max_events, taken, out);
    this->*counter += taken - before;
    if (spill_.has_chunks()) break;  // max_events reached
  }
  stalled_.store(false, std::memory_order_relaxed);
  recorder_.drops(dropped_now(), ring_dropped_locked());
  if (reset) recorder_.reset(dropped_now());
  if (remaining) *remaining = pending_locked();
  return out;
}

void Collector::recycle(std::vector<std::unique_ptr<Chunk>> chunks) {
  std::unique_lock lock(mu_);
  spill_.recycle(std::move(chunks));
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
  return Stats{rings_.accepted(),
               g_hot.dropped.load(std::memory_order_relaxed),
               drained_,
               discarded_,
               spill_.buffered(),
               ring_high_water_,
               spill_.high_water(),
               rings_.empty() ? config_.ring_capacity : rings_.current().capacity(),
               config_.spill_capacity,
               names_.count(),
               names_.overflowed(),
               rings_.mapped(),
               rings_.released()};
}

RecordStatus Collector::record_status() {
  std::unique_lock lock(mu_);
  return recorder_.status();
}

void Collector::publish_progress() {
  std::unique_lock lock(mu_);
  if (!rings_.empty()) rings_.current().set_user_counter(rings_.current().claimed());
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
  if (!recorder_.active()) return;
  // Nobody drains after this: everything left in the rings goes straight to the journal, whatever
  // the spill holds.
  try {
    std::unique_ptr<Chunk> scratch = spill_.fresh_chunk();
    rings_.for_each([&](Ring& ring) {
      for (size_t n; recorder_.active() && (n = ring.peek_batch(scratch->events, kBatch)) > 0;) {
        convert_times_locked(scratch->events, n);
        recorder_.events(scratch->events, n, names_, dropped_now(), ring_dropped_locked());
        ring.release(n);
      }
    });
  } catch (const std::bad_alloc&) {
    // Without a scratch chunk the rest stays in the ring file, and the journal gets no End block.
    return;
  }
  recorder_.finish(dropped_now(), ring_dropped_locked());
}

}  // namespace tt_alloc
