#include "loader/pg/connect_settings.h"

#include <libpq-fe.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "loader/base/redact.h"
#include "loader/pg/host_set.h"

namespace loader {
namespace {

// The settings a conninfo gives itself (not those libpq would take from the
// environment); empty when it does not parse (ValidateConninfo has said so).
std::map<std::string, std::string> OwnSettings(const std::string& conninfo) {
  std::map<std::string, std::string> out;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), nullptr);
  if (opts == nullptr) return out;
  for (const PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (o->val != nullptr && o->val[0] != '\0') out[o->keyword] = o->val;
  }
  PQconninfoFree(opts);
  return out;
}

bool IsUrl(const std::string& s) {
  return s.starts_with("postgresql://") || s.starts_with("postgres://");
}

std::string PercentEncoded(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Adds key=value to a URL's query or to key=value conninfo, in the form
// libpq reads back whatever the value holds.
void AddSetting(const std::string& key, const std::string& value, std::string* conninfo) {
  if (IsUrl(*conninfo)) {
    *conninfo += conninfo->find('?') == std::string::npos ? '?' : '&';
    *conninfo += key + "=" + PercentEncoded(value);
    return;
  }
  if (!conninfo->empty()) *conninfo += ' ';
  *conninfo += key + "='";
  for (char c : value) {
    if (c == '\'' || c == '\\') *conninfo += '\\';
    *conninfo += c;
  }
  *conninfo += '\'';
}

std::string Getenv(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// The certificate files of `dir` for `user`, added where the conninfo does
// not name its own; a file that is missing is an error that says how to
// make it, as `cockroach sql` would need it too.
Status AddCertificates(const std::string& dir, std::string* conninfo) {
  const std::map<std::string, std::string> own = OwnSettings(*conninfo);
  std::string user = own.contains("user") ? own.at("user") : Getenv("PGUSER");
  if (user.empty()) {
    // cockroach's default user, not the operating system's as libpq's would be.
    user = "root";
    AddSetting("user", user, conninfo);
  }
  struct File {
    const char* key;
    std::string name;
    std::string how;  // how to make it
  };
  const File files[] = {
      {"sslrootcert", "ca.crt",
       "copy the cluster's CA certificate there (cockroach cert create-ca --certs-dir=" + dir +
           " --ca-key=<ca.key> makes one)"},
      {"sslcert", "client." + user + ".crt",
       "make it with: cockroach cert create-client " + user + " --certs-dir=" + dir +
           " --ca-key=<ca.key>"},
      {"sslkey", "client." + user + ".key",
       "make it with: cockroach cert create-client " + user + " --certs-dir=" + dir +
           " --ca-key=<ca.key>"},
  };
  for (const File& f : files) {
    if (own.contains(f.key)) continue;
    const std::filesystem::path path = std::filesystem::path(dir) / f.name;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      return Status::InvalidArgument("--certs-dir: " + path.string() + " is missing; " + f.how);
    }
    AddSetting(f.key, path.string(), conninfo);
  }
  if (!own.contains("sslmode")) AddSetting("sslmode", "verify-full", conninfo);
  return Status::OK();
}

Status MakeInsecure(std::string* conninfo) {
  const std::map<std::string, std::string> own = OwnSettings(*conninfo);
  const auto mode = own.find("sslmode");
  if (mode == own.end()) {
    AddSetting("sslmode", "disable", conninfo);
  } else if (mode->second != "disable") {
    return Status::InvalidArgument(
        "--insecure means sslmode=disable, but the connection string "
        "asks for sslmode=" +
        mode->second + "; drop one of them");
  }
  return Status::OK();
}

// libpq would use only the first host of PGHOST=a,b that answers; the load
// spreads its workers over all of them, as for a multi-host URL.
std::string HostsFromEnvironment() {
  std::string conninfo;
  const std::string host = Getenv("PGHOST");
  const std::string hostaddr = Getenv("PGHOSTADDR");
  if (host.find(',') == std::string::npos && hostaddr.find(',') == std::string::npos) return {};
  if (!host.empty()) AddSetting("host", host, &conninfo);
  if (!hostaddr.empty()) AddSetting("hostaddr", hostaddr, &conninfo);
  if (const std::string port = Getenv("PGPORT"); !port.empty()) AddSetting("port", port, &conninfo);
  return conninfo;
}

}  // namespace

Status ResolveHosts(const std::vector<std::string>& urls, const ConnectSettings& settings,
                    std::vector<std::string>* conninfos) {
  if (settings.insecure && !settings.certs_dir.empty()) {
    return Status::InvalidArgument(
        "--insecure and --certs-dir contradict each other: a secure cluster takes the "
        "certificates, an insecure one none");
  }
  conninfos->clear();
  std::vector<std::string> list = urls;
  if (list.empty()) list.push_back(HostsFromEnvironment());
  for (std::string& conninfo : list) {
    RegisterSecretsOf(conninfo);
    Status s;
    if (!settings.certs_dir.empty()) s = AddCertificates(settings.certs_dir, &conninfo);
    if (settings.insecure) s = MakeInsecure(&conninfo);
    if (!s.ok()) return s;
    for (std::string& one : ExpandHosts(conninfo)) conninfos->push_back(std::move(one));
  }
  return Status::OK();
}

}  // namespace loader
