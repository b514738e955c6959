// FallbackDir: where a load puts the chunks it could not commit for a reason
// other than bad data (--fallback-dir): each as a CSV file of its own, named
// by its first row, with the import scripts of import_set.h. The load goes
// on; every row ends up either committed and journaled, or in a file here.
// With the journal, the scripts record each file's rows in loader_journal as
// they load it, so neither a re-run of the loader nor a second run of a
// script loads a row twice.
// Thread safety: Spill may be called from any worker; the rest from one thread.
#ifndef LOADER_FALLBACK_DIR_H_
#define LOADER_FALLBACK_DIR_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "loader/base/status.h"
#include "loader/base/table.h"
#include "loader/emit/import_set.h"
#include "loader/encode/chunk.h"
#include "loader/plan/row_ranges.h"

namespace loader {

class FallbackDir {
 public:
  // `set` describes the table, columns, import URL prefix, job and command;
  // its files are the chunks spilled. `types` are the columns' types, which
  // binary chunks need to be written as text. The directory is made on the
  // first spill.
  FallbackDir(std::string dir, ImportSet set, std::vector<ColumnType> types);

  // Writes the chunk's rows to DIR/<table>.<first row>.csv and records it;
  // `reason` is why it could not be committed. `maybe_committed`: its COMMIT
  // was in flight when the connection was lost.
  Status Spill(const Chunk& chunk, const Status& reason, bool maybe_committed);
  // Writes the scripts for every file spilled. Nothing when none was.
  Status Finish();

  const std::string& dir() const { return dir_; }
  uint64_t rows() const;
  uint64_t files() const;
  // The input rows of the spilled chunks: this run is done with them.
  RowRanges spilled() const;

 private:
  const std::string dir_;
  const std::vector<ColumnType> types_;
  mutable std::mutex mu_;
  ImportSet set_;  // files guarded by mu_
};

}  // namespace loader

#endif  // LOADER_FALLBACK_DIR_H_
