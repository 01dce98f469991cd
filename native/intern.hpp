// Lock-free, fixed-capacity intern table for op and scope names. Producers call intern() from runtime
// callbacks, so it never locks or allocates: names live in a preallocated arena, slots are claimed by
// CAS on their hash. Ids are dense (1..count) in claim order so the consumer can fetch new names by range.
#pragma once
#include <atomic>
#include <cstdint>
#include <string_view>

namespace tt_alloc {

class InternTable {
 public:
  static constexpr uint32_t kCapacity = 4096;       // distinct op/scope names; a Llama run uses < 200
  static constexpr uint32_t kMaxNameBytes = 255;    // longer names are cut at a UTF-8 character boundary
  static constexpr uint32_t kOverflowId = 0;        // returned when the table is full; named "<overflow>"

  // Returns the name's id, inserting it on first sight.
  uint32_t intern(std::string_view name) noexcept;
  // Number of ids handed out so far; names with id <= count() are readable.
  uint32_t count() const noexcept { return published_.load(std::memory_order_acquire); }
  // Name of a published id (1..count()).
  std::string_view name(uint32_t id) const noexcept;
  uint64_t overflowed() const noexcept { return overflowed_.load(std::memory_order_relaxed); }

 private:
  static constexpr uint32_t kBuckets = kCapacity * 2;  // load factor <= 0.5 keeps probes short
  struct Bucket {
    std::atomic<uint64_t> hash{0};  // 0 = empty; claimed by CAS
    std::atomic<uint32_t> id{0};    // 0 until the name is copied and published
  };
  struct Entry {
    char bytes[kMaxNameBytes];
    uint8_t length;
  };

  uint32_t claim_id_and_store(std::string_view name) noexcept;

  Bucket buckets_[kBuckets];
  Entry entries_[kCapacity + 1];  // index = id; entry 0 is the overflow name
  std::atomic<uint32_t> next_id_{1};
  std::atomic<uint32_t> published_{0};
  std::atomic<uint64_t> overflowed_{0};
};

}  // namespace tt_alloc
