#include "spill.hpp"

#include <algorithm>

namespace tt_alloc {
namespace {
// Emptied chunks kept for reuse (16 MiB): a second burst does not pay page faults again.
constexpr size_t kPoolChunks = 16;
}  // namespace

std::unique_ptr<Chunk> Spill::fresh_chunk() {
  if (!pool_.empty()) {
    auto chunk = std::move(pool_.back());
    pool_.pop_back();
    chunk->count = 0;
    return chunk;
  }
  return std::unique_ptr<Chunk>(new Chunk);  // default-initialised: no 1 MiB memset
}

Event* Spill::reserve(size_t max, size_t& room) {
  if (chunks_.empty() || chunks_.back()->count == Chunk::kEvents) {
    if (buffered_ + Chunk::kEvents > std::max<size_t>(capacity_, Chunk::kEvents)) {
      room = 0;
      return nullptr;
    }
    chunks_.push_back(fresh_chunk());
  }
  Chunk& chunk = *chunks_.back();
  room = std::min(Chunk::kEvents - chunk.count, max);
  return chunk.events + chunk.count;
}

void Spill::commit(size_t n) noexcept {
  chunks_.back()->count += n;
  buffered_ += n;
  high_water_ = std::max(high_water_, buffered_);
}

void Spill::take(size_t max_events, uint64_t& taken, std::vector<std::unique_ptr<Chunk>>& out) {
  while (!chunks_.empty()) {
    const size_t count = chunks_.front()->count;
    if (taken > 0 && taken + count > max_events) return;
    out.push_back(std::move(chunks_.front()));
    chunks_.pop_front();
    taken += count;
    buffered_ -= count;
  }
}

void Spill::recycle(std::vector<std::unique_ptr<Chunk>> chunks) {
  for (auto& chunk : chunks) {
    if (pool_.size() >= kPoolChunks) break;
    pool_.push_back(std::move(chunk));
  }
}

}  // namespace tt_alloc
