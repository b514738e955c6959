// A PostgreSQL server of one test's own with ssl = on and client-certificate
// authentication, started with scripts/pg-tls.sh in a temporary directory:
// the set-up of a secure CockroachDB cluster's tutorial (user maxroach,
// database bank, a certs directory), with every certificate and key made by
// openssl when the server starts, so nothing secret is committed.
#ifndef LOADER_TESTS_SUPPORT_TLS_SERVER_H_
#define LOADER_TESTS_SUPPORT_TLS_SERVER_H_

#include <string>

namespace loader::test_support {

// The passphrase of the encrypted client key.
inline constexpr char kKeyPassword[] = "KeyPass-77x";

// The user of the client certificate and the database it loads into.
inline constexpr char kTlsUser[] = "maxroach";
inline constexpr char kTlsDatabase[] = "bank";

class TlsServer {
 public:
  // Starts the server and creates the role maxroach (no password: it logs in
  // with its certificate only, over TLS) and the database bank, where it may
  // create tables. Throws std::runtime_error when anything fails.
  TlsServer();
  // Stops the server and deletes its directory, certificates included.
  ~TlsServer();

  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  int port() const { return port_; }
  // The superuser URL of bank, without TLS (sslmode=disable): for the
  // test's own queries.
  const std::string& admin_url() const { return admin_url_; }
  // The superuser URL of bank with sslmode=`mode`.
  std::string AdminUrl(const std::string& mode) const;

  // The path of a file made by pg-tls.sh: ca.crt, client.maxroach.crt,
  // client.maxroach.key, client.maxroach.enc.key (encrypted with
  // kKeyPassword), rogue/ca.crt (an unrelated CA), ...
  std::string File(const std::string& name) const;

  // postgresql://maxroach@localhost:PORT/bank, with `query` ("a=b&c=d")
  // appended when not empty.
  std::string ClientUrl(const std::string& query = "") const;
  // The query that makes a verify-full connection as maxroach with the
  // plain key (or the encrypted one with its sslpassword).
  std::string VerifyFullQuery(bool encrypted_key = false) const;

  // A new directory laid out as `cockroach cert` does (ca.crt,
  // client.maxroach.crt, client.maxroach.key; mode 700, the key 600), under
  // this server's directory, named `name`. Returns its path.
  std::string MakeCertsDir(const std::string& name) const;

  // count(*) of `table` in bank, or -1 when it does not exist.
  long long Count(const std::string& table) const;
  // Runs `sql` in bank as the superuser; throws on error.
  void Exec(const std::string& sql) const;
  // ChecksumSql(table) (test_db.h) on bank.
  std::string Checksum(const std::string& table) const;

 private:
  std::string dir_;
  int port_ = 0;
  std::string admin_url_;
};

}  // namespace loader::test_support

#endif  // LOADER_TESTS_SUPPORT_TLS_SERVER_H_
