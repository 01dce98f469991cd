#!/usr/bin/env bash
# Builds the native core's stress programs (native/test/stress.cpp, native/test/journal_stress.cpp) under
# ThreadSanitizer and under AddressSanitizer + UndefinedBehaviorSanitizer, and runs them. Any sanitizer
# report fails the run. Sources and flags: native/manifest.json's builds <program>-tsan and <program>-asan.
# SANITIZE_DRY_RUN=1: print each compile command instead of building and running (test/native.manifest.test.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/sanitize

# build <program> <tsan|asan>: compiles build <program>-<sanitizer> of the manifest to $out/<program>-<sanitizer>.
build() {
  local name=$1-$2
  local args
  args=$(node scripts/native-manifest.js args "$name")  # a failure stops the script (set -e)
  # shellcheck disable=SC2206 # word splitting wanted: the manifest's entries hold no spaces (its test says so)
  local -a cmd=(g++ $args -o "$out/$name")
  if [ -n "${SANITIZE_DRY_RUN:-}" ]; then echo "${cmd[*]}"; return; fi
  "${cmd[@]}"
}

mkdir -p "$out"
echo "== ThreadSanitizer"
build stress tsan
build journal-stress tsan
if [ -z "${SANITIZE_DRY_RUN:-}" ]; then
  TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$out/stress-tsan"
  TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$out/journal-stress-tsan"
fi

echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
build stress asan
build journal-stress asan
if [ -z "${SANITIZE_DRY_RUN:-}" ]; then
  ASAN_OPTIONS="halt_on_error=1 detect_leaks=1" UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1" "$out/stress-asan"
  ASAN_OPTIONS="halt_on_error=1 detect_leaks=1" UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1" "$out/journal-stress-asan"
fi
