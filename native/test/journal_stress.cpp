// Stress test of recording (file-backed ring, journal writes by the collector) without Node, built and
// run under ThreadSanitizer and AddressSanitizer+UBSan by scripts/sanitize.sh. Producers push while
// the test drains concurrently; shutdown() finishes the journal. The journal is then parsed here,
// checksums verified, and must hold every accepted event exactly once, in sequence order.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "collector.hpp"
#include "crc32c.hpp"
#include "producer.hpp"
#include "test/check.hpp"

using namespace tt_alloc;
using tt_alloc::test::check;
using tt_alloc::test::g_failures;

namespace {

template <typename T>
T get(const std::vector<char>& b, size_t at) {
  T v;
  std::memcpy(&v, b.data() + at, sizeof v);
  return v;
}

}  // namespace

int main() {
  const std::string path = "/tmp/tt-alloc-journal-stress-" + std::to_string(getpid()) + ".ttj";
  Collector& c = Collector::instance();
  CollectorConfig config{256, 1 << 20, Overflow::Block, RecordMode::Start, path};
  c.enable(config);
  struct stat st{};
  check(stat((path + ".ring").c_str(), &st) == 0 && (st.st_mode & 0777) == 0600, "ring file exists with mode 0600");

  constexpr unsigned kThreads = 4;
  constexpr uint64_t kPerThread = 100000;
  std::vector<std::thread> workers;
  std::vector<uint64_t> accepted(kThreads, 0);
  for (unsigned t = 0; t < kThreads; ++t) {
    workers.emplace_back([t, &accepted] {
      BufferFields b{};
      b.type = MemType::L1;
      b.size = 64;
      for (uint64_t i = 0; i < kPerThread; ++i) {
        b.id = (uint64_t(t) << 32) | i;
        accepted[t] += emit_alloc(b);
        if ((i & 4095) == 0) intern_name("op-" + std::to_string(i % 5));
      }
    });
  }
  std::vector<char> sink;
  for (int k = 0; k < 40; ++k) {
    c.drain([&](size_t bytes) { sink.resize(bytes); return sink.data(); }, k == 20);
    std::this_thread::sleep_for(std::chrono::microseconds(300));
  }
  for (auto& w : workers) w.join();
  uint64_t total = 0;
  for (auto a : accepted) total += a;
  c.shutdown();
  check(stat((path + ".ring").c_str(), &st) != 0, "ring file removed after a finished journal");

  std::ifstream in(path, std::ios::binary);
  std::vector<char> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  check(b.size() >= kJournalHeaderBytes && std::memcmp(b.data(), "TTALJRNL", 8) == 0, "journal magic");
  check(get<uint32_t>(b, 60) == crc32c(0, b.data(), 60), "header checksum");
  size_t at = kJournalHeaderBytes;
  uint64_t events = 0, last_seq = 0, names = 0;
  bool ordered = true, crc_ok = true, ended = false, reset_seen = false;
  std::vector<uint64_t> next(kThreads, 0);
  bool per_thread_ok = true;
  while (at + kBlockHeaderBytes <= b.size()) {
    const uint32_t type = get<uint32_t>(b, at), length = get<uint32_t>(b, at + 4);
    if (at + kBlockHeaderBytes + length > b.size()) break;
    const uint32_t crc = crc32c(crc32c(0, b.data() + at, 28), b.data() + at + kBlockHeaderBytes, length);
    crc_ok = crc_ok && crc == get<uint32_t>(b, at + 28);
    if (type == uint32_t(BlockType::Events)) {
      for (size_t r = 0; r < length / sizeof(Event); ++r) {
        const Event e = get<Event>(b, at + kBlockHeaderBytes + r * sizeof(Event));
        if (events > 0 && e.seq <= last_seq) ordered = false;
        last_seq = e.seq;
        const uint64_t t = e.objectId >> 32, i = e.objectId & 0xFFFFFFFF;
        if (t < kThreads) {
          if (i < next[t]) per_thread_ok = false;
          next[t] = i + 1;
        }
        ++events;
      }
    } else if (type == uint32_t(BlockType::Names)) {
      names += get<uint64_t>(b, at + 16);
    } else if (type == uint32_t(BlockType::Reset)) {
      reset_seen = true;
    } else if (type == uint32_t(BlockType::End)) {
      ended = get<uint64_t>(b, at + 8) == events;
    }
    at += kBlockHeaderBytes + length;
  }
  std::printf("journal stress: accepted=%llu journaled=%llu names=%llu bytes=%zu\n", (unsigned long long)total,
              (unsigned long long)events, (unsigned long long)names, b.size());
  check(at == b.size(), "journal parses to its end");
  check(crc_ok, "every block checksum matches");
  check(events == total, "journal holds every accepted event");
  check(ordered, "sequence numbers strictly increasing");
  check(per_thread_ok, "each producer's events in its own order");
  check(names == 5, "every interned name journaled once");
  check(reset_seen, "reset marker journaled");
  check(ended, "end block counts every event");
  unlink(path.c_str());
  if (g_failures == 0) std::printf("journal stress: all checks passed\n");
  return g_failures == 0 ? 0 : 1;
}
