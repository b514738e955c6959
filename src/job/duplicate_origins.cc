#include "job/duplicate_origins.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <string_view>
#include <vector>

#include "encode/payload_reader.h"
#include "loader/base/table.h"
#include "loader/pg/duplicate_key.h"
#include "loader/read/reject_log.h"

namespace loader {
namespace {

constexpr size_t kKeysShown = 5;
constexpr size_t kOriginsShown = 5;

struct DuplicateKey {
  std::vector<std::string> values;  // as the server writes them
  uint64_t rows = 0;                // rows of the table with the key
  uint64_t found = 0;               // rows of the input with it
  // The first kOriginsShown of those: "FILE:LINE", or for generated rows
  // the row index.
  std::vector<std::string> origins;
};

// The first kKeysShown keys `columns` have more than once in `indexed` (a
// unique index lets NULLs repeat), in key order, and how many keys repeat.
Status ReadDuplicateKeys(Connection& conn, const IndexedRows& indexed,
                         const std::vector<std::string>& columns, std::vector<DuplicateKey>* keys,
                         uint64_t* repeated) {
  // Qualified, so ORDER BY sorts by the column's type rather than by the
  // text output column of the same name.
  const std::string from = QuoteIdent(indexed.table);
  std::string list;
  std::string as_text;
  std::string covered;
  for (const std::string& column : columns) {
    const std::string quoted = from + "." + QuoteIdent(column);
    list += (list.empty() ? "" : ", ") + quoted;
    as_text += quoted + "::TEXT, ";
    covered += (covered.empty() ? "" : " AND ") + quoted + " IS NOT NULL";
  }
  if (!indexed.condition.empty()) covered += " AND (" + indexed.condition + ")";
  const std::string sql = "SELECT " + as_text + "count(*), count(*) OVER () FROM " + from +
                          " WHERE " + covered + " GROUP BY " + list +
                          " HAVING count(*) > 1 ORDER BY " + list + " LIMIT " +
                          std::to_string(kKeysShown);
  PgResult rows;
  const Status s = conn.Query(sql.c_str(), &rows);
  if (!s.ok()) return s;
  const int n = static_cast<int>(columns.size());
  *repeated = RowCount(rows) > 0 ? std::stoull(ValueAt(rows, 0, n + 1)) : 0;
  for (int i = 0; i < RowCount(rows); ++i) {
    DuplicateKey& key = keys->emplace_back();
    for (int c = 0; c < n; ++c) key.values.push_back(ValueAt(rows, i, c));
    key.rows = std::stoull(ValueAt(rows, i, n));
  }
  return s;
}

// Reads the input again as the load did, with the same checks (rows the
// load rejected are passed over) but as INSERT text, which is what the
// server's text of a key is compared with; `positions` are the key columns
// among the loaded ones.
Status FindOrigins(const LoadedInput& loaded, const std::vector<size_t>& positions,
                   std::vector<DuplicateKey>* keys) {
  RejectLog passed_over("", UINT64_MAX);
  std::unique_ptr<RowSource> source;
  Status s = MakeSource(loaded.spec, loaded.input.table, Shard{},
                        {.encoding = Encoding::kInsertParams,
                         .limits = loaded.limits,
                         .todo = {RowRange{0, loaded.rows}},
                         .rejects = &passed_over,
                         .synthetic = loaded.input.synthetic,
                         .fields = &loaded.input.fields},
                        &source);
  std::vector<PayloadReader::Value> row(positions.size());
  Chunk chunk;
  for (bool done = false; s.ok();) {
    chunk.Reset(Encoding::kInsertParams);
    s = source->NextChunk(&chunk, &done);
    if (!s.ok() || done) break;
    PayloadReader reader(chunk);
    size_t origin = 0;  // rows rejected before sending have no payload row
    for (uint64_t sent = 0; !reader.done(); ++sent, ++origin) {
      reader.ReadRow([&](size_t column, PayloadReader::Value value) {
        for (size_t k = 0; k < positions.size(); ++k) {
          if (positions[k] == column) row[k] = value;
        }
      });
      while (origin < chunk.origins.size() && !chunk.origins[origin].sent) ++origin;
      for (DuplicateKey& key : *keys) {
        bool same = true;
        for (size_t k = 0; k < row.size() && same; ++k) {
          same = !row[k].null && row[k].bytes == key.values[k];
        }
        if (!same) continue;
        if (++key.found > kOriginsShown) break;
        key.origins.push_back(chunk.origins.empty()
                                  ? std::to_string(chunk.first_row + sent)
                                  : *chunk.file + ":" + std::to_string(chunk.origins[origin].line));
        break;
      }
    }
  }
  return s;
}

// "(a, b)=(1, x): 3 rows, at f.csv:2, f.csv:9 and 1 more"; for generated
// rows "at rows 4, 9 and 1 more".
std::string DescribeKey(const std::vector<std::string>& columns, const DuplicateKey& key,
                        bool searched, bool generated) {
  std::string text = "(";
  for (size_t k = 0; k < columns.size(); ++k) text += (k ? ", " : "") + columns[k];
  text += ")=(";
  for (size_t k = 0; k < key.values.size(); ++k) text += (k ? ", " : "") + key.values[k];
  text += "): " + std::to_string(key.rows) + " rows";
  if (!searched) return text;
  if (key.found == 0) return text + ", none of them in this load's input";
  text += generated ? (key.found == 1 ? ", at row " : ", at rows ") : ", at ";
  for (size_t k = 0; k < key.origins.size(); ++k) {
    const bool last = k + 1 == key.origins.size() && key.found == k + 1;
    text += (k == 0 ? "" : last ? " and " : ", ") + key.origins[k];
  }
  if (key.found > key.origins.size()) {
    text += " and " + std::to_string(key.found - key.origins.size()) + " more";
  }
  if (key.found < key.rows) {
    text += "; " + std::to_string(key.rows - key.found) +
            " not in this load's input as the server writes the key (another session's rows, or "
            "the key written differently)";
  }
  return text;
}

}  // namespace

Status WithDuplicateOrigins(const Status& violation, Connection& conn, const IndexedRows& indexed,
                            const LoadedInput& loaded) {
  auto with = [&](const std::string& sentence) {
    return Status::Error(violation.code(), violation.message() + ". " + sentence,
                         violation.sqlstate());
  };
  std::vector<std::string> columns;
  if (!DuplicateKeyColumns(violation.message(), &columns)) {
    return with("Its key is not a list of columns, so the loader cannot look for its rows");
  }
  std::vector<DuplicateKey> keys;
  uint64_t repeated = 0;
  Status s = ReadDuplicateKeys(conn, indexed, columns, &keys, &repeated);
  if (!s.ok()) return with("Looking for the duplicated keys failed: " + s.ToString());
  if (keys.empty()) return violation;  // rows deleted since: nothing to add

  std::vector<size_t> positions;
  std::string unsearched;
  for (const std::string& column : columns) {
    const auto& loaded_columns = loaded.input.table.columns;
    const auto at = std::find_if(loaded_columns.begin(), loaded_columns.end(),
                                 [&](const Column& c) { return c.name == column; });
    if (at == loaded_columns.end()) {
      unsearched = " (" + column + " is not a column this load fills, so the input was not read)";
    }
    positions.push_back(static_cast<size_t>(at - loaded_columns.begin()));
  }
  if (!loaded.input.rereadable) unsearched = " (standard input cannot be read again to find them)";
  if (unsearched.empty()) {
    spdlog::info(
        "--build-indexes-after: reading the input again for the rows of {} duplicated "
        "key(s)",
        keys.size());
    s = FindOrigins(loaded, positions, &keys);
    if (!s.ok()) unsearched = " (reading the input again failed: " + s.ToString() + ")";
  }

  std::string sentence =
      indexed.table + " has " + std::to_string(repeated) + " key" + (repeated == 1 ? "" : "s") +
      " more than once" +
      (indexed.condition.empty() ? "" : " among its rows where " + indexed.condition) +
      (repeated > keys.size() ? ", the first " + std::to_string(keys.size()) : "") + unsearched +
      ": ";
  for (size_t k = 0; k < keys.size(); ++k) {
    sentence += (k ? "; " : "") +
                DescribeKey(columns, keys[k], unsearched.empty(), !loaded.input.from_files);
  }
  return with(sentence);
}

}  // namespace loader
