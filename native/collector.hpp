// The collector moves events out of the ring into a bounded native spill of chunks, on its own thread
// and on every JS drain. It is what lets a synchronous burst on the JS thread (which cannot drain
// while it runs the workload) arrive complete: producers only ever wait for the collector, never JS.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "clock.hpp"
#include "event.hpp"
#include "intern.hpp"
#include "journal.hpp"
#include "ring.hpp"
#include "tracker.hpp"

namespace tt_alloc {

// 16,384 events = 1 MiB: large enough that the chunk list stays short, small enough to hand to JS
// without a copy (an external ArrayBuffer per chunk).
struct Chunk {
  static constexpr size_t kEvents = 16384;
  size_t count = 0;
  Event events[kEvents];
};

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

struct RecordStatus {
  std::string path;   // journal being written, empty if none
  std::string error;  // why the last journal stopped early, empty if it did not
  uint64_t events;    // events written to the current journal
  uint32_t names;     // names written to the current journal
};

struct Stats {
  uint64_t accepted, dropped, drained, discarded, buffered;
  uint64_t ring_high_water, spill_high_water;
  uint64_t ring_capacity, spill_capacity;
  uint64_t names, names_overflowed;
};

class Collector {
 public:
  static Collector& instance();

  // Applies the configuration and starts accepting events. A different ring capacity replaces the
  // ring; the old ring is drained and kept allocated, since a producer may still hold its pointer.
  // Starting a journal also replaces the ring, by one mapped from the journal's ring file. Throws
  // JournalOpenError when the journal or its ring file cannot be created (recording stays off).
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
  // Moves ready events from the ring(s) into the spill; caller holds mu_. Returns events moved.
  size_t collect_locked();
  size_t collect_ring_locked(Ring& ring);
  // Converts raw ticks to ns and publishes the conversion into the current ring's header.
  void convert_times_locked(Event* events, size_t n);
  std::unique_ptr<Chunk> take_chunk_locked();
  // Pending events (whole chunks, oldest first, up to max_events but at least one chunk), counted
  // into `counter` (drained_ or discarded_); `reset` also journals a reset marker.
  std::vector<std::unique_ptr<Chunk>> take_spill(uint64_t Collector::*counter, bool reset, size_t max_events,
                                                 uint64_t* remaining);
  uint64_t pending_locked() const;
  // Recording, all under mu_.
  void start_journal_locked(const std::string& path, size_t ring_capacity);
  void finish_journal_locked();
  void add_ring_locked(size_t capacity, int fd);
  void journal_batch_locked(const Event* events, size_t n);
  bool journal_names_locked();
  void journal_drops_locked();
  void journal_failed_locked();
  uint64_t journal_dropped_locked() const;
  void recycle(std::vector<std::unique_ptr<Chunk>> chunks);
  void prefault_step();

  std::mutex mu_;  // guards everything below; never taken by producers
  std::deque<std::unique_ptr<Chunk>> spill_;
  std::vector<std::unique_ptr<Chunk>> pool_;  // emptied chunks, pages already faulted in
  std::vector<std::unique_ptr<Ring>> rings_;  // rings_.back() is current; older ones retired
  TickConverter ticks_;
  CollectorConfig config_{};
  uint64_t buffered_ = 0, drained_ = 0, discarded_ = 0, ring_high_water_ = 0, spill_high_water_ = 0;
  std::thread thread_;
  std::condition_variable wake_;
  bool stop_ = false;

  std::unique_ptr<Journal> journal_;
  uint64_t journal_dropped_base_ = 0;  // g_hot.dropped when the journal started
  uint64_t journaled_dropped_ = 0;     // drop count the journal last recorded
  uint32_t journaled_names_ = 0;       // names written to the journal: ids 1..journaled_names_
  std::string record_error_;
  bool exit_hook_registered_ = false;

  size_t prefaulted_ = 0;  // slots of the current ring faulted in so far
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
