// `--stats-json -`: the JSON summary on standard output, alone, so it can go
// straight into jq or a file, and the text summary on standard error. The
// JSON is parsed by the test server itself (::jsonb), which refuses anything
// but one whole JSON value.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "support/csv_files.h"
#include "support/import_files.h"
#include "support/run_loader.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

// `text` as a SQL string literal.
std::string SqlLiteral(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

TEST(StatsJson, DashWritesTheJsonToStdoutAndTheSummaryToStderr) {
  ScratchDatabase db;
  ScratchDir dir;
  ChildIo io;
  io.cwd = dir.path();
  const LoaderRun run = RunLoader({"--url", db.url(), "--rows", "2500", "--chunk", "1000",
                                   "--workers", "2", "--create", "--stats-json", "-"},
                                  {}, io);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("accounts"), 2500);

  const std::string json = SqlLiteral(run.out) + "::jsonb";
  EXPECT_EQ(db.Scalar("SELECT jsonb_typeof(" + json + ")"), "object") << run.out;
  EXPECT_EQ(db.Scalar("SELECT " + json + " ->> 'rows'"), "2500") << run.out;
  EXPECT_EQ(db.Scalar("SELECT " + json + " ->> 'chunks'"), "3") << run.out;
  EXPECT_EQ(db.Scalar("SELECT " + json + " ->> 'status'"), "ok") << run.out;
  EXPECT_EQ(db.Scalar("SELECT " + json + " ->> 'version'"), "1") << run.out;
  EXPECT_EQ(ParseJson(run.out)["version"], 1) << run.out;
  EXPECT_TRUE(run.out.ends_with("}\n")) << run.out;

  EXPECT_TRUE(Contains(run.err, "\nrows:           2500\n")) << run.err;
  EXPECT_TRUE(Contains(run.err, "\nstatus:         ok\n")) << run.err;
  EXPECT_FALSE(Contains(run.out, "rows:")) << run.out;
  // Not a file named "-", as before.
  EXPECT_NE(::access(dir.File("-").c_str(), F_OK), 0);
}

// With --dry-run there is no JSON, and the plan goes to stderr: stdout stays
// for JSON only.
TEST(StatsJson, DashKeepsTheDryRunPlanOffStdout) {
  ScratchDatabase db;
  const LoaderRun run =
      RunLoader({"--url", db.url(), "--rows", "100", "--dry-run", "--stats-json", "-"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(run.out, "");
  EXPECT_TRUE(Contains(run.err, "dry run: nothing was written\n")) << run.err;
}

// A load that fails before its first chunk says why in the JSON too, not
// "ok" with nothing loaded.
TEST(StatsJson, ALoadThatFailsBeforeItBeginsSaysWhy) {
  ScratchDatabase db;
  const std::string stats = db.name() + ".json";
  const LoaderRun run =
      RunLoader({"--url", db.url(), "--table", "points", "--rows", "100", "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 5) << run.all();
  const std::string json = TakeFile(stats);
  EXPECT_EQ(JsonString(json, "status"), "table_missing") << json;
  EXPECT_TRUE(Contains(JsonString(json, "error"), "points")) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), 0) << json;
}

// Whatever ends the run, the file's status and error agree with the exit
// code (issue 16): a refused option, a directory --emit-import will not
// use, a server that cannot be reached. A stale file from an earlier,
// successful run is replaced.
TEST(StatsJson, StatusAndErrorAgreeWithTheExitCodeOfEveryFailure) {
  ScratchDatabase db;
  ScratchDir dir;
  const std::string stats = dir.File("s.json");
  ASSERT_EQ(
      RunLoader({"--url", db.url(), "--rows", "10", "--create", "--stats-json", stats}).exit_code,
      0);
  ASSERT_EQ(JsonString(ReadFile(stats), "status"), "ok");

  LoaderRun run = RunLoader({"--url", db.url(), "--rows", "ten", "--stats-json", stats});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  std::string json = ReadFile(stats);
  EXPECT_EQ(JsonString(json, "status"), "invalid_argument") << json;
  EXPECT_TRUE(Contains(JsonString(json, "error"), "--rows")) << json;

  const std::string dirty = dir.File("dirty");
  ::mkdir(dirty.c_str(), 0755);
  WriteFile(dirty + "/notes.txt", "mine\n");
  run = RunLoader({"--rows", "10", "--emit-import", dirty, "--stats-json", stats});
  EXPECT_EQ(run.exit_code, 2) << run.all();
  json = ReadFile(stats);
  EXPECT_EQ(JsonString(json, "status"), "invalid_argument") << json;
  EXPECT_TRUE(Contains(JsonString(json, "error"), "the directory holds notes.txt")) << json;

  run = RunLoader({"--url", "postgresql://u:pw-unreachable@127.0.0.1:1/db", "--rows", "10",
                   "--stats-json", stats});
  EXPECT_EQ(run.exit_code, 3) << run.all();
  json = ReadFile(stats);
  EXPECT_EQ(JsonString(json, "status"), "connection_failed") << json;
  EXPECT_TRUE(Contains(JsonString(json, "error"), "Connection refused")) << json;
  EXPECT_FALSE(Contains(json, "pw-unreachable")) << json;
}

// A table name with quotes and a control character: the summary and the
// manifest are JSON a parser reads back to the same name, and the manifest's
// command, pasted into sh, gives the loader the same words.
TEST(StatsJson, ATableNameWithQuotesAndControlCharactersReadsBack) {
  ScratchDir dir;
  const std::string table = "we\"ird\tna'me";
  const std::string input = dir.File("in.csv");
  const std::string out = dir.File("out");
  const std::string stats = dir.File("stats.json");
  WriteFile(input, "x\ny\n");
  const LoaderRun run = RunLoader({"--table", table, "--columns", "a", "--input", input,
                                   "--emit-import", out, "--stats-json", stats});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(JsonString(TakeFile(stats), "table"), table);
  const nlohmann::ordered_json manifest = ParseJson(ReadFile(out + "/manifest.json"));
  EXPECT_EQ(manifest["table"], table);
  EXPECT_EQ(manifest["rows"], 2);
  const std::string command = manifest["command"];
  const ShellRun words = Shell("loader() { printf '%s|' \"$@\"; }; " + command);
  EXPECT_EQ(words.output, "--table|" + table + "|--columns|a|--input|" + input + "|--emit-import|" +
                              out + "|--stats-json|" + stats + "|")
      << command;
}

}  // namespace
}  // namespace loader::test_support
