// The collector ties the rings, the spill and the recorder together: its thread (and every JS drain)
// moves events out of the rings into the spill, journaling them on the way when recording. That is
// what lets a synchronous burst on the JS thread (which cannot drain while it runs the workload)
// arrive complete: producers only ever wait for the collector, never JS.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "clock.hpp"
#include "event.hpp"
#include "intern.hpp"
#include "recorder.hpp"
#include "ring_set.hpp"
#include "spill.hpp"
#include "tracker.hpp"

namespace tt_alloc {

// Keep: recording continues as it is (on or off). Stop: finish the journal. Start: record into
// `record_path` (continuing if that is the journal already being written).
enum class RecordMode : uint8_t { Keep, Stop, Start };

struct CollectorConfig {
  size_t ring_capacity;   // events, power of two
  size_t spill_capacity;  // events buffered natively beyond the ring before drops
  Overflow overflow;
  RecordMode record = RecordMode::Keep;
  std::string record_path;
};

struct Stats {
  uint64_t accepted, dropped, drained, discarded, buffered;
  uint64_t ring_high_water, spill_high_water;
  uint64_t ring_capacity, spill_capacity;
  uint64_t names, names_overflowed;
  uint64_t rings_mapped, rings_released;  // rings mapped now (current + retired), retired rings unmapped so far
};

class Collector {
 public:
  static Collector& instance();

  // Applies the configuration and starts accepting events. A different ring capacity, or starting or
  // stopping a journal, installs a new ring (file-backed while recording, anonymous otherwise); the
  // old one is retired and unmapped once no producer can reach it (ring_set.hpp). Throws
  // JournalOpenError / RecordSpaceError when a journal or ring file cannot be created or reserved:
  // then nothing changed but a journal that was being finished.
  void enable(const CollectorConfig& config);
  // Stops accepting events and writes what the collector has taken so far to the journal.
  void disable() noexcept;

  // JS thread: copies everything published so far, in sequence order, into memory from `allocate`
  // (called once with the byte size, under no lock). Returns the number of events copied. With
  // `reset`, the journal gets a Reset block right after them: a replay starts a fresh report there,
  // as the JS tracker does on reset(). `max_events` (at least Chunk::kEvents; ignored with `reset`)
  // bounds one call to the oldest whole chunks holding at most that many; `remaining` then receives
  // how many events are still pending (spill and rings), for the caller to drain in slices.
  template <typename Allocate>
  size_t drain(Allocate&& allocate, bool reset = false, size_t max_events = SIZE_MAX, uint64_t* remaining = nullptr);
  // Empties the ring(s) and the spill without handing the events to anyone, counting them as
  // discarded: the events of a consumer (Node environment) that is gone. Returns how many.
  uint64_t discard();
  Stats stats();
  RecordStatus record_status();
  // Test hook: stores the current ring's claimed position into its header's user counter.
  void publish_progress();
  InternTable& names() noexcept { return names_; }

  // True when the spill is full, so a blocked producer would wait for the JS thread: it drops instead.
  bool stalled() const noexcept { return stalled_.load(std::memory_order_relaxed); }

  // Stops the thread, moves everything left in the rings into the journal and finishes it (End
  // block, ring file removed). Called at process exit (std::atexit, registered with the first journal).
  void shutdown() noexcept;

 private:
  Collector() = default;
  void run();
  // Moves ready events from the ring(s) into the spill, then unmaps retired rings nobody can reach.
  // Caller holds mu_. Returns events moved.
  size_t collect_locked();
  size_t collect_ring_locked(Ring& ring);
  // Converts raw ticks to ns and publishes the conversion into the current ring's header.
  void convert_times_locked(Event* events, size_t n);
  // Pending events (whole chunks, oldest first, up to max_events but at least one chunk), counted
  // into `counter` (drained_ or discarded_); `reset` also journals a reset marker.
  std::vector<std::unique_ptr<Chunk>> take_spill(uint64_t Collector::*counter, bool reset, size_t max_events,
                                                 uint64_t* remaining);
  uint64_t pending_locked();
  void recycle(std::vector<std::unique_ptr<Chunk>> chunks);
  // Recording, all under mu_.
  void start_recording_locked(const std::string& path, size_t ring_capacity);
  void stop_recording_locked(size_t ring_capacity);
  uint64_t dropped_now() const noexcept { return g_hot.dropped.load(std::memory_order_relaxed); }
  uint64_t ring_dropped_locked() const noexcept { return rings_.empty() ? 0 : rings_.current().dropped(); }

  std::mutex mu_;  // guards everything below; never taken by producers
  RingSet rings_;
  Spill spill_;
  Recorder recorder_;
  TickConverter ticks_;
  CollectorConfig config_{};
  uint64_t drained_ = 0, discarded_ = 0, ring_high_water_ = 0;
  std::thread thread_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool exit_hook_registered_ = false;
  std::atomic<bool> stalled_{false};
  InternTable names_;
};

template <typename Allocate>
size_t Collector::drain(Allocate&& allocate, bool reset, size_t max_events, uint64_t* remaining) {
  std::vector<std::unique_ptr<Chunk>> chunks =
      take_spill(&Collector::drained_, reset, reset ? SIZE_MAX : max_events, remaining);
  size_t events = 0;
  for (const auto& c : chunks) events += c->count;
  char* out = static_cast<char*>(allocate(events * sizeof(Event)));
  for (const auto& c : chunks) {
    if (c->count == 0) continue;
    std::memcpy(out, c->events, c->count * sizeof(Event));
    out += c->count * sizeof(Event);
  }
  recycle(std::move(chunks));
  return events;
}

}  // namespace tt_alloc
