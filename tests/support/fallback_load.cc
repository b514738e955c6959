#include "support/fallback_load.h"

#include "support/faults.h"
#include "support/run_loader.h"

namespace loader::test_support {

std::string MethodName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

void FailChunksWhere(ScratchDatabase& db, const std::string& condition) {
  db.Exec("CREATE FUNCTION fail_chunk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF " +
          condition + " THEN " + kRaise40001 + "; END IF; RETURN NEW; END $$");
  db.Exec(
      "CREATE TRIGGER fail_chunk BEFORE INSERT ON loader_journal FOR EACH ROW EXECUTE FUNCTION "
      "fail_chunk()");
}

void CreateTable(ScratchDatabase& db, const std::string& table) {
  ASSERT_EQ(RunLoader({"--url", db.url(), "--table", table, "--rows", "0", "--create"}).exit_code,
            0);
}

void CreateJournal(ScratchDatabase& db, const std::string& table) {
  ChildIo empty;
  empty.stdin_bytes = "";
  ASSERT_EQ(RunLoader({"--url", db.url(), "--table", table, "--input", "-"}, {}, empty).exit_code,
            0);
}

std::string SummaryStart(const std::string& name, const std::string& value) {
  std::string label = name + ":";
  label.resize(16, ' ');
  return label + value;
}

std::string Summary(const std::string& name, const std::string& value) {
  return SummaryStart(name, value) + "\n";
}

std::string FallbackSummary(long long rows, long long files, const std::string& dir) {
  return Summary("fallback", std::to_string(rows) + " rows in " + std::to_string(files) +
                                 " files wait in " + dir + ": cd " + dir +
                                 " && psql -f load-postgres.sql (PostgreSQL), or upload.sh "
                                 "then import.sql (CockroachDB)");
}

std::string FallbackStatus(long long rows, long long files, const std::string& dir) {
  return Summary("status", "rows_in_fallback: " + std::to_string(rows) + " rows in " +
                               std::to_string(files) +
                               " chunks could not be committed; they wait in " + dir);
}

std::string FallbackNext(const std::string& dir, const std::string& job) {
  return Summary("next", "load them with: cd " + dir +
                             " && psql -f load-postgres.sql (PostgreSQL), or sh upload.sh, then "
                             "import.sql (CockroachDB); or run the same command again to retry "
                             "them (job " +
                             job + ")");
}

}  // namespace loader::test_support
