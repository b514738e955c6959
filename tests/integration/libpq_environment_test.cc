// libpq's conventions, honoured rather than overridden: its environment
// variables, service files and password file work as they do for psql, the
// loader's own defaults give way to them, and text reaches a database in
// another encoding converted.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <string>

#include "support/csv_files.h"
#include "support/faults.h"
#include "support/private_server.h"
#include "support/run_loader.h"
#include "support/tcp_proxy.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

// The parts of a fixture URL, postgresql://USER:PASSWORD@HOST:PORT/DB?sslmode=disable.
struct UrlParts {
  std::string user, password, host, port, db;
};

UrlParts Split(const std::string& url) {
  std::smatch m;
  const std::regex form(R"(postgresql://([^:]+):([^@]+)@([^:]+):(\d+)/([^?]+).*)");
  EXPECT_TRUE(std::regex_match(url, m, form)) << url;
  return {m[1], m[2], m[3], m[4], m[5]};
}

std::map<std::string, std::string> PgEnvironment(const UrlParts& p) {
  return {{"PGHOST", p.host},         {"PGPORT", p.port},   {"PGUSER", p.user},
          {"PGPASSWORD", p.password}, {"PGDATABASE", p.db}, {"PGSSLMODE", "disable"}};
}

double Seconds(const std::function<void()>& run) {
  const auto start = std::chrono::steady_clock::now();
  run();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A server that accepts connections and never answers: only a connect
// timeout ends the wait, and PGCONNECT_TIMEOUT (or the URL's
// connect_timeout) is the one that counts, not the loader's 10 s.
TEST(LibpqEnvironment, ConnectTimeoutFromTheEnvironmentOrTheUrlWinsOverTheDefault) {
  ScratchDatabase db;
  TcpProxy hung(std::stoi(Split(db.url()).port));
  hung.Hang();
  const std::string url = WithPort(db.url(), hung.port());
  LoaderRun run;
  const double from_env = Seconds([&] {
    run = RunLoader({"--url", url, "--rows", "10"}, {{"PGCONNECT_TIMEOUT", "2"}});
  });
  EXPECT_EQ(run.exit_code, 3) << run.all();
  EXPECT_TRUE(Contains(run.err, "timeout expired")) << run.err;
  EXPECT_LT(from_env, 8) << run.all();
  const double from_url = Seconds([&] {
    run = RunLoader({"--url", url + "&connect_timeout=2", "--rows", "10"});
  });
  EXPECT_EQ(run.exit_code, 3) << run.all();
  EXPECT_LT(from_url, 8) << run.all();
  // The loader's own default, for comparison: this is what the two above beat.
  const double by_default = Seconds([&] { run = RunLoader({"--url", url, "--rows", "10"}); });
  EXPECT_EQ(run.exit_code, 3) << run.all();
  EXPECT_GE(by_default, 9.5) << run.all();
}

// No URL at all: PG* variables, a service file and a password file, as psql
// reads them; the password they hold is never printed.
TEST(LibpqEnvironment, PgVariablesServiceFilesAndPasswordFilesWork) {
  ScratchDatabase db;
  const UrlParts p = Split(db.url());
  LoaderRun run = RunLoader({"--rows", "1000", "--create"}, PgEnvironment(p));
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("accounts"), 1000);

  ScratchDir dir;
  const std::string services = dir.File("pg_service.conf");
  WriteFile(services, "[bank]\nhost=" + p.host + "\nport=" + p.port + "\nuser=" + p.user +
                          "\npassword=" + p.password + "\ndbname=" + p.db + "\nsslmode=disable\n");
  run = RunLoader({"--table", "points", "--rows", "2000", "--create", "--dry-run"},
                  {{"PGSERVICEFILE", services}, {"PGSERVICE", "bank"}});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  run = RunLoader({"--url", "service=bank", "--table", "points", "--rows", "2000", "--create"},
                  {{"PGSERVICEFILE", services}});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("points"), 2000);
  EXPECT_FALSE(Contains(run.all(), p.password)) << run.all();

  const std::string passfile = dir.File("pgpass");
  WriteFile(passfile, p.host + ":" + p.port + ":*:" + p.user + ":" + p.password + "\n");
  ASSERT_EQ(::chmod(passfile.c_str(), 0600), 0);
  const std::string no_password =
      "postgresql://" + p.user + "@" + p.host + ":" + p.port + "/" + p.db + "?sslmode=disable";
  run = RunLoader({"--url", no_password, "--table", "points", "--rows", "3000", "--drop"},
                  {{"PGPASSFILE", passfile}});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("points"), 3000);
  // A wrong password from the file: refused, and still not printed.
  WriteFile(passfile, p.host + ":" + p.port + ":*:" + p.user + ":wrong-" + p.password + "\n");
  run = RunLoader({"--url", no_password, "--table", "points", "--rows", "3000"},
                  {{"PGPASSFILE", passfile}});
  EXPECT_EQ(run.exit_code, 4) << run.all();
  EXPECT_FALSE(Contains(run.all(), p.password)) << run.all();
}

// PGHOST=a,b: libpq alone would use the first host that answers; the
// loader spreads its workers over both, as over a multi-host URL.
TEST(LibpqEnvironment, AHostListInPgHostSpreadsTheWorkers) {
  ScratchDatabase db;
  const UrlParts p = Split(db.url());
  TcpProxy first(std::stoi(p.port));
  TcpProxy second(std::stoi(p.port));
  std::map<std::string, std::string> env = PgEnvironment(p);
  env["PGHOST"] = p.host + "," + p.host;
  env["PGPORT"] = std::to_string(first.port()) + "," + std::to_string(second.port());
  const std::string stats = db.name() + ".json";
  LoaderRun run = RunLoader(
      {"--table", "points", "--rows", "20000", "--workers", "2", "--create", "--stats-json", stats},
      env);
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(db.Count("points"), 20000);
  const std::string json = TakeFile(stats);
  for (const TcpProxy* proxy : {&first, &second}) {
    const std::string host = p.host + ":" + std::to_string(proxy->port());
    long long rows = 0;
    const nlohmann::ordered_json shares = ParseJson(json)["per_host"];
    for (const auto& share : shares) {
      if (share["host"] == host) rows = share["rows"];
    }
    EXPECT_GT(rows, 0) << host << " in " << json;
  }
}

// The input is UTF-8 by contract: in a LATIN1 database, "café" is stored as
// four LATIN1 characters, not as the five its UTF-8 bytes would make.
TEST(LibpqEnvironment, TextIsConvertedIntoADatabaseOfAnotherEncoding) {
  ScratchDatabase admin;
  const std::string name = admin.name() + "_latin1";
  admin.Exec("CREATE DATABASE " + name +
             " ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
  const std::string url = WithDatabase(admin.url(), name);
  std::unique_ptr<Connection> conn;
  ASSERT_TRUE(Connection::Open(url, &conn).ok());
  ASSERT_TRUE(conn->Exec("CREATE TABLE words (id int PRIMARY KEY, word text NOT NULL)").ok());
  conn.reset();
  ScratchDir dir;
  WriteFile(dir.File("words.csv"), "1,café\n2,naïve\n");
  LoaderRun run = RunLoader({"--url", url, "--table", "words", "--input", dir.File("words.csv")},
                            {{"PGCLIENTENCODING", "LATIN1"}});
  EXPECT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(QueryScalar(url,
                        "SELECT string_agg(word || ':' || length(word), ' ' ORDER BY id) "
                        "FROM words"),
            "café:4 naïve:5");
  admin.Exec("DROP DATABASE " + name);
}

}  // namespace
}  // namespace loader::test_support
