// The steps of CompileSeedTable (synthetic_rows.h), one file each: a
// column's generator from its type, checks and partitions (seed_columns.cc)
// and the user's rule (seed_rules.cc); keys and references across columns
// (seed_keys.cc).
#ifndef LOADER_GENERATE_SEED_COLUMNS_H_
#define LOADER_GENERATE_SEED_COLUMNS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loader/base/status.h"
#include "loader/generate/column_gen.h"
#include "loader/generate/gen_spec.h"
#include "loader/generate/seed_table.h"
#include "loader/generate/synthetic_rows.h"

namespace loader {

// A column on its way to a ColumnGen.
struct ColumnDraft {
  const SeedColumn* column = nullptr;
  const GenRule* rule = nullptr;          // the user's, if any
  bool loaded = true;                     // false: the server fills it (a default)
  bool in_reference = false;              // a foreign key fills it
  const SeedKey* combined_for = nullptr;  // a digit of this key's combinations
  bool not_null = false;
  double null_share = 0;
  ValueForm type_form = ValueForm::kText;  // the type's own, before checks and rules
  ColumnGen gen;
  ValueDomain allowed;    // number forms: what the type, CHECKs and partitions allow
  ValueDomain preferred;  // where values usually fall, when allowed
  int64_t shortest = 0;   // text: the lengths its CHECKs allow
  int64_t longest = INT64_MAX;
  std::string what;              // for the column's note: "integers in [0, 100]"
  std::vector<std::string> why;  // "CHECK qty_positive", "partitions"
};

// Random text: at most this long (in arrays, ColumnGen::kMaxElement).
constexpr uint32_t kMaxTextLength = 4000;

// A 64-bit hash of text, for per-table and per-column keys.
uint64_t HashText(std::string_view text);

// The generator of one column from its type, its CHECKs, the table's
// partitions and its rule. `table_key` seeds it.
Status DraftColumn(const SeedTable& table, size_t index, const GenRule* rule,
                   const SeedOptions& options, uint64_t table_key, const SampleReader& read_sample,
                   ColumnDraft* out);

// Applies the user's rule for the column named `column` (for messages) over
// its usual generator (seed_rules.cc).
Status ApplyRule(const GenRule& rule, const std::string& column, const SeedOptions& options,
                 const SampleReader& read_sample, ColumnDraft* d);

// Keys get distinct values and foreign keys take referenced rows.
Status DraftKeysAndReferences(const SeedTable& table, const SeedOptions& options,
                              uint64_t table_key, const SampleReader& read_sample,
                              std::vector<ColumnDraft>* drafts, std::vector<std::string>* warnings);

// Makes `draft` distinct per row (a key's column); false when it cannot be
// for options.rows rows, with *why saying so.
bool MakeUnique(const SeedOptions& options, uint64_t key, ColumnDraft* draft, std::string* why);

// How many distinct values `draft` can take (UINT64_MAX: unbounded).
uint64_t DistinctValues(const ColumnDraft& draft);

}  // namespace loader

#endif  // LOADER_GENERATE_SEED_COLUMNS_H_
