#include "support/test_db.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace loader::test_support {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  ADD_FAILURE() << what;
  throw std::runtime_error(what);
}

std::unique_ptr<Connection> Connect(const std::string& url) {
  std::unique_ptr<Connection> conn;
  Status s = Connection::Open(url, &conn);
  if (!s.ok()) Fail("cannot connect to the test server: " + s.ToString());
  return conn;
}

// Postgres folds unquoted names to lower case and limits them to 63 bytes.
std::string DatabaseNameForCurrentTest(const std::string& suffix) {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string raw =
      info == nullptr ? "adhoc" : std::string(info->test_suite_name()) + "_" + info->name();
  if (!suffix.empty()) raw += "_" + suffix;
  std::string name = "t_";
  for (char c : raw) {
    name += std::isalnum(static_cast<unsigned char>(c))
                ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                : '_';
  }
  if (name.size() > 63) {
    name = name.substr(0, 50) + "_" + std::to_string(std::hash<std::string>{}(name) % 1000000000);
  }
  return name;
}

}  // namespace

std::string AdminUrl() {
  const char* dir = std::getenv("LOADER_TEST_PG_DIR");
  if (dir == nullptr) Fail("LOADER_TEST_PG_DIR is not set: run the tests through ctest");
  std::ifstream in(std::string(dir) + "/url");
  std::string url;
  if (!std::getline(in, url) || url.empty()) {
    Fail(std::string("no test server URL in ") + dir + "/url: did the postgres.start fixture run?");
  }
  return url;
}

std::string WithDatabase(const std::string& url, const std::string& dbname) {
  // postgresql://user:pw@host:port/DB?params
  const size_t authority = url.find("://") + 3;
  const size_t slash = url.find('/', authority);
  const size_t query = url.find('?', authority);
  const std::string base = url.substr(0, slash == std::string::npos ? query : slash);
  const std::string params = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + dbname + params;
}

ScratchDatabase::ScratchDatabase(const std::string& suffix)
    : name_(DatabaseNameForCurrentTest(suffix)) {
  auto admin = Connect(AdminUrl());
  Status s = admin->Exec(("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)").c_str());
  if (s.ok()) s = admin->Exec(("CREATE DATABASE " + name_).c_str());
  if (!s.ok()) Fail("creating database " + name_ + ": " + s.ToString());
  url_ = WithDatabase(AdminUrl(), name_);
  conn_ = Connect(url_);
}

ScratchDatabase::~ScratchDatabase() {
  conn_.reset();
  std::unique_ptr<Connection> admin;
  if (Connection::Open(AdminUrl(), &admin).ok()) {
    admin->Exec(("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)").c_str());
  }
}

void ScratchDatabase::Exec(const std::string& sql) {
  Status s = conn_->Exec(sql.c_str());
  if (!s.ok()) Fail("SQL failed: " + sql + ": " + s.ToString());
}

std::string ScratchDatabase::Scalar(const std::string& sql) {
  PgResult rows;
  Status s = conn_->Query(sql.c_str(), &rows);
  if (!s.ok()) Fail("SQL failed: " + sql + ": " + s.ToString());
  return FirstValue(rows);
}

long long ScratchDatabase::Count(const std::string& table) {
  if (Scalar("SELECT to_regclass('" + table + "') IS NOT NULL") != "t") return -1;
  return std::stoll(Scalar("SELECT count(*) FROM " + table));
}

std::string ChecksumSql(const std::string& table) {
  return "SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY id), '')) FROM " + table + " t";
}

std::string ScratchDatabase::Checksum(const std::string& table) {
  return Scalar(ChecksumSql(table));
}

}  // namespace loader::test_support
