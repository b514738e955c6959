// A directory for a fuzz target's files, one per process, removed at a
// normal exit (after a failure the files stay, to look at).
#ifndef LOADER_TESTS_FUZZ_SCRATCH_DIR_H_
#define LOADER_TESTS_FUZZ_SCRATCH_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "fuzz_check.h"

namespace loader::fuzz {

// /tmp/NAME.XXXXXX, made by mkdtemp.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name) : path_("/tmp/" + name + ".XXXXXX") {
    Check(mkdtemp(path_.data()) != nullptr, "cannot create " + path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace loader::fuzz

#endif  // LOADER_TESTS_FUZZ_SCRATCH_DIR_H_
