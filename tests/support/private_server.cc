#include "support/private_server.h"

#include <stdlib.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

#include "loader/pg/connection.h"

namespace loader::test_support {

std::string RunServerScript(const std::string& script, const std::string& args,
                            const std::string& env) {
  // stderr (progress) goes to a file so a failure can say why.
  const std::string log = "/tmp/loader-" + script + "-" + std::to_string(::getpid()) + ".log";
  const std::string full =
      env + " " + std::string(LOADER_SOURCE_DIR) + "/scripts/" + script + " " + args + " 2>" + log;
  FILE* pipe = ::popen(full.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + full);
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, pipe) != nullptr) out = buf;
  const int rc = ::pclose(pipe);
  std::string why;
  if (FILE* f = std::fopen(log.c_str(), "r")) {
    while (std::fgets(buf, sizeof buf, f) != nullptr) why += buf;
    std::fclose(f);
  }
  std::remove(log.c_str());
  if (rc != 0) throw std::runtime_error(script + " " + args + " failed: " + why);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

PrivateServer::PrivateServer() {
  char dir[] = "/tmp/loader-private-pg-XXXXXX";
  if (::mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = dir;
  // Ports of their own for each test process, away from the fixture's
  // (54320 up): a free-port probe of a server starting in another test must
  // not take this one's port in the moment a restart has let go of it.
  const int port_start = 55000 + static_cast<int>(::getpid() % 2000) * 5;
  url_ =
      RunServerScript("pg-local.sh", "start " + dir_, "PGPORT_START=" + std::to_string(port_start));
}

PrivateServer::~PrivateServer() {
  try {
    RunServerScript("pg-local.sh", "stop " + dir_);
  } catch (const std::exception&) {
    // A failed stop leaves a directory under /tmp; not worth failing a test.
  }
}

void PrivateServer::Restart(const std::string& mode) {
  RunServerScript("pg-local.sh", "restart " + dir_ + " " + mode);
}

std::string QueryScalar(const std::string& url, const std::string& sql) {
  std::unique_ptr<Connection> conn;
  Status s = Connection::Open(url, &conn);
  PgResult rows;
  if (s.ok()) s = conn->Query(sql.c_str(), &rows);
  if (!s.ok()) throw std::runtime_error(sql + ": " + s.ToString());
  return FirstValue(rows);
}

}  // namespace loader::test_support
