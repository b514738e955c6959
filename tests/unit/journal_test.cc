// The journal functions that need no server: job ids, the journal INSERT text,
// and the `loader journal` table.
#include "loader/journal/journal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "loader/base/status.h"

namespace loader {
namespace {

// The 16 hex digits after "<table>-".
std::string Digest(const std::string& job_id) { return job_id.substr(job_id.rfind('-') + 1); }

TEST(DefaultJobId, IsTableThenSixteenLowerCaseHexDigits) {
  const std::string id = DefaultJobId("accounts", "generated:seed=1", 10000);
  ASSERT_EQ(id.size(), std::string("accounts-").size() + 16) << id;
  EXPECT_TRUE(id.starts_with("accounts-")) << id;
  for (char c : Digest(id)) {
    EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
  }
  EXPECT_TRUE(ValidateJobId(id).ok()) << id;
}

// Existing journals are found by these ids: a change of recipe orphans every
// job recorded before it. The values were computed apart from the loader (FNV-1a
// over "loader-job-v1", table, identity and rows, each NUL-terminated, then Mix64).
TEST(DefaultJobId, KnownValues) {
  EXPECT_EQ(DefaultJobId("accounts", "generated:seed=1", 10000), "accounts-edb5f6db8d31e268");
  EXPECT_EQ(DefaultJobId("points", "generated:seed=42", 5000000), "points-7bebbdac22b5f321");
}

TEST(DefaultJobId, IsDeterministic) {
  EXPECT_EQ(DefaultJobId("points", "generated:seed=9", 123),
            DefaultJobId("points", "generated:seed=9", 123));
}

TEST(DefaultJobId, ChangesWithEveryInput) {
  const std::string base = DefaultJobId("accounts", "generated:seed=1", 1000);
  EXPECT_NE(DefaultJobId("points", "generated:seed=1", 1000), base);
  EXPECT_NE(DefaultJobId("accounts", "generated:seed=2", 1000), base);
  EXPECT_NE(DefaultJobId("accounts", "generated:seed=1", 1001), base);
  // The digest alone differs too, not just the table prefix.
  EXPECT_NE(Digest(DefaultJobId("points", "generated:seed=1", 1000)), Digest(base));
}

TEST(DefaultJobId, FieldBoundariesMatter) {
  // Compare the digests: the table prefixes would differ anyway.
  EXPECT_NE(Digest(DefaultJobId("ab", "c", 1)), Digest(DefaultJobId("a", "bc", 1)));
  EXPECT_NE(Digest(DefaultJobId("t", "s1", 23)), Digest(DefaultJobId("t", "s12", 3)));
  EXPECT_NE(Digest(DefaultJobId("t", "", 1)), Digest(DefaultJobId("t", "1", 1)));
}

TEST(ValidateJobId, AcceptsTheAllowedCharacters) {
  EXPECT_TRUE(ValidateJobId("nightly-2026.11:a_b").ok());
  EXPECT_TRUE(ValidateJobId("ABCxyz0189._:-").ok());
  EXPECT_TRUE(ValidateJobId("j").ok());
  EXPECT_TRUE(ValidateJobId(std::string(100, 'a')).ok());
}

TEST(ValidateJobId, RejectsWithAMessageNamingTheOption) {
  // Empty, too long, a space, a quote, SQL, "jö" in UTF-8, a slash, a NUL.
  const std::vector<std::string> bad = {"",     std::string(101, 'a'),   "bad name",
                                        "it's", "a;DROP TABLE accounts", "j\xc3\xb6",
                                        "a/b",  std::string("a\0b", 3)};
  for (const std::string& id : bad) {
    const Status s = ValidateJobId(id);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << "'" << id << "'";
    EXPECT_TRUE(s.message().starts_with("--job: ")) << s.message();
  }
  // The rejected text is not echoed: it might be a misplaced connection string.
  EXPECT_EQ(ValidateJobId("bad name").message(),
            "--job: a job id is 1 to 100 characters of A-Z a-z 0-9 . _ : -");
}

TEST(AppendJournalInsert, AppendsOneInsertToExistingText) {
  std::string sql = "BEGIN; ";
  AppendJournalInsert("j-1", 5, 1000, 0, &sql);
  EXPECT_EQ(sql,
            "BEGIN; INSERT INTO loader_journal (job, first_row, row_count, content_digest) "
            "VALUES ('j-1', 5, 1000, NULL)");
}

TEST(AppendJournalInsert, WritesLargeRowNumbersInFull) {
  std::string sql;
  AppendJournalInsert("a.b:c_d", 18446744073709551615u, 0, 0, &sql);
  EXPECT_EQ(sql,
            "INSERT INTO loader_journal (job, first_row, row_count, content_digest) VALUES "
            "('a.b:c_d', 18446744073709551615, 0, NULL)");
}

TEST(AppendJournalInsert, WritesTheDigestAsASignedInt8) {
  std::string sql;
  AppendJournalInsert("j", 0, 10, 0xFFFFFFFFFFFFFFFEu, &sql);
  EXPECT_EQ(sql,
            "INSERT INTO loader_journal (job, first_row, row_count, content_digest) VALUES "
            "('j', 0, 10, -2)");
  sql.clear();
  AppendJournalInsert("j", 0, 10, 42, &sql);
  EXPECT_EQ(sql,
            "INSERT INTO loader_journal (job, first_row, row_count, content_digest) VALUES "
            "('j', 0, 10, 42)");
}

JobProgress Job(std::string id, std::string table, uint64_t rows_done, uint64_t total,
                uint64_t chunks, std::string last_commit, std::string source) {
  JobProgress job;
  job.spec.id = std::move(id);
  job.spec.table = std::move(table);
  job.spec.total_rows = total;
  job.spec.source = std::move(source);
  job.rows_done = rows_done;
  job.chunks = chunks;
  job.last_commit = std::move(last_commit);
  return job;
}

TEST(FormatJobs, NoJobs) { EXPECT_EQ(FormatJobs({}), "no jobs in the journal\n"); }

TEST(FormatJobs, OneAlignedLinePerJob) {
  const std::vector<JobProgress> jobs = {
      Job("accounts-edb5f6db8d31e268", "accounts", 500, 1000, 5, "2026-11-02 03:04:05",
          "generated accounts, seed 1"),
      Job("nightly", "points", 0, 3, 0, "", "generated points, seed 7"),
  };
  // The id column is as wide as the longest id.
  EXPECT_EQ(FormatJobs(jobs),
            "job                        table           rows done           of      %   chunks  "
            "last commit          source\n"
            "accounts-edb5f6db8d31e268  accounts              500         1000   50.0        5  "
            "2026-11-02 03:04:05  generated accounts, seed 1\n"
            "nightly                    points                  0            3    0.0        0  "
            "-                    generated points, seed 7\n");
}

TEST(FormatJobs, PercentIsRoundedToOneDecimal) {
  const std::string text = FormatJobs({Job("j", "points", 2, 3, 1, "2026-11-02 03:04:05", "x")});
  EXPECT_EQ(
      text,
      "job  table           rows done           of      %   chunks  last commit          "
      "source\n"
      "j    points                  2            3   66.7        1  2026-11-02 03:04:05  x\n");
}

TEST(FormatJobs, FileJobsNotReadToTheEndHaveNoTotalYet) {
  // The total a file job has before it is counted is not shown: "?" rows, no %.
  JobProgress files =
      Job("files", "orders", 1234, 77, 3, "2026-11-02 03:04:05", "CSV /d/o.csv and 2 more");
  files.spec.total_known = false;
  const JobProgress generated = Job("gen", "points", 5, 10, 1, "", "generated points, seed 1");
  EXPECT_EQ(FormatJobs({files, generated}),
            "job    table           rows done           of      %   chunks  last commit          "
            "source\n"
            "files  orders               1234            ?      -        3  2026-11-02 03:04:05  "
            "CSV /d/o.csv and 2 more\n"
            "gen    points                  5           10   50.0        1  -                    "
            "generated points, seed 1\n");
}

TEST(FormatJobs, LongLinesAreNeverCut) {
  const std::string id(100, 'i');
  const std::string source(400, 's');
  const std::string text = FormatJobs(
      {Job(id, "accounts", 1, 10, 1, "", source), Job(id, "accounts", 2, 10, 1, "", source)});
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3) << text;
  EXPECT_EQ(text.substr(text.size() - source.size() - 3), "  " + source + "\n");
}

}  // namespace
}  // namespace loader
