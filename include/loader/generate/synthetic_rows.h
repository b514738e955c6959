// Synthetic rows for any table: CompileSeedTable turns what the catalog says
// of a table (seed_table.h) and the user's --gen rules (gen_spec.h) into one
// ColumnGen per loaded column, so row i of the table is a pure function of
// (seed, table, column, i), whatever the chunk size, worker count, shard or
// method: the journal resumes it exactly like the tutorials' tables.
//
// The rows are valid, not only typed: keys (primary, unique, single or
// composite) get distinct values from a keyed permutation of the row index;
// NOT NULL holds and nullable columns are NULL in a seeded share of rows;
// lengths and numeric precision stay within the type; single-column CHECKs of
// the common forms (check_terms.h) and partition bounds narrow the values; a
// foreign key takes whole tuples of the referenced table's existing rows,
// read once as a sample of bounded size.
#ifndef LOADER_GENERATE_SYNTHETIC_ROWS_H_
#define LOADER_GENERATE_SYNTHETIC_ROWS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "loader/base/status.h"
#include "loader/base/table.h"
#include "loader/generate/column_gen.h"
#include "loader/generate/gen_spec.h"
#include "loader/generate/seed_table.h"

namespace loader {

// Writes rows of a compiled table into any encoder of encoder.h.
class SyntheticRows {
 public:
  explicit SyntheticRows(std::vector<ColumnGen> columns) : columns_(std::move(columns)) {
    binary_ = true;
    for (const ColumnGen& c : columns_) binary_ &= c.binary != BinaryForm::kNone;
  }

  template <class Encoder>
  void Emit(uint64_t row, Encoder& enc) const {
    char scratch[ColumnGen::kMaxFormatted];
    for (const ColumnGen& c : columns_) c.Write(row, scratch, enc);
    enc.EndRow();
  }

  const std::vector<ColumnGen>& columns() const { return columns_; }
  // Whether every column has a COPY binary form: the server then parses no
  // text, as for the generated tables.
  bool binary() const { return binary_; }

 private:
  std::vector<ColumnGen> columns_;
  bool binary_ = false;
};

struct SeedOptions {
  uint64_t seed = 1;
  uint64_t rows = 0;             // the job's rows: key values are distinct among them
  double null_share = 0.05;      // of nullable columns' values, unless a rule says
  uint64_t ref_sample = 100000;  // the most rows of a referenced table read
  // --dry-run: a referenced table still empty is fine (--schema seeds it
  // first); its sample is a placeholder.
  bool planning = false;
};

// Reads up to `limit` distinct rows of `columns` of `table` (NULLs left out)
// into out->rows, as text, in an order that depends on `seed` and the rows alone, so the same
// rows give the same sample on every run.
using SampleReader =
    std::function<Status(const std::string& table, const std::vector<std::string>& columns,
                         uint64_t limit, uint64_t seed, ReferenceSample* out)>;

struct SeedPlan {
  std::shared_ptr<const SyntheticRows> rows;
  TableSpec table;  // the columns loaded, in table order; sizes for chunk planning
  // One line per column of the table, loaded or not: what it gets and why,
  // for --dry-run and the log.
  std::vector<std::string> column_notes;
  std::vector<std::string> warnings;  // what the server may still refuse
};

// Compiles `table` for `options`, with the rules among `rules` whose table is
// this one (or empty). kInvalidArgument, naming the table, the column and
// what to do, for: a rule naming a column the table lacks, a type the
// generator cannot make with no rule for it, a CHECK or partition bound no
// value satisfies, a key with fewer distinct values than rows, a NOT NULL
// reference to an empty table or to the table itself.
Status CompileSeedTable(const SeedTable& table, const SeedOptions& options,
                        const std::vector<GenRule>& rules, const SampleReader& read_sample,
                        SeedPlan* out);

// True when `rule` is about `table` (rules without a table are about every
// table they are given with). "orders" matches "public.orders" and back.
bool RuleIsFor(const GenRule& rule, const std::string& table);

}  // namespace loader

#endif  // LOADER_GENERATE_SYNTHETIC_ROWS_H_
