// A PostgreSQL server of one test's own, started with scripts/pg-local.sh in a
// temporary directory, for faults that would disturb every other test on the
// shared fixture server (a restart).
#ifndef LOADER_TESTS_SUPPORT_PRIVATE_SERVER_H_
#define LOADER_TESTS_SUPPORT_PRIVATE_SERVER_H_

#include <string>

namespace loader::test_support {

class PrivateServer {
 public:
  // Starts the server; throws std::runtime_error when it cannot.
  PrivateServer();
  // Stops the server and deletes its directory.
  ~PrivateServer();

  PrivateServer(const PrivateServer&) = delete;
  PrivateServer& operator=(const PrivateServer&) = delete;

  // The superuser URL of its `postgres` database.
  const std::string& url() const { return url_; }
  // pg_ctl restart -m `mode` (smart, fast or immediate); returns once the
  // server accepts connections again. Throws std::runtime_error on failure.
  void Restart(const std::string& mode);

 private:
  std::string dir_;
  std::string url_;
};

// Runs scripts/`script` (pg-local.sh, pg-tls.sh) with `args`, after `env`
// (VAR=value words); returns its stdout's last line, its URL. Throws
// std::runtime_error with its stderr when it fails.
std::string RunServerScript(const std::string& script, const std::string& args,
                            const std::string& env = "");

// The first value of the first row of `sql` run on `url` ("" for none);
// throws std::runtime_error on any error.
std::string QueryScalar(const std::string& url, const std::string& sql);

}  // namespace loader::test_support

#endif  // LOADER_TESTS_SUPPORT_PRIVATE_SERVER_H_
