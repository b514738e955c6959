#include "loader/journal/journal.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "loader/base/hash.h"

namespace loader {
namespace {

constexpr char kCreateJobs[] =
    "CREATE TABLE IF NOT EXISTS loader_jobs ("
    "job TEXT PRIMARY KEY, table_name TEXT NOT NULL, total_rows INT8, "
    "source TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())";
constexpr char kCreateJournal[] =
    "CREATE TABLE IF NOT EXISTS loader_journal ("
    "job TEXT NOT NULL, first_row INT8 NOT NULL, row_count INT8 NOT NULL, "
    "committed_at TIMESTAMPTZ NOT NULL DEFAULT now(), content_digest INT8, "
    "CONSTRAINT loader_journal_pkey PRIMARY KEY (job, first_row))";

uint64_t ToUint(const char* text) {
  uint64_t v = 0;
  std::from_chars(text, text + std::char_traits<char>::length(text), v);
  return v;
}

std::string Value(const PgResult& r, int row, int col) { return ValueAt(r, row, col); }

Status JournalExists(Connection& conn, bool* exists) {
  PgResult r;
  Status s = conn.Query(
      "SELECT to_regclass('loader_journal') IS NOT NULL AND "
      "to_regclass('loader_jobs') IS NOT NULL",
      &r);
  *exists = s.ok() && FirstValue(r) == "t";
  return s;
}

}  // namespace

std::string DefaultJobId(std::string_view table, std::string_view source_identity, uint64_t rows) {
  // FNV-1a over the fields, NUL-separated so ("ab", "c") != ("a", "bc"), then
  // a final mix; a version prefix changes every id if the recipe changes.
  uint64_t h = 0xcbf29ce484222325ULL;
  auto feed = [&h](std::string_view bytes) {
    for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
    h = (h ^ 0) * 0x100000001b3ULL;
  };
  feed("loader-job-v1");
  feed(table);
  feed(source_identity);
  feed(std::to_string(rows));
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(Mix64(h)));
  return std::string(table) + "-" + hex;
}

Status ValidateJobId(std::string_view id) {
  const bool ok_chars = std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '-';
  });
  if (id.empty() || id.size() > 100 || !ok_chars) {
    // Not echoed: a connection string in the wrong place would print its password.
    return Status::InvalidArgument("--job: a job id is 1 to 100 characters of A-Z a-z 0-9 . _ : -");
  }
  return Status::OK();
}

Status EnsureJournal(Connection& conn) {
  // Look first: CREATE TABLE IF NOT EXISTS needs CREATE on the schema even when
  // the table is there, and an administrator may have made the tables for a
  // role that lacks it.
  bool exists = false;
  Status s = JournalExists(conn, &exists);
  if (!s.ok() || exists) return s;
  // Loaders starting at once (the shards of a job) race on CREATE TABLE IF
  // NOT EXISTS: in PostgreSQL the losers wait for the winner's transaction,
  // then fail on a duplicate catalog row (23505); CockroachDB may abort them
  // (40001). Both tables in one transaction make that one race, which the
  // loser then finds won.
  for (int attempt = 1;; ++attempt) {
    s = conn.InTransaction([&] {
      Status created = conn.Exec(kCreateJobs);
      return created.ok() ? conn.Exec(kCreateJournal) : created;
    });
    if (s.ok()) return s;
    if (JournalExists(conn, &exists).ok() && exists) return Status::OK();
    const bool lost_race =
        s.code() == Status::Code::kDataError || s.code() == Status::Code::kRetryable;
    if (!lost_race || attempt == 3) break;
  }
  return s.WithContext(
      "creating the journal tables loader_jobs and loader_journal (grant CREATE, or run with "
      "--no-journal)");
}

Status RegisterJob(Connection& conn, const JobSpec& job) {
  const std::string total = std::to_string(job.total_rows);
  const char* params[] = {job.id.c_str(), job.table.c_str(),
                          job.total_known ? total.c_str() : nullptr, job.source.c_str()};
  // One round trip: the row as inserted, or as it was.
  PgResult r;
  Status s = conn.Query(
      "WITH added AS (INSERT INTO loader_jobs (job, table_name, total_rows, source) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT (job) DO NOTHING "
      "RETURNING table_name, coalesce(total_rows::TEXT, ''), source) "
      "SELECT * FROM added UNION ALL "
      "SELECT table_name, coalesce(total_rows::TEXT, ''), source FROM loader_jobs "
      "WHERE job = $1 AND NOT EXISTS (SELECT 1 FROM added)",
      &r, 4, params);
  if (!s.ok()) return s.WithContext("recording job " + job.id);
  if (RowCount(r) == 0) {
    // Another loader of the job inserted it and committed while this
    // statement waited on it: only a statement begun after sees it.
    s = conn.Query(
        "SELECT table_name, coalesce(total_rows::TEXT, ''), source FROM loader_jobs WHERE job = "
        "$1",
        &r, 1, params);
    if (!s.ok()) return s.WithContext("reading job " + job.id);
  }
  if (RowCount(r) != 1) return Status::Internal("job " + job.id + " vanished");
  const std::string table = Value(r, 0, 0);
  const std::string rows = Value(r, 0, 1);
  const std::string source = Value(r, 0, 2);
  const bool same_rows = !job.total_known || rows.empty() || rows == total;
  if (table != job.table || !same_rows || source != job.source) {
    return Status::InvalidArgument("job " + job.id + " already loads " +
                                   (rows.empty() ? "" : rows + " rows ") + "into " + table + " (" +
                                   source +
                                   "); choose another --job, or forget it with: "
                                   "loader journal forget " +
                                   job.id);
  }
  return Status::OK();
}

Status SetJobTotal(Connection& conn, const std::string& job, uint64_t total_rows) {
  const std::string total = std::to_string(total_rows);
  const char* params[] = {job.c_str(), total.c_str()};
  Status s = conn.ExecParams("UPDATE loader_jobs SET total_rows = $2 WHERE job = $1", 2, params);
  return s.ok() ? s : s.WithContext("recording the row count of job " + job);
}

Status ReadJournal(Connection& conn, const std::string& job, JournalState* state,
                   const Shard& shard, int page_rows) {
  *state = JournalState();
  const std::string limit = std::to_string(page_rows);
  std::string after = "-1";
  for (;;) {
    const char* params[] = {job.c_str(), after.c_str(), limit.c_str()};
    PgResult r;
    Status s = conn.Query(
        "SELECT first_row, row_count, coalesce(content_digest, 0) FROM loader_journal "
        "WHERE job = $1 AND first_row > $2 ORDER BY first_row LIMIT $3",
        &r, 3, params);
    if (!s.ok()) return s.WithContext("reading the journal of job " + job);
    const int n = RowCount(r);
    for (int i = 0; i < n; ++i) {
      const uint64_t first_row = ToUint(ValueAt(r, i, 0));
      const uint64_t rows = ToUint(ValueAt(r, i, 1));
      const RowRange own = shard.ToOwn({first_row, rows});
      state->committed.Add(own.first, own.count);
      state->journaled_rows += own.count;
      state->job_rows += rows;
      if (shard.Owns(first_row)) ++state->chunks;
      // Stored signed: INT8 holds the digest's bits.
      int64_t digest = 0;
      const char* text = ValueAt(r, i, 2);
      std::from_chars(text, text + std::char_traits<char>::length(text), digest);
      if (digest != 0) state->digests.push_back({first_row, rows, static_cast<uint64_t>(digest)});
    }
    if (n < page_rows) return Status::OK();
    after = ValueAt(r, n - 1, 0);
  }
}

Status CommittedRows(Connection& conn, const std::string& job, uint64_t first_row, uint64_t* rows) {
  const std::string first = std::to_string(first_row);
  const char* params[] = {job.c_str(), first.c_str()};
  PgResult r;
  Status s = conn.Query("SELECT row_count FROM loader_journal WHERE job = $1 AND first_row = $2",
                        &r, 2, params);
  if (!s.ok()) return s;
  *rows = ToUint(FirstValue(r).c_str());
  return Status::OK();
}

void AppendJournalInsert(const std::string& job, uint64_t first_row, uint64_t rows, uint64_t digest,
                         std::string* sql) {
  *sql += "INSERT INTO loader_journal (job, first_row, row_count, content_digest) VALUES ('";
  *sql += job;
  *sql += "', ";
  *sql += std::to_string(first_row);
  *sql += ", ";
  *sql += std::to_string(rows);
  *sql += ", ";
  *sql += digest == 0 ? std::string("NULL") : std::to_string(static_cast<int64_t>(digest));
  *sql += ')';
}

Status ListJobs(Connection& conn, std::vector<JobProgress>* jobs) {
  bool exists = false;
  Status s = JournalExists(conn, &exists);
  if (!s.ok() || !exists) return s;
  PgResult r;
  s = conn.Query(
      "SELECT j.job, j.table_name, coalesce(j.total_rows::TEXT, ''), j.source, "
      "coalesce(sum(c.row_count), 0), "
      "count(c.first_row), coalesce(max(c.committed_at)::TIMESTAMP(0)::TEXT, '') "
      "FROM loader_jobs j LEFT JOIN loader_journal c ON c.job = j.job "
      "GROUP BY j.job, j.table_name, j.total_rows, j.source ORDER BY j.job",
      &r);
  if (!s.ok()) return s.WithContext("listing jobs");
  for (int i = 0; i < RowCount(r); ++i) {
    JobProgress p;
    p.spec.id = Value(r, i, 0);
    p.spec.table = Value(r, i, 1);
    p.spec.total_known = *ValueAt(r, i, 2) != '\0';
    p.spec.total_rows = ToUint(ValueAt(r, i, 2));
    p.spec.source = Value(r, i, 3);
    p.rows_done = ToUint(ValueAt(r, i, 4));
    p.chunks = ToUint(ValueAt(r, i, 5));
    p.last_commit = Value(r, i, 6);
    jobs->push_back(std::move(p));
  }
  return Status::OK();
}

namespace {

// Deletes the jobs whose `column` equals `value`, and their journal rows. The
// caller holds a transaction, so a job is never left half forgotten.
Status DeleteJobs(Connection& conn, const char* column, const std::string& value, uint64_t* jobs,
                  uint64_t* chunks) {
  *jobs = 0;
  *chunks = 0;
  bool exists = false;
  Status s = JournalExists(conn, &exists);
  if (!s.ok() || !exists) return s;
  const std::string where = std::string(" WHERE ") + column + " = $1";
  const char* params[] = {value.c_str()};
  PgResult journal_rows;
  PgResult job_rows;
  s = conn.Query(("WITH gone AS (DELETE FROM loader_journal WHERE job IN (SELECT job FROM "
                  "loader_jobs" +
                  where + ") RETURNING 1) SELECT count(*) FROM gone")
                     .c_str(),
                 &journal_rows, 1, params);
  if (s.ok()) {
    s = conn.Query(("WITH gone AS (DELETE FROM loader_jobs" + where +
                    " RETURNING 1) SELECT count(*) FROM gone")
                       .c_str(),
                   &job_rows, 1, params);
  }
  if (!s.ok()) return s;
  *jobs = ToUint(FirstValue(job_rows).c_str());
  *chunks = ToUint(FirstValue(journal_rows).c_str());
  return Status::OK();
}

}  // namespace

Status ForgetJob(Connection& conn, const std::string& job, uint64_t* chunks) {
  uint64_t jobs = 0;
  Status s = conn.InTransaction([&] { return DeleteJobs(conn, "job", job, &jobs, chunks); });
  if (!s.ok()) return s.WithContext("forgetting job " + job);
  if (jobs == 0)
    return Status::InvalidArgument("no job named " + job + " (loader journal lists them)");
  return Status::OK();
}

Status ForgetTableJobs(Connection& conn, const std::string& table, uint64_t* jobs) {
  uint64_t chunks = 0;
  Status s = DeleteJobs(conn, "table_name", table, jobs, &chunks);
  return s.ok() ? s : s.WithContext("forgetting the jobs of table " + table);
}

std::string FormatJobs(const std::vector<JobProgress>& jobs) {
  if (jobs.empty()) return "no jobs in the journal\n";
  size_t id_width = 3;
  for (const JobProgress& j : jobs) id_width = std::max(id_width, j.spec.id.size());
  constexpr const char* kLine = "{:<{}}  {:<12} {:>12} {:>12} {:>6} {:>8}  {:<19}  {}\n";
  std::string out = fmt::format(kLine, "job", id_width, "table", "rows done", "of", "%", "chunks",
                                "last commit", "source");
  for (const JobProgress& j : jobs) {
    // Rows read from files are counted once read to the end.
    const std::string total = j.spec.total_known ? std::to_string(j.spec.total_rows) : "?";
    const std::string pct = !j.spec.total_known ? "-"
                            : j.spec.total_rows == 0
                                ? "100.0"
                                : fmt::format("{:.1f}", 100.0 * j.rows_done / j.spec.total_rows);
    out += fmt::format(kLine, j.spec.id, id_width, j.spec.table, j.rows_done, total, pct, j.chunks,
                       j.last_commit.empty() ? "-" : j.last_commit, j.spec.source);
  }
  return out;
}

}  // namespace loader
