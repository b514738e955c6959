// The chunk journal: how a load commits every row exactly once across crashes,
// lost connections and re-runs.
//
// loader_journal holds one row per committed chunk, keyed by (job, first_row),
// with a digest of the rows' text for rows read from files (content_digest.h),
// and the chunk's own transaction inserts it, before the chunk's rows: the
// data and its journal row commit together or not at all. So:
//  - a re-run reads the committed row ranges of its job and loads only the
//    rest, whatever --chunk or --workers it uses;
//  - a COMMIT whose outcome is unknown is settled by reading the journal on a
//    new connection;
//  - a chunk committed by someone else meanwhile (the unheard COMMIT of an
//    earlier attempt, or another process of the same job) makes the journal
//    insert collide on the primary key (23505) before any row is sent; one
//    still in flight makes it wait for that transaction's outcome.
// loader_jobs holds one row per job: what it loads, so progress can be listed
// and a job id reused for different data is refused.
// Thread safety: functions share no state; each needs its own Connection.
#ifndef LOADER_JOURNAL_H_
#define LOADER_JOURNAL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loader/base/status.h"
#include "loader/pg/connection.h"
#include "loader/plan/row_ranges.h"
#include "loader/plan/shard.h"
#include "loader/read/content_digest.h"

namespace loader {

inline constexpr char kJournalTable[] = "loader_journal";
inline constexpr char kJobsTable[] = "loader_jobs";

struct JobSpec {
  std::string id;
  std::string table;
  uint64_t total_rows = 0;
  // False for files until they are read to the end: their rows are counted
  // by reading them (SetJobTotal).
  bool total_known = true;
  std::string source;  // for people: "generated accounts, seed 1"
};

struct JobProgress {
  JobSpec spec;
  uint64_t rows_done = 0;
  uint64_t chunks = 0;
  std::string last_commit;  // server time of the latest chunk, "" if none
};

// "<table>-<16 hex digits>": a digest of what defines the rows (the table, the
// source's identity, the row count), and nothing that only changes how they
// are sent (chunk size, workers, method).
std::string DefaultJobId(std::string_view table, std::string_view source_identity, uint64_t rows);

// Job ids are 1 to 100 of [A-Za-z0-9._:-], so they can be written into SQL as
// a plain literal and into file names.
Status ValidateJobId(std::string_view id);

// Creates both tables if missing.
Status EnsureJournal(Connection& conn);

// Records the job, or checks that the recorded one loads the same rows: the
// same table, row count (when both are known) and source (kInvalidArgument
// when it does not).
Status RegisterJob(Connection& conn, const JobSpec& job);

// Records the row count of a job whose input was read to the end.
Status SetJobTotal(Connection& conn, const std::string& job, uint64_t total_rows);

struct JournalState {
  // The committed rows this process loads, by the shard's own row numbers
  // (Shard::OwnedBefore; without --shard, the job's row numbers).
  RowRanges committed;
  uint64_t chunks = 0;  // the journal rows that start in those rows
  uint64_t journaled_rows =
      0;                  // those rows of every chunk summed; > committed.rows() if chunks overlap
  uint64_t job_rows = 0;  // the rows journaled for the whole job, by every shard
  std::vector<CommittedChunk> digests;  // the chunks with a digest, by first_row
};

// Reads the job's journal in pages of `page_rows` chunks, in row order, so
// neither a result nor the merging of ranges grows with the job.
Status ReadJournal(Connection& conn, const std::string& job, JournalState* state,
                   const Shard& shard = {}, int page_rows = 10000);

// The row count of the journal row of `job` starting at `first_row`; 0 when
// there is none (that chunk did not commit).
Status CommittedRows(Connection& conn, const std::string& job, uint64_t first_row, uint64_t* rows);

// Appends the journal INSERT for one chunk to `sql`, to be sent in the same
// round trip as BEGIN; a `digest` of 0 is recorded as none.
// REQUIRES: ValidateJobId(job).ok().
void AppendJournalInsert(const std::string& job, uint64_t first_row, uint64_t rows, uint64_t digest,
                         std::string* sql);

// Every job with its progress, in id order (none when the tables are absent).
Status ListJobs(Connection& conn, std::vector<JobProgress>* jobs);

// Deletes a job and its journal rows, in one transaction; kInvalidArgument
// when there is no such job. Sets *chunks to the journal rows deleted.
Status ForgetJob(Connection& conn, const std::string& job, uint64_t* chunks);

// Deletes every job loading `table` (its rows are gone, or about to be). Runs
// in the caller's transaction (Connection::InTransaction), so no job is left
// half forgotten and --create can forget in the transaction that creates the
// table. Sets *jobs.
Status ForgetTableJobs(Connection& conn, const std::string& table, uint64_t* jobs);

// An aligned table of jobs for `loader journal`.
std::string FormatJobs(const std::vector<JobProgress>& jobs);

}  // namespace loader

#endif  // LOADER_JOURNAL_H_
