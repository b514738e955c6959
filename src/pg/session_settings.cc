#include "loader/pg/session_settings.h"

#include <cctype>

#include "loader/pg/connection.h"

namespace loader {
namespace {

bool IsParameterName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) || name[0] == '.') {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') return false;
  }
  return true;
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

void AppendLiteral(std::string_view value, std::string* sql) {
  *sql += '\'';
  for (char c : value) {
    if (c == '\'') *sql += '\'';
    *sql += c;
  }
  *sql += '\'';
}

std::string SetStatement(const SessionSetting& setting) {
  std::string sql = "SET " + setting.name + " = ";
  std::string_view rest = setting.value;
  for (bool first = true;; first = false) {
    const size_t comma = rest.find(',');
    if (!first) sql += ", ";
    AppendLiteral(Trimmed(rest.substr(0, comma)), &sql);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return sql;
}

}  // namespace

Status ParseSessionSetting(std::string_view text, SessionSetting* out) {
  const size_t eq = text.find('=');
  const std::string_view name = Trimmed(text.substr(0, eq));
  if (eq == std::string_view::npos || !IsParameterName(name)) {
    return Status::InvalidArgument(
        "--set " + std::string(text) +
        ": expected NAME=VALUE, NAME a server setting such as synchronous_commit");
  }
  out->name = std::string(name);
  out->value = std::string(Trimmed(text.substr(eq + 1)));
  out->option = "--set " + std::string(text);
  return Status::OK();
}

std::string SessionSql(const std::vector<SessionSetting>& settings) {
  std::string sql;
  for (const SessionSetting& s : settings) {
    if (!sql.empty()) sql += "; ";
    sql += SetStatement(s);
  }
  return sql;
}

Status ApplySessionSettings(Connection& conn, const std::vector<SessionSetting>& settings) {
  for (const SessionSetting& setting : settings) {
    const std::string sql = SetStatement(setting);
    const Status s = conn.Exec(sql.c_str());
    if (s.ok()) continue;
    if (s.code() == Status::Code::kConnectionLost || s.code() == Status::Code::kConnectionFailed) {
      return s.WithContext(setting.option);
    }
    return Status::InvalidArgument(setting.option + ": the server refused it: " + s.message());
  }
  return Status::OK();
}

}  // namespace loader
