// Integration-test access to the PostgreSQL server that the CTest fixture
// started. Each test gets a database of its own, so tests run in parallel
// without sharing tables. A test that cannot reach the server fails; it never
// skips.
#ifndef LOADER_TESTS_SUPPORT_TEST_DB_H_
#define LOADER_TESTS_SUPPORT_TEST_DB_H_

#include <memory>
#include <string>

#include "loader/pg/connection.h"

namespace loader::test_support {

// The fixture server's superuser URL, read from $LOADER_TEST_PG_DIR/url.
std::string AdminUrl();

// `url` with its database name replaced by `dbname`.
std::string WithDatabase(const std::string& url, const std::string& dbname);

// md5 over the rows of `table` as text, ordered by id: equal checksums mean
// identical contents.
std::string ChecksumSql(const std::string& table);

// A freshly created database named after the running test; dropped on
// destruction. Asserts (ADD_FAILURE + throw) when anything goes wrong.
class ScratchDatabase {
 public:
  // `suffix` tells apart several databases of one test.
  explicit ScratchDatabase(const std::string& suffix = "");
  ~ScratchDatabase();

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  // Runs SQL on this database; fails the test on error.
  void Exec(const std::string& sql);
  // The first value of the first row, as text ("" for NULL or no rows).
  std::string Scalar(const std::string& sql);

  // count(*) of a table, or -1 when it does not exist.
  long long Count(const std::string& table);
  // The value of ChecksumSql(table) on this database.
  std::string Checksum(const std::string& table);

 private:
  std::string name_;
  std::string url_;
  std::unique_ptr<Connection> conn_;
};

}  // namespace loader::test_support

#endif  // LOADER_TESTS_SUPPORT_TEST_DB_H_
