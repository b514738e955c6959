// What a user sees while a load runs: progress log lines when stderr is not
// a terminal, a status line redrawn in place on a terminal (run under
// script(1), which gives the loader a real pseudo-terminal), and nothing with
// --quiet. The loads are slowed by a real trigger so there is time to report.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "support/faults.h"
#include "support/import_files.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

// 20 chunks of 1000 points, each statement held 0.1 s by the server: about
// two seconds of loading with one worker.
void SlowPoints(ScratchDatabase& db) {
  db.Exec(
      "CREATE TABLE points (id INT8 PRIMARY KEY, x FLOAT8 NOT NULL, y FLOAT8 NOT NULL, "
      "z FLOAT8 NOT NULL)");
  InstallFault(db, "points", 1, "PERFORM pg_sleep(0.1)");
}

std::vector<std::string> Load(ScratchDatabase& db, const std::vector<std::string>& more) {
  std::vector<std::string> args = {"--url",  db.url(), "--table",   "points",
                                   "--rows", "20000",  "--workers", "1"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST(Progress, ALogLineEverySoOftenWhenStderrIsNoTerminal) {
  ScratchDatabase db;
  SlowPoints(db);
  LoaderRun run = RunLoader(Load(db, {"--progress-every", "1"}));
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("points"), 20000);
  const std::regex line(R"(info: progress: (\d+) / 20000 rows \(\d+\.\d%\), \d+ rows/s, )"
                        R"(\d+\.\d\d MiB/s, 0 retries(, ETA \d+:\d\d:\d\d)?\n)");
  long long lines = 0;
  long long last = -1;
  for (auto it = std::sregex_iterator(run.err.begin(), run.err.end(), line);
       it != std::sregex_iterator(); ++it) {
    const long long done = std::stoll((*it)[1]);
    EXPECT_GE(done, last);  // never backwards
    last = done;
    ++lines;
  }
  EXPECT_GE(lines, 1) << run.err;
  // One a second, not a flood.
  std::smatch seconds;
  ASSERT_TRUE(std::regex_search(run.out, seconds, std::regex(R"(seconds:\s+(\d+\.\d+))")))
      << run.out;
  EXPECT_LE(lines, std::stod(seconds[1]) + 1) << run.err;
  EXPECT_EQ(run.err.find('\r'), std::string::npos) << run.err;
}

TEST(Progress, QuietAndProgressEveryZeroSayNothing) {
  for (const std::vector<std::string>& flags :
       {std::vector<std::string>{"--quiet", "--progress-every", "1"},
        std::vector<std::string>{"--progress-every", "0"}}) {
    ScratchDatabase db(flags[0] == "--quiet" ? "quiet" : "zero");
    SlowPoints(db);
    LoaderRun run = RunLoader(Load(db, flags));
    ASSERT_EQ(run.exit_code, 0) << run.all();
    EXPECT_EQ(db.Count("points"), 20000);
    EXPECT_FALSE(Contains(run.err, "progress")) << run.err;
    EXPECT_TRUE(Contains(run.out, "rows:           20000\n")) << run.out;
  }
}

TEST(Progress, AStatusLineRedrawnInPlaceOnATerminal) {
  ScratchDatabase db;
  SlowPoints(db);
  std::string command = ShellWord(LoaderPath());
  for (const std::string& arg : Load(db, {})) command += " " + ShellWord(arg);
  // script(1) runs the command on a pseudo-terminal and copies what it
  // writes; -e passes its exit status on.
  const ShellRun run = Shell("script -qefc " + ShellWord(command) + " /dev/null");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(db.Count("points"), 20000);
  // Each redraw goes back to the start of the line and erases it.
  EXPECT_TRUE(
      std::regex_search(run.output, std::regex("\r\x1b\\[K\\d+ / 20000 rows \\(\\d+\\.\\d%\\)")))
      << run.output;
  EXPECT_FALSE(Contains(run.output, "info: progress:")) << run.output;
  // Cleared before the summary, which starts on a line of its own.
  EXPECT_TRUE(Contains(run.output, "\r\x1b[Ktable:          points")) << run.output;
}

// The summary's table: one row per worker with the host it loaded into,
// the shares adding up to the load, in the text and in --stats-json.
TEST(Summary, PerWorkerRowsAddUpAndNameTheirHost) {
  ScratchDatabase db;
  const std::string stats = db.name() + ".json";
  const std::string url = db.url();
  const size_t host = url.find('@') + 1;
  const std::string host_port = url.substr(host, url.find('/', host) - host);
  // Two --url of the same server: workers 0 and 2 use the first, 1 the second.
  LoaderRun run = RunLoader({"--url", url, "--url", url, "--rows", "30000", "--workers", "3",
                             "--create", "--quiet", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_TRUE(Contains(run.out, "  worker  host")) << run.out;
  const std::string json = TakeFile(stats);
  long long rows = 0;
  long long chunks = 0;
  int workers = 0;
  const nlohmann::ordered_json shares = ParseJson(json)["per_worker"];
  for (const auto& share : shares) {
    EXPECT_EQ(share["worker"], workers);
    EXPECT_EQ(share["host"], host_port);
    const long long share_rows = share["rows"];
    const long long share_chunks = share["chunks"];
    rows += share_rows;
    chunks += share_chunks;
    // Each worker's line in the text table.
    EXPECT_TRUE(std::regex_search(
        run.out,
        std::regex("\\n +" + std::to_string(workers) + "  " + host_port + " +" +
                   std::to_string(share_rows) + " +" + std::to_string(share_chunks) + " ")))
        << run.out;
    ++workers;
  }
  EXPECT_EQ(workers, 3) << json;
  EXPECT_EQ(rows, 30000);
  EXPECT_EQ(chunks, 30);
  EXPECT_EQ(db.Count("accounts"), 30000);
}

}  // namespace
}  // namespace loader::test_support
