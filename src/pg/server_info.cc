#include "loader/pg/server_info.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace loader {

std::string_view ServerKindName(ServerKind kind) {
  return kind == ServerKind::kCockroach ? "CockroachDB" : "PostgreSQL";
}

Status DetectServerKind(Connection& conn, ServerKind* kind, std::string* version) {
  PgResult rows;
  Status s = conn.Query("SELECT version()", &rows);
  if (!s.ok()) return s.WithContext("reading the server version");
  *version = FirstValue(rows);
  *kind = version->find("CockroachDB") != std::string::npos ? ServerKind::kCockroach
                                                            : ServerKind::kPostgres;
  return Status::OK();
}

Status KeepSchemaChangesInTransactions(Connection& conn) {
  Status s = conn.Exec("SET autocommit_before_ddl = false");
  if (s.sqlstate() == "42704") {
    spdlog::debug(
        "SET autocommit_before_ddl = false: the server has no such setting ({}); it "
        "keeps schema changes in their transaction already",
        s.message());
    return Status::OK();
  }
  return s.ok() ? s : s.WithContext("keeping schema changes in their transaction");
}

IntentBudget ReadIntentBudget(Connection& conn) {
  IntentBudget budget;
  PgResult rows;
  Status s = conn.Query("SHOW CLUSTER SETTING kv.transaction.max_intents_bytes", &rows);
  uint64_t bytes = 0;
  if (s.ok()) s = ParseByteSize(FirstValue(rows), &bytes);
  if (s.ok() && bytes > 0) {
    budget.bytes = bytes;
    budget.from_server = true;
    budget.note = "kv.transaction.max_intents_bytes read from the cluster";
    return budget;
  }
  budget.bytes = kDefaultIntentBudgetBytes;
  budget.note = "kv.transaction.max_intents_bytes unreadable (needs admin or VIEWCLUSTERSETTING: " +
                s.ToString() + "); assuming the 4 MiB default";
  return budget;
}

Status FreeConnectionSlots(Connection& conn, int* slots) {
  static constexpr char kSql[] =
      "WITH open AS (SELECT usename, datname FROM pg_stat_activity "
      "WHERE backend_type = 'client backend') "
      "SELECT least("
      "current_setting('max_connections')::int"
      " - current_setting('superuser_reserved_connections')::int"
      " - coalesce(current_setting('reserved_connections', true)::int, 0)"
      " - (SELECT count(*) FROM open),"
      " (SELECT rolconnlimit - (SELECT count(*) FROM open WHERE usename = current_user)"
      " FROM pg_roles WHERE rolname = current_user AND rolconnlimit >= 0),"
      " (SELECT datconnlimit - (SELECT count(*) FROM open WHERE datname = current_database())"
      " FROM pg_database WHERE datname = current_database() AND datconnlimit >= 0))";
  PgResult rows;
  Status s = conn.Query(kSql, &rows);
  if (!s.ok()) return s;
  *slots = std::max(0, std::atoi(FirstValue(rows).c_str()));
  return Status::OK();
}

namespace {

// Built with append rather than "'" + std::string(...): GCC 12 at -O3 reports a
// false -Wrestrict on the latter.
Status BadByteSize(std::string_view text, std::string_view why) {
  std::string msg = "'";
  msg.append(text);
  msg += "' ";
  msg.append(why);
  return Status::InvalidArgument(std::move(msg));
}

}  // namespace

Status ParseByteSize(std::string_view text, uint64_t* bytes) {
  const std::string_view original = text;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value < 0 || !std::isfinite(value)) {
    return BadByteSize(original, "is not a byte size (expected e.g. 8MiB, 512KiB, 1048576)");
  }
  std::string unit(end, text.data() + text.size());
  std::string lower;
  for (char c : unit) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  double scale = 0;
  if (lower.empty() || lower == "b")
    scale = 1;
  else if (lower == "k" || lower == "kb" || lower == "kib")
    scale = 1024.0;
  else if (lower == "m" || lower == "mb" || lower == "mib")
    scale = 1024.0 * 1024;
  else if (lower == "g" || lower == "gb" || lower == "gib")
    scale = 1024.0 * 1024 * 1024;
  if (scale == 0) {
    return BadByteSize(original, "has an unknown unit (use B, KiB, MiB or GiB)");
  }
  if (value * scale >= 0x1p63) return BadByteSize(original, "is too large");
  *bytes = static_cast<uint64_t>(std::llround(value * scale));
  return Status::OK();
}

}  // namespace loader
