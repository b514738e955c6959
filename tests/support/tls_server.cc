#include "support/tls_server.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "loader/pg/connection.h"
#include "support/private_server.h"
#include "support/test_db.h"

namespace loader::test_support {
namespace {

std::unique_ptr<Connection> Connect(const std::string& url) {
  std::unique_ptr<Connection> conn;
  if (Status s = Connection::Open(url, &conn); !s.ok()) {
    throw std::runtime_error("connecting to the TLS test server: " + s.ToString());
  }
  return conn;
}

void ExecOn(const std::string& url, const std::string& sql) {
  if (Status s = Connect(url)->Exec(sql.c_str()); !s.ok()) {
    throw std::runtime_error(sql + ": " + s.ToString());
  }
}

// Copies `from` to `to` with mode `mode`.
void CopyFile(const std::string& from, const std::string& to, std::filesystem::perms mode) {
  namespace fs = std::filesystem;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  fs::permissions(to, mode);
}

}  // namespace

TlsServer::TlsServer() {
  char dir[] = "/tmp/loader-tls-pg-XXXXXX";
  if (::mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = dir;
  // The private servers' range (private_server.cc), two ports further on, so
  // a test with both servers does not make them probe the same ports.
  const int port_start = 55000 + static_cast<int>(::getpid() % 2000) * 5 + 2;
  const std::string url =
      RunServerScript("pg-tls.sh", "start " + dir_,
                      "PGPORT_START=" + std::to_string(port_start) + " PG_TLS_CLIENT=" + kTlsUser +
                          " PG_TLS_KEY_PASSWORD=" + kKeyPassword);
  // postgresql://postgres:PW@127.0.0.1:PORT/postgres?sslmode=disable
  const size_t colon = url.rfind(':', url.rfind('/'));
  port_ = std::stoi(url.substr(colon + 1));
  const std::string db = std::string("CREATE DATABASE ") + kTlsDatabase;
  ExecOn(url, std::string("CREATE ROLE ") + kTlsUser + " LOGIN");
  ExecOn(url, db);
  admin_url_ = WithDatabase(url, kTlsDatabase);
  // PostgreSQL 15 no longer lets every role create in schema public; a load
  // needs that, and CREATE on the database for the journal's tables.
  ExecOn(admin_url_, std::string("GRANT CREATE ON DATABASE ") + kTlsDatabase + " TO " + kTlsUser +
                         "; GRANT CREATE ON SCHEMA public TO " + kTlsUser);
}

TlsServer::~TlsServer() {
  try {
    RunServerScript("pg-tls.sh", "stop " + dir_);
  } catch (const std::exception&) {
    // A failed stop leaves a directory under /tmp; not worth failing a test.
  }
}

std::string TlsServer::AdminUrl(const std::string& mode) const {
  std::string url = admin_url_;
  const std::string disable = "sslmode=disable";
  return url.replace(url.find(disable), disable.size(), "sslmode=" + mode);
}

std::string TlsServer::File(const std::string& name) const { return dir_ + "/tls/" + name; }

std::string TlsServer::ClientUrl(const std::string& query) const {
  std::string url = std::string("postgresql://") + kTlsUser +
                    "@localhost:" + std::to_string(port_) + "/" + kTlsDatabase;
  return query.empty() ? url : url + "?" + query;
}

std::string TlsServer::VerifyFullQuery(bool encrypted_key) const {
  const std::string user = kTlsUser;
  std::string query = "sslmode=verify-full&sslrootcert=" + File("ca.crt") +
                      "&sslcert=" + File("client." + user + ".crt") +
                      "&sslkey=" + File("client." + user + (encrypted_key ? ".enc.key" : ".key"));
  if (encrypted_key) query += std::string("&sslpassword=") + kKeyPassword;
  return query;
}

std::string TlsServer::MakeCertsDir(const std::string& name) const {
  namespace fs = std::filesystem;
  using fs::perms;
  const std::string dir = dir_ + "/" + name;
  fs::create_directory(dir);
  fs::permissions(dir, perms::owner_all);
  const std::string user = kTlsUser;
  CopyFile(File("ca.crt"), dir + "/ca.crt", perms::owner_read | perms::owner_write);
  for (const char* ext : {".crt", ".key"}) {
    CopyFile(File("client." + user + ext), dir + "/client." + user + ext,
             perms::owner_read | perms::owner_write);
  }
  return dir;
}

long long TlsServer::Count(const std::string& table) const {
  if (QueryScalar(admin_url_, "SELECT to_regclass('" + table + "') IS NOT NULL") != "t") return -1;
  return std::stoll(QueryScalar(admin_url_, "SELECT count(*) FROM " + table));
}

void TlsServer::Exec(const std::string& sql) const { ExecOn(admin_url_, sql); }

std::string TlsServer::Checksum(const std::string& table) const {
  return QueryScalar(admin_url_, ChecksumSql(table));
}

}  // namespace loader::test_support
