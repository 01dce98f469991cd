#include "intern.hpp"

#include <cstring>

namespace tt_alloc {
namespace {
// FNV-1a; never returns 0, which marks an empty bucket.
uint64_t hash_name(std::string_view s) noexcept {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h ? h : 1;
}
void cpu_relax() noexcept {
#if defined(__x86_64__)
  __builtin_ia32_pause();
#endif
}
}  // namespace

std::string_view InternTable::name(uint32_t id) const noexcept {
  if (id == kOverflowId || id > kCapacity) return "<overflow>";
  return {entries_[id].bytes, entries_[id].length};
}

uint32_t InternTable::claim_id_and_store(std::string_view name) noexcept {
  const uint32_t id = next_id_.fetch_add(1, std::memory_order_relaxed);
  if (id > kCapacity) return kOverflowId;
  std::memcpy(entries_[id].bytes, name.data(), name.size());
  entries_[id].length = uint8_t(name.size());
  // Publish ids in order so count() always covers a dense prefix: wait for id-1 to be published.
  uint32_t expected = id - 1;
  while (!published_.compare_exchange_weak(expected, id, std::memory_order_release,
                                           std::memory_order_relaxed)) {
    expected = id - 1;
    cpu_relax();
  }
  return id;
}

uint32_t InternTable::intern(std::string_view name) noexcept {
  if (name.size() > kMaxNameBytes) {
    // Cut before the character the limit falls in: back over UTF-8 continuation bytes (10xxxxxx)
    // from the first byte left out, so no multi-byte character is split (at most 3 more bytes go).
    size_t cut = kMaxNameBytes;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
    name = name.substr(0, cut);
  }
  const uint64_t h = hash_name(name);
  for (uint32_t probe = 0; probe < kBuckets; ++probe) {
    Bucket& b = buckets_[(h + probe) & (kBuckets - 1)];
    uint64_t seen = b.hash.load(std::memory_order_acquire);
    if (seen == 0) {
      if (b.hash.compare_exchange_strong(seen, h, std::memory_order_acq_rel)) {
        const uint32_t id = claim_id_and_store(name);
        if (id == kOverflowId) overflowed_.fetch_add(1, std::memory_order_relaxed);
        b.id.store(id == kOverflowId ? UINT32_MAX : id, std::memory_order_release);
        return id;
      }
      // Lost the race: `seen` now holds the winner's hash; fall through and compare it.
    }
    if (seen != h) continue;
    uint32_t id;
    // The claimer copies the name before storing the id: a short wait, only on a first-use race.
    while ((id = b.id.load(std::memory_order_acquire)) == 0) cpu_relax();
    if (id == UINT32_MAX) {
      overflowed_.fetch_add(1, std::memory_order_relaxed);
      return kOverflowId;
    }
    if (this->name(id) == name) return id;
  }
  overflowed_.fetch_add(1, std::memory_order_relaxed);
  return kOverflowId;
}

}  // namespace tt_alloc
