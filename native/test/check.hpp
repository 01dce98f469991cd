// The stress programs' assertion: report every failed check, then fail the run at the end (a sanitizer
// report fails it on its own).
#pragma once
#include <cstdio>
#include <string>

namespace tt_alloc::test {

inline int g_failures = 0;

inline void check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "FAIL: %s\n", what.c_str());
    ++g_failures;
  }
}

}  // namespace tt_alloc::test
