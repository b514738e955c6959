// Golden files: expected outputs kept under tests/golden/, compared exactly.
// After a deliberate change, LOADER_UPDATE_GOLDEN=1 rewrites them instead
// (then read the diff before committing it).
#ifndef LOADER_TESTS_UNIT_GOLDEN_H_
#define LOADER_TESTS_UNIT_GOLDEN_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "support/temp_dir.h"

namespace loader::test_support {

// Read once, before any test can clear LOADER_* variables.
inline const bool kUpdating = [] {
  const char* update = std::getenv("LOADER_UPDATE_GOLDEN");
  return update != nullptr && std::string_view(update) == "1";
}();

// Compares `actual` with LOADER_GOLDEN_DIR/`path`, or rewrites that file.
inline void Expect(const std::string& path, const std::string& actual) {
  const std::filesystem::path file = std::filesystem::path(LOADER_GOLDEN_DIR) / path;
  if (kUpdating) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << actual;
    ASSERT_TRUE(out.good()) << "cannot write " << file;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(file))
      << file << " is missing; write it with LOADER_UPDATE_GOLDEN=1 and review it";
  EXPECT_EQ(actual, test_support::Contents(file)) << "differs from " << file;
}

}  // namespace loader::test_support

#endif  // LOADER_TESTS_UNIT_GOLDEN_H_
