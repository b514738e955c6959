// What the --fallback-dir tests share: the tables and the fault that make a
// chunk spill (a journal trigger raising 40001), and the summary lines a load
// that spilled prints.
#ifndef LOADER_TESTS_SUPPORT_FALLBACK_LOAD_H_
#define LOADER_TESTS_SUPPORT_FALLBACK_LOAD_H_

#include <gtest/gtest.h>

#include <string>

#include "support/test_db.h"

namespace loader::test_support {

// Names the instances of a suite parameterized by --method: ".../copy".
std::string MethodName(const ::testing::TestParamInfo<std::string>& info);

// A row-level trigger on loader_journal raising 40001 for the chunks whose
// journal row matches `condition` (on NEW.first_row): those chunks can never
// commit, whatever the method. The journal tables must exist.
void FailChunksWhere(ScratchDatabase& db, const std::string& condition);

// Makes the table (and the journal tables, which the loader creates on first use).
void CreateTable(ScratchDatabase& db, const std::string& table);

// Makes the journal tables with an empty load of `table` from standard input.
void CreateJournal(ScratchDatabase& db, const std::string& table);

// One snapshot: the table holds exactly the journaled rows.
inline constexpr char kTableMatchesJournal[] =
    "SELECT (SELECT count(*) FROM points) = "
    "(SELECT coalesce(sum(row_count), 0) FROM loader_journal)";

// The start of a summary line: "name:" padded to 16 columns, then `value`.
std::string SummaryStart(const std::string& name, const std::string& value);

// A whole summary line.
std::string Summary(const std::string& name, const std::string& value);

// The "fallback:", "status:" and "next:" lines of a load that left `rows` rows
// in `files` files in `dir`.
std::string FallbackSummary(long long rows, long long files, const std::string& dir);
std::string FallbackStatus(long long rows, long long files, const std::string& dir);
std::string FallbackNext(const std::string& dir, const std::string& job);

}  // namespace loader::test_support

#endif  // LOADER_TESTS_SUPPORT_FALLBACK_LOAD_H_
