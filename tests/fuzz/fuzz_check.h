// What a fuzz target does when its property fails: say what and abort, so
// libFuzzer keeps the input that did it.
#ifndef LOADER_TESTS_FUZZ_FUZZ_CHECK_H_
#define LOADER_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>
#include <string>

namespace loader::fuzz {

[[noreturn]] inline void Fail(const std::string& what) {
  std::fprintf(stderr, "property failed: %s\n", what.c_str());
  std::abort();
}

inline void Check(bool holds, const std::string& what) {
  if (!holds) Fail(what);
}

}  // namespace loader::fuzz

#endif  // LOADER_TESTS_FUZZ_FUZZ_CHECK_H_
