#include "loader/generate/seed_table.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <map>

#include "generate/seed_columns.h"

namespace loader {
namespace {

struct TypeName {
  const char* name;
  SeedType type;
};

// PostgreSQL's format_type() names and CockroachDB's, lower-cased.
constexpr TypeName kTypeNames[] = {
    {"smallint", SeedType::kInt2},
    {"int2", SeedType::kInt2},
    {"integer", SeedType::kInt4},
    {"int4", SeedType::kInt4},
    {"bigint", SeedType::kInt8},
    {"int8", SeedType::kInt8},
    {"int", SeedType::kInt8},  // CockroachDB's INT is 64 bits
    {"numeric", SeedType::kNumeric},
    {"decimal", SeedType::kNumeric},
    {"real", SeedType::kFloat4},
    {"float4", SeedType::kFloat4},
    {"double precision", SeedType::kFloat8},
    {"float8", SeedType::kFloat8},
    {"float", SeedType::kFloat8},
    {"boolean", SeedType::kBool},
    {"bool", SeedType::kBool},
    {"text", SeedType::kText},
    {"string", SeedType::kText},
    {"character varying", SeedType::kText},
    {"varchar", SeedType::kText},
    {"character", SeedType::kText},
    {"char", SeedType::kText},
    {"bpchar", SeedType::kText},
    {"citext", SeedType::kText},
    {"name", SeedType::kText},
    {"uuid", SeedType::kUuid},
    {"date", SeedType::kDate},
    {"time without time zone", SeedType::kTime},
    {"time", SeedType::kTime},
    {"timestamp without time zone", SeedType::kTimestamp},
    {"timestamp", SeedType::kTimestamp},
    {"timestamp with time zone", SeedType::kTimestampTz},
    {"timestamptz", SeedType::kTimestampTz},
    {"interval", SeedType::kInterval},
    {"bytea", SeedType::kBytea},
    {"bytes", SeedType::kBytea},
    {"json", SeedType::kJson},
    {"jsonb", SeedType::kJson},
    {"inet", SeedType::kInet},
    {"tsvector", SeedType::kTsvector},
};

}  // namespace

void SeedTypeFromSql(std::string_view sql_type, SeedColumn* c) {
  std::string name;
  std::vector<int> modifiers;
  c->array = false;
  // Lower-cased, with "(...)" taken out as modifiers and "[]" as an array.
  for (size_t i = 0; i < sql_type.size(); ++i) {
    const char ch = sql_type[i];
    if (ch == '(') {
      const size_t close = sql_type.find(')', i);
      if (close == std::string_view::npos) break;
      int value = 0;
      for (size_t j = i + 1; j <= close; ++j) {
        if (sql_type[j] >= '0' && sql_type[j] <= '9') {
          value = std::min(value * 10 + (sql_type[j] - '0'), 1 << 30);
        } else {
          modifiers.push_back(value);
          value = 0;
        }
      }
      i = close;
    } else if (ch == '[') {
      c->array = true;
      break;
    } else {
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  while (!name.empty() && name.back() == ' ') name.pop_back();
  // "time(3) with time zone" leaves a double space.
  for (size_t at; (at = name.find("  ")) != std::string::npos;) name.erase(at, 1);
  c->type = c->labels.empty() ? SeedType::kUnsupported : SeedType::kEnum;
  for (const TypeName& t : kTypeNames) {
    if (name == t.name) c->type = t.type;
  }
  if (name == "time with time zone" || name == "timetz") c->type = SeedType::kUnsupported;
  const bool character = name == "character" || name == "char";
  c->fixed_length = character;
  c->length = -1;
  c->precision = -1;
  c->scale = -1;
  if (c->type == SeedType::kText && !modifiers.empty()) c->length = modifiers[0];
  if (character && modifiers.empty()) c->length = 1;  // char is char(1)
  if (c->type == SeedType::kNumeric && !modifiers.empty()) {
    c->precision = modifiers[0];
    c->scale = modifiers.size() > 1 ? modifiers[1] : 0;
  }
}

Status OrderByReferences(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& tables,
    std::vector<std::string>* ordered) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < tables.size(); ++i) index[tables[i].first] = i;
  std::vector<int> state(tables.size(), 0);  // 0 new, 1 on the path, 2 placed
  std::vector<std::string> path;
  ordered->clear();
  // Depth first, parents placed before their children; a table met again on
  // its own path closes a cycle.
  std::function<Status(size_t)> visit = [&](size_t i) -> Status {
    if (state[i] == 2) return Status::OK();
    path.push_back(tables[i].first);
    if (state[i] == 1) {
      const auto start = std::find(path.begin(), path.end(), tables[i].first);
      std::string cycle;
      for (auto it = start; it != path.end(); ++it) cycle += (cycle.empty() ? "" : " -> ") + *it;
      return Status::InvalidArgument(
          "the tables reference each other in a cycle (" + cycle +
          "), so none can be seeded first: seed one of them with --table and its reference "
          "left NULL (--gen TABLE.COLUMN=null), then the others");
    }
    state[i] = 1;
    for (const std::string& parent : tables[i].second) {
      auto it = index.find(parent);
      if (it == index.end() || it->second == i) continue;
      Status s = visit(it->second);
      if (!s.ok()) return s;
    }
    state[i] = 2;
    path.pop_back();
    ordered->push_back(tables[i].first);
    return Status::OK();
  };
  for (size_t i = 0; i < tables.size(); ++i) {
    Status s = visit(i);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

std::string SeedTableFingerprint(const SeedTable& table) {
  std::string text = table.name + " " + table.oid;
  for (const SeedColumn& c : table.columns) {
    text += "\ncolumn " + c.name + " " + c.sql_type + " " +
            std::to_string(static_cast<int>(c.type)) + (c.not_null ? " not null" : "") +
            (c.has_default ? " default" : "");
    for (const std::string& label : c.labels) text += " '" + label + "'";
    for (const SeedColumn::Check& check : c.checks) text += "\n  " + check.definition;
  }
  // Key and reference names seed their permutations and samples, and the
  // primary key is made distinct first: all shape the rows.
  for (const SeedKey& k : table.keys) {
    text += std::string(k.primary ? "\nprimary key " : "\nkey ") + k.name;
    for (int c : k.columns) text += " " + std::to_string(c);
  }
  for (const SeedReference& r : table.references) {
    text += "\nreference " + r.name + " " + r.ref_table;
    for (int c : r.columns) text += " " + std::to_string(c);
    for (const std::string& c : r.ref_columns) text += " " + c;
  }
  text += "\npartitions " + std::to_string(table.partitions.column);
  for (const std::string& b : table.partitions.bounds) text += "\n  " + b;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(HashText(text)));
  return hex;
}

}  // namespace loader
