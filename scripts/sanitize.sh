#!/usr/bin/env bash
# Builds the native core's stress test (native/test/stress.cpp) under ThreadSanitizer and under
# AddressSanitizer + UndefinedBehaviorSanitizer, and runs both. Any sanitizer report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/sanitize
mkdir -p "$out"
core=(native/ring.cpp native/ring_set.cpp native/in_flight.cpp native/spill.cpp native/recorder.cpp native/collector.cpp native/intern.cpp native/c_api.cpp native/journal.cpp native/crc32c.cpp native/test/stress.cpp)
# Recording: same core, its own program (native/test/journal_stress.cpp).
journal=("${core[@]/native\/test\/stress.cpp/native/test/journal_stress.cpp}")
# -Wno-psabi: GCC notes that 64-byte-aligned Event arguments changed ABI in GCC 4.6; irrelevant here.
flags=(-std=c++20 -O1 -g -fno-omit-frame-pointer -Wno-psabi -Inative -pthread)

echo "== ThreadSanitizer"
g++ "${flags[@]}" -fsanitize=thread "${core[@]}" -o "$out/stress-tsan"
TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$out/stress-tsan"
g++ "${flags[@]}" -fsanitize=thread "${journal[@]}" -o "$out/journal-stress-tsan"
TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$out/journal-stress-tsan"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
g++ "${flags[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all "${core[@]}" -o "$out/stress-asan"
ASAN_OPTIONS="halt_on_error=1 detect_leaks=1" UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1" "$out/stress-asan"
g++ "${flags[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all "${journal[@]}" -o "$out/journal-stress-asan"
ASAN_OPTIONS="halt_on_error=1 detect_leaks=1" UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1" "$out/journal-stress-asan"
