// RejectLog: rejected rows go, as read, to the reject file and their reasons,
// one line each, to its .log; past --max-rejects nothing is written and the
// load stops; with no limit the reason itself stops it.
#include "loader/read/reject_log.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "loader/base/status.h"
#include "support/temp_dir.h"

namespace loader {
namespace {

using test_support::Contents;
using test_support::TempDir;

bool Exists(const std::string& path) { return std::filesystem::exists(path); }

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void Write(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  ASSERT_TRUE(out.good()) << path;
}

Status Bad(const std::string& message) { return Status::Error(Status::Code::kDataError, message); }

TEST(RejectLog, LogPathReplacesACsvExtensionOrAppendsLog) {
  EXPECT_EQ(RejectLog::LogPathFor("x.csv"), "x.log");
  EXPECT_EQ(RejectLog::LogPathFor("x"), "x.log");
  EXPECT_EQ(RejectLog::LogPathFor("dir.csv/rejects.csv"), "dir.csv/rejects.log");
  EXPECT_EQ(RejectLog::LogPathFor("job.reject.csv"), "job.reject.log");
  EXPECT_EQ(RejectLog::LogPathFor("x.csv.gz"), "x.csv.gz.log");
  EXPECT_EQ(RejectLog::LogPathFor("x.CSV"), "x.CSV.log");
  EXPECT_EQ(RejectLog::LogPathFor("xcsv"), "xcsv.log");
  // A name that is only the extension keeps it: ".log" alone would be hidden.
  EXPECT_EQ(RejectLog::LogPathFor(".csv"), ".csv.log");
  EXPECT_EQ(RejectLog("out/r.csv", 1).log_path(), "out/r.log");
  EXPECT_EQ(RejectLog("out/r.csv", 1).path(), "out/r.csv");
}

TEST(RejectLog, WithoutALimitTheReasonItselfIsReturnedAndNothingIsWritten) {
  TempDir dir;
  RejectLog log(dir.File("r.csv"), 0);
  EXPECT_FALSE(log.enabled());
  const Status reason = Status::Error(Status::Code::kDataError, "f.csv:3:2: bad value", "22P02");
  const Status s = log.Reject("a,b", reason);
  EXPECT_EQ(s.code(), Status::Code::kDataError);
  EXPECT_EQ(s.message(), "f.csv:3:2: bad value");
  EXPECT_EQ(s.sqlstate(), "22P02");
  EXPECT_EQ(log.rejected(), 0u);
  EXPECT_FALSE(Exists(dir.File("r.csv")));
  EXPECT_FALSE(Exists(dir.File("r.log")));
}

TEST(RejectLog, NothingIsCreatedBeforeTheFirstReject) {
  TempDir dir;
  {
    RejectLog log(dir.File("r.csv"), 5);
    EXPECT_TRUE(log.enabled());
    EXPECT_EQ(log.rejected(), 0u);
  }
  EXPECT_FALSE(Exists(dir.File("r.csv")));
  EXPECT_FALSE(Exists(dir.File("r.log")));
}

TEST(RejectLog, WithAnEmptyPathRowsAreCountedUpToTheLimitAndNothingIsWritten) {
  RejectLog log("", 2);
  EXPECT_TRUE(log.Reject("a,b", Bad("f.csv:1:3: bad")).ok());
  EXPECT_TRUE(log.Reject("c,d", Bad("f.csv:2:3: bad")).ok());
  EXPECT_EQ(log.rejected(), 2u);
  EXPECT_FALSE(log.Reject("e,f", Bad("f.csv:3:3: bad")).ok());
  EXPECT_EQ(log.rejected(), 2u);
  EXPECT_FALSE(Exists(".log"));
}

TEST(RejectLog, WritesTheRawRowAndOneLineOfReason) {
  TempDir dir;
  RejectLog log(dir.File("r.csv"), 3);
  ASSERT_TRUE(log.Reject("1,abc", Bad("f.csv:2:3: column n: expected INT8, found 'abc'")).ok());
  // The files are complete after each call, not only once the log is closed.
  EXPECT_EQ(Contents(dir.File("r.csv")), "1,abc\n");
  EXPECT_EQ(Contents(dir.File("r.log")), "f.csv:2:3: column n: expected INT8, found 'abc'\n");
  EXPECT_EQ(log.rejected(), 1u);

  // A quoted row over several lines goes to the file as it was read; its
  // reason stays on one line of the log, SQLSTATE included.
  ASSERT_TRUE(log.Reject("2,\"x\r\ny\"",
                         Status::Error(Status::Code::kDataError,
                                       "f.csv:3: value too long for 'x\r\ny'\nDETAIL: z", "22001"))
                  .ok());
  EXPECT_EQ(Contents(dir.File("r.csv")), "1,abc\n2,\"x\r\ny\"\n");
  EXPECT_EQ(Contents(dir.File("r.log")),
            "f.csv:2:3: column n: expected INT8, found 'abc'\n"
            "f.csv:3: value too long for 'x  y' DETAIL: z (SQLSTATE 22001)\n");
  EXPECT_EQ(log.rejected(), 2u);
}

TEST(RejectLog, OnePastTheLimitStopsTheLoadAndIsNotWritten) {
  TempDir dir;
  const std::string path = dir.File("rejects.csv");
  RejectLog log(path, 2);
  ASSERT_TRUE(log.Reject("a", Bad("f.csv:1:1: one")).ok());
  ASSERT_TRUE(log.Reject("b", Bad("f.csv:2:1: two")).ok());
  const Status s = log.Reject("c", Bad("f.csv:3:1: three"));
  EXPECT_EQ(s.code(), Status::Code::kDataError);
  EXPECT_EQ(s.message(),
            "f.csv:3:1: more than 2 rows rejected (--max-rejects 2); the rejected "
            "rows are in " +
                path + "; this one is past the limit: three");
  EXPECT_EQ(log.rejected(), 2u);
  EXPECT_EQ(Contents(path), "a\nb\n");
  EXPECT_EQ(Contents(dir.File("rejects.log")), "f.csv:1:1: one\nf.csv:2:1: two\n");
  // And every later one too.
  EXPECT_FALSE(log.Reject("d", Bad("f.csv:4:1: four")).ok());
  EXPECT_EQ(Contents(path), "a\nb\n");
}

// The limit's message starts with the FILE:LINE[:COLUMN] of the row it is
// about, as the reader's and the server's reasons do; the SQLSTATE stays.
TEST(RejectLog, ThePastTheLimitMessageStartsWithThePlaceOfTheRow) {
  TempDir dir;
  const std::string path = dir.File("r.csv");
  RejectLog log(path, 1);
  ASSERT_TRUE(log.Reject("a", Bad("f.csv:1:1: one")).ok());
  const std::string limit =
      "more than 1 rows rejected (--max-rejects 1); the rejected rows are in " + path;
  const Status server = log.Reject(
      "b", Status::Error(Status::Code::kDataError,
                         "data/in: 2.csv:12: the server refused the row: value too long", "22001"));
  EXPECT_EQ(server.message(), "data/in: 2.csv:12: " + limit +
                                  "; this one is past the limit: the server refused the row: "
                                  "value too long");
  EXPECT_EQ(server.sqlstate(), "22001");
  EXPECT_EQ(log.Reject("c", Bad("stdin:7:30: x: y")).message(),
            "stdin:7:30: " + limit + "; this one is past the limit: x: y");
  // A reason with no place keeps the limit in front.
  EXPECT_EQ(log.Reject("d", Bad("no place: 12")).message(),
            limit + "; the one past the limit: no place: 12");
  EXPECT_EQ(Contents(path), "a\n");
}

TEST(RejectLog, AppendsToTheFilesOfAnEarlierRun) {
  TempDir dir;
  Write(dir.File("r.csv"), "old row\n");
  Write(dir.File("r.log"), "f.csv:1:1: old reason\n");
  {
    RejectLog log(dir.File("r.csv"), 1);
    ASSERT_TRUE(log.Reject("new row", Bad("f.csv:9:1: new reason")).ok());
  }
  RejectLog again(dir.File("r.csv"), 1);
  ASSERT_TRUE(again.Reject("newer row", Bad("f.csv:10:1: newer reason")).ok());
  EXPECT_EQ(Contents(dir.File("r.csv")), "old row\nnew row\nnewer row\n");
  EXPECT_EQ(Contents(dir.File("r.log")),
            "f.csv:1:1: old reason\nf.csv:9:1: new reason\nf.csv:10:1: newer reason\n");
}

TEST(RejectLog, AFileThatCannotBeOpenedIsAnIoError) {
  TempDir dir;
  const std::string path = dir.File("missing-dir/r.csv");
  RejectLog log(path, 3);
  const Status s = log.Reject("a", Bad("f.csv:1:1: bad"));
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_EQ(s.message(), "--reject-file " + path + ": No such file or directory");
  EXPECT_EQ(log.rejected(), 0u);
}

TEST(RejectLog, ConcurrentRejectsWriteWholeLinesUpToTheLimit) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  constexpr uint64_t kMax = 1000;  // of 1600
  TempDir dir;
  RejectLog log(dir.File("r.csv"), kMax);
  // Long rows, so a write not under the lock would show as a mixed line.
  auto row = [](int t, int i) {
    return std::to_string(t) + "," + std::to_string(i) + "," + std::string(300, 'a' + t);
  };
  auto reason = [](int t, int i) {
    return "t" + std::to_string(t) + ".csv:" + std::to_string(i + 1) +
           ":1: " + std::string(200, 'A' + t);
  };
  std::vector<int> accepted(kThreads, 0);
  std::vector<int> refused(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const Status s = log.Reject(row(t, i), Bad(reason(t, i)));
        ++(s.ok() ? accepted[t] : refused[t]);
      }
    });
  }
  for (std::thread& t : threads) t.join();

  int total_accepted = 0;
  int total_refused = 0;
  for (int t = 0; t < kThreads; ++t) {
    total_accepted += accepted[t];
    total_refused += refused[t];
  }
  EXPECT_EQ(total_accepted, static_cast<int>(kMax));
  EXPECT_EQ(total_refused, kThreads * kPerThread - static_cast<int>(kMax));
  EXPECT_EQ(log.rejected(), kMax);

  // Line j of the log is the reason of line j of the reject file: both are
  // written under one lock.
  std::map<std::string, std::string> reason_of;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) reason_of[row(t, i)] = reason(t, i);
  }
  const std::vector<std::string> rows = Lines(Contents(dir.File("r.csv")));
  const std::vector<std::string> reasons = Lines(Contents(dir.File("r.log")));
  ASSERT_EQ(rows.size(), kMax);
  ASSERT_EQ(reasons.size(), kMax);
  std::set<std::string> seen;
  for (size_t j = 0; j < rows.size(); ++j) {
    const auto it = reason_of.find(rows[j]);
    ASSERT_NE(it, reason_of.end()) << "line " << j << " no thread wrote: " << rows[j].substr(0, 80);
    EXPECT_TRUE(seen.insert(rows[j]).second) << "written twice: " << rows[j].substr(0, 80);
    EXPECT_EQ(reasons[j], it->second) << "log line " << j;
  }
}

}  // namespace
}  // namespace loader
