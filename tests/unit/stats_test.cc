#include "loader/report/stats.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "loader/base/json.h"

namespace loader {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The summary's JSON, parsed: a document that is not JSON fails the test.
Json Parsed(const std::string& json) { return Json::parse(json); }

// 10000 rows and 2 MiB in 2 seconds: round rates that are easy to check.
Summary SampleSummary() {
  Stats stats;
  stats.rows = 10000;
  stats.chunks = 10;
  stats.bytes = 2u << 20;
  stats.retries = 3;
  stats.retried_chunks = 2;
  stats.reconnects = 1;
  stats.splits = 2;
  stats.skipped_chunks = 5;
  stats.skipped_rows = 5000;
  Summary s = Summary::From(stats, 2.0);
  s.job = "accounts-00ff";
  s.table = "accounts";
  s.method = "copy";
  s.server = "PostgreSQL";
  s.workers = 4;
  return s;
}

TEST(Summary, FromCopiesCounters) {
  Stats stats;
  stats.rows = 11;
  stats.chunks = 22;
  stats.bytes = 33;
  stats.retries = 44;
  stats.retried_chunks = 55;
  stats.reconnects = 66;
  stats.splits = 77;
  stats.ambiguous_resolved = 88;
  stats.skipped_chunks = 99;
  stats.skipped_rows = 111;
  const Summary s = Summary::From(stats, 1.5);
  EXPECT_EQ(s.rows, 11u);
  EXPECT_EQ(s.chunks, 22u);
  EXPECT_EQ(s.bytes, 33u);
  EXPECT_EQ(s.retries, 44u);
  EXPECT_EQ(s.retried_chunks, 55u);
  EXPECT_EQ(s.reconnects, 66u);
  EXPECT_EQ(s.splits, 77u);
  EXPECT_EQ(s.ambiguous_resolved, 88u);
  EXPECT_EQ(s.skipped_chunks, 99u);
  EXPECT_EQ(s.skipped_rows, 111u);
  EXPECT_EQ(s.seconds, 1.5);
  EXPECT_EQ(s.status, "ok");
  EXPECT_EQ(s.error, "");
}

TEST(Summary, Rates) {
  const Summary s = SampleSummary();
  EXPECT_DOUBLE_EQ(s.rows_per_second(), 5000.0);
  EXPECT_DOUBLE_EQ(s.mib_per_second(), 1.0);
  Summary instant = s;
  instant.seconds = 0;
  EXPECT_EQ(instant.rows_per_second(), 0.0);
  EXPECT_EQ(instant.mib_per_second(), 0.0);
}

TEST(Summary, ToTextHasAlignedLabelledLines) {
  EXPECT_EQ(SampleSummary().ToText(),
            "table:          accounts (copy, 4 workers, PostgreSQL)\n"
            "rows:           10000\n"
            "chunks:         10\n"
            "seconds:        2.000\n"
            "rows/s:         5000\n"
            "MiB/s:          1.00\n"
            "retries:        3\n"
            "retried chunks: 2\n"
            "reconnects:     1\n"
            "splits:         2\n"
            "skipped:        5000 rows in 5 chunks already loaded\n"
            "journal:        job accounts-00ff\n"
            "status:         ok\n");
}

TEST(Summary, ToTextSaysWhatAutoDidWithTheWorkers) {
  Summary s = SampleSummary();
  s.workers_start = 2;
  s.workers_end = 4;
  EXPECT_TRUE(s.ToText().starts_with(
      "table:          accounts (copy, 4 workers (auto: 2 to start, 4 at the end), PostgreSQL)\n"))
      << s.ToText();
  s.workers_end = 2;  // went back
  EXPECT_TRUE(s.ToText().starts_with(
      "table:          accounts (copy, 4 workers (auto: 2 to start, 2 at the end), PostgreSQL)\n"))
      << s.ToText();
  s.workers_start = s.workers_end = 4;  // none added
  EXPECT_TRUE(s.ToText().starts_with("table:          accounts (copy, 4 workers, PostgreSQL)\n"));
}

TEST(Summary, ToTextSaysWhatTheJournalChanges) {
  Summary s = SampleSummary();
  s.ambiguous_resolved = 2;
  s.job.clear();
  const std::string text = s.ToText();
  EXPECT_TRUE(Contains(text, "\nambiguous:      2 commits settled by the journal\n")) << text;
  EXPECT_TRUE(
      Contains(text, "\njournal:        off: exactly-once is not guaranteed (--no-journal)\n"))
      << text;

  Summary done = SampleSummary();
  done.rows = 0;
  done.chunks = 0;
  EXPECT_TRUE(Contains(done.ToText(), "\nstatus:         ok: already loaded, nothing to do\n"))
      << done.ToText();

  Summary failed = SampleSummary();
  failed.status = "interrupted";
  failed.error = "interrupted by a signal";
  failed.next_step = "run the same command again";
  EXPECT_TRUE(Contains(failed.ToText(),
                       "\nstatus:         interrupted: interrupted by a signal\n"
                       "next:           run the same command again\n"))
      << failed.ToText();
}

TEST(Summary, AShardSaysHowMuchOfTheWholeJobIsCommitted) {
  Summary s = SampleSummary();
  s.shard = "1/3";
  s.job_committed_rows = 6000;
  s.job_rows = 9000;
  EXPECT_TRUE(Contains(s.ToText(),
                       "\nshard:          1/3; the job has 6000 of 9000 rows committed "
                       "(the other shards load the rest)\n"))
      << s.ToText();
  s.job_committed_rows = 9000;
  EXPECT_TRUE(
      Contains(s.ToText(), "\nshard:          1/3; the job has 9000 of 9000 rows committed\n"))
      << s.ToText();
  const Json json = Parsed(s.ToJson());
  EXPECT_EQ(json["shard"], "1/3");
  EXPECT_EQ(json["job_committed_rows"], 9000);
  EXPECT_EQ(json["job_rows"], 9000);
  s.status = "data_error";  // a failed load did not count the job
  EXPECT_TRUE(Contains(s.ToText(), "\nshard:          1/3\n")) << s.ToText();
  s.status = "ok";
  s.job.clear();  // --no-journal: nothing to count the job by
  EXPECT_TRUE(Contains(s.ToText(), "\nshard:          1/3\n")) << s.ToText();
  EXPECT_FALSE(Contains(SampleSummary().ToText(), "shard:")) << SampleSummary().ToText();
}

// --max-rate: the budget and how long it held chunks back, shown only with
// one; in the JSON always, 0 for none.
TEST(Summary, TheMaxRateAndHowLongItHeldChunksBack) {
  EXPECT_FALSE(Contains(SampleSummary().ToText(), "max rate:")) << SampleSummary().ToText();
  Stats stats;
  stats.rate_waits_ns = 9'500'000'000;
  Summary s = Summary::From(stats, 10.0);
  s.max_rate = "2000 rows/s and 1 MiB/s";
  s.max_rows_per_second = 2000;
  s.max_bytes_per_second = 1 << 20;
  EXPECT_TRUE(Contains(s.ToText(),
                       "\nMiB/s:          0.00\nmax rate:       2000 rows/s and 1 MiB/s "
                       "(--max-rate); it held chunks back 9.500 s\n"))
      << s.ToText();
  const Json json = Parsed(s.ToJson());
  EXPECT_EQ(json["max_rows_per_second"], 2000);
  EXPECT_EQ(json["max_bytes_per_second"], 1 << 20);
  EXPECT_EQ(json["rate_wait_seconds"], 9.5);
}

TEST(Summary, ServerWaitsArePerChunkRoundTrips) {
  Summary s = SampleSummary();
  EXPECT_FALSE(Contains(s.ToText(), "server waits:")) << "none counted, none shown";
  s.server_waits = 45;
  s.round_trip_ms = 20.25;
  EXPECT_TRUE(Contains(s.ToText(),
                       "\nserver waits:   45 (4.5 a chunk, each a round trip of about "
                       "20.25 ms)\n"))
      << s.ToText();
  EXPECT_EQ(Parsed(s.ToJson())["server_waits"], 45);
  EXPECT_EQ(Parsed(s.ToJson())["round_trip_ms"], 20.25);
  // Pipelined, one wait may bring the answers of several chunks.
  s.server_waits = 8;
  s.in_flight = 6;
  EXPECT_TRUE(Contains(s.ToText(),
                       "\nserver waits:   8 (0.8 a chunk, several chunks' answers to each; a "
                       "round trip is about 20.25 ms)\n"))
      << s.ToText();
  EXPECT_TRUE(s.ToText().starts_with(
      "table:          accounts (copy, 4 workers, 6 chunks in flight each, PostgreSQL)\n"))
      << s.ToText();
  EXPECT_EQ(Parsed(s.ToJson())["in_flight"], 6);
}

TEST(Summary, ToTextShowsTheError) {
  Summary s = SampleSummary();
  s.status = "data_error";
  s.error = "duplicate key value (SQLSTATE 23505)";
  EXPECT_TRUE(
      Contains(s.ToText(), "\nstatus:         data_error: duplicate key value (SQLSTATE 23505)\n"))
      << s.ToText();
}

// One object, its fields in this order, ending in a newline.
TEST(Summary, ToJsonIsOneVersionedObject) {
  const std::string text = SampleSummary().ToJson();
  EXPECT_TRUE(text.ends_with("}\n")) << text;
  EXPECT_EQ(Parsed(text), Parsed(R"({"version": 1, "table": "accounts", "method": "copy",
      "server": "PostgreSQL", "workers": 4, "workers_start": 0, "workers_end": 0, "in_flight": 0, "rows": 10000, "chunks": 10,
      "bytes": 2097152, "seconds": 2.0, "analyze_seconds": 0.0, "indexes_built": 0, "index_seconds": 0.0, "rows_per_second": 5000.0,
      "mib_per_second": 1.0, "retries": 3, "retried_chunks": 2,
      "reconnects": 1, "splits": 2, "server_waits": 0, "round_trip_ms": 0.0,
      "max_rows_per_second": 0, "max_bytes_per_second": 0, "rate_wait_seconds": 0.0,
      "ambiguous_resolved": 0,
      "skipped_chunks": 5, "skipped_rows": 5000, "on_conflict": "", "rows_inserted": 0,
      "rows_skipped": 0, "rows_updated": 0, "rows_written": 0, "rows_untallied": 10000, "rejected": 0, "reject_file": "",
      "file_rows": 0, "files": 0, "files_dir": "", "per_worker": [],
      "per_host": [], "journal": true,
      "job": "accounts-00ff", "shard": "", "job_committed_rows": 0, "job_rows": 0,
      "status": "ok", "error": "", "next_step": ""})"));
}

TEST(Summary, ToJsonEscapesStrings) {
  Summary s = SampleSummary();
  s.status = "data_error";
  s.error = "value \"x\"\nback\\slash\ttab\rcr\x01\x1f end";
  const std::string json = s.ToJson();
  EXPECT_TRUE(Contains(json, R"("error":"value \"x\"\nback\\slash\ttab\rcr\u0001\u001f end",)"))
      << json;
  EXPECT_EQ(Parsed(json)["error"], s.error);
  EXPECT_EQ(Parsed(json)["status"], "data_error");
  // No raw control character survives anywhere in the document but its final newline.
  for (size_t i = 0; i + 1 < json.size(); ++i) {
    EXPECT_GE(static_cast<unsigned char>(json[i]), 0x20u) << "at " << i;
  }
}

TEST(Summary, ToJsonKeepsUtf8AndEscapesQuotesInOtherFields) {
  Summary s = SampleSummary();
  s.table = "t\"able";
  s.error = "caf\xc3\xa9";
  const std::string json = s.ToJson();
  EXPECT_TRUE(Contains(json, "\"error\":\"caf\xc3\xa9\"")) << json;
  EXPECT_EQ(Parsed(json)["table"], "t\"able");
  EXPECT_EQ(Parsed(json)["error"], "caf\xc3\xa9");
}

// Several workers: a table of their shares, columns as wide as their widest
// cell, and the same in the JSON.
TEST(Summary, SeveralWorkersGetATableOfTheirShares) {
  Stats stats(2);
  stats.rows = 30000;
  stats.per_worker[0].rows = 10000;
  stats.per_worker[0].chunks = 10;
  stats.per_worker[1].rows = 20000;
  stats.per_worker[1].chunks = 20;
  stats.per_worker[1].retries = 3;
  stats.per_worker[1].reconnects = 1;
  Summary s = Summary::From(stats, 1.0);
  s.per_worker[0].host = "db1.example:26257";
  s.per_worker[1].host = "db2:5432";
  EXPECT_EQ(s.WorkerTable(),
            "  worker  host                rows  chunks  retries  reconnects\n"
            "       0  db1.example:26257  10000      10        0           0\n"
            "       1  db2:5432           20000      20        3           1\n");
  EXPECT_TRUE(Contains(s.ToText(), s.WorkerTable())) << s.ToText();
  EXPECT_EQ(Parsed(s.ToJson())["per_worker"], Parsed(R"([
      {"worker": 0, "host": "db1.example:26257", "rows": 10000, "chunks": 10, "retries": 0,
       "reconnects": 0},
      {"worker": 1, "host": "db2:5432", "rows": 20000, "chunks": 20, "retries": 3,
       "reconnects": 1}])"));
}

// Several hosts: where the rows went, whichever workers took them there.
TEST(Summary, SeveralHostsGetATableOfTheirShares) {
  Stats stats(2, 2);
  stats.per_host[0].rows = 7000;
  stats.per_host[0].chunks = 7;
  stats.per_host[0].reconnects = 2;
  stats.per_host[1].rows = 23000;
  stats.per_host[1].chunks = 23;
  stats.per_host[1].retries = 1;
  Summary s = Summary::From(stats, 1.0);
  s.per_host[0].host = "db1.example:26257";
  s.per_host[1].host = "db2:26257";
  EXPECT_EQ(s.HostTable(),
            "  host                rows  chunks  retries  reconnects\n"
            "  db1.example:26257   7000       7        0           2\n"
            "  db2:26257          23000      23        1           0\n");
  EXPECT_TRUE(Contains(s.ToText(), s.HostTable())) << s.ToText();
  EXPECT_EQ(Parsed(s.ToJson())["per_host"], Parsed(R"([
      {"host": "db1.example:26257", "rows": 7000, "chunks": 7, "retries": 0, "reconnects": 2},
      {"host": "db2:26257", "rows": 23000, "chunks": 23, "retries": 1, "reconnects": 0}])"));
}

TEST(Summary, OneWorkerHasNoTable) {
  Stats stats(1, 1);
  stats.per_worker[0].rows = 5;
  const Summary s = Summary::From(stats, 1.0);
  EXPECT_FALSE(Contains(s.ToText(), "reconnects  ")) << s.ToText();
}

}  // namespace
}  // namespace loader
