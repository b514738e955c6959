#include "loader/read/header_map.h"

#include <algorithm>
#include <cctype>

namespace loader {
namespace {

std::string Listed(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string ColumnNames(const std::vector<Column>& columns) {
  std::vector<std::string> names;
  for (const Column& c : columns) names.push_back(c.name);
  return Listed(names);
}

bool SameIgnoringCase(const std::string& a, const std::string& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// The column `name` is, exactly or else by a case-blind match that only one
// column makes; -1 for none.
int FindColumn(const std::vector<Column>& columns, const std::string& name) {
  int blind = -1;
  int blind_matches = 0;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return static_cast<int>(i);
    if (SameIgnoringCase(columns[i].name, name)) {
      blind = static_cast<int>(i);
      ++blind_matches;
    }
  }
  return blind_matches == 1 ? blind : -1;
}

bool Has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// --map and --skip-field must name fields the header has: a typo there would
// otherwise load the wrong thing, or nothing, without a word.
Status CheckRules(const std::vector<std::string>& header, const HeaderRules& rules,
                  const std::string& where) {
  for (const auto& [field, column] : rules.renames) {
    if (!Has(header, field)) {
      return Status::InvalidArgument("--map " + field + "=" + column + ": the header at " + where +
                                     " has no field '" + field + "' (it names " + Listed(header) +
                                     ")");
    }
  }
  for (const std::string& field : rules.skipped) {
    if (!Has(header, field)) {
      return Status::InvalidArgument("--skip-field " + field + ": the header at " + where +
                                     " has no field '" + field + "' (it names " + Listed(header) +
                                     ")");
    }
  }
  return Status::OK();
}

}  // namespace

Status MapHeader(const std::vector<std::string>& header, const std::vector<Column>& table_columns,
                 const std::vector<std::string>& required, const HeaderRules& rules,
                 const std::string& where, const std::string& table, std::vector<Column>* loaded,
                 FieldMap* map) {
  auto data_error = [&](const std::string& what) {
    return Status::Error(Status::Code::kDataError, where + ": " + what);
  };
  for (size_t i = 0; i < header.size(); ++i) {
    if (std::find(header.begin(), header.begin() + static_cast<long>(i), header[i]) !=
        header.begin() + static_cast<long>(i)) {
      return data_error("the header names field '" + header[i] + "' twice");
    }
  }
  Status s = CheckRules(header, rules, where);
  if (!s.ok()) return s;
  loaded->clear();
  map->header = header;
  map->column.assign(header.size(), -1);
  std::vector<std::string> filled_by(table_columns.size());
  std::vector<std::string> unmatched;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string& field = header[i];
    if (Has(rules.skipped, field)) continue;
    std::string name = field;
    for (const auto& [from, to] : rules.renames) {
      if (from == field) name = to;
    }
    if (table_columns.empty()) {  // no catalog: the header names the columns
      map->column[i] = static_cast<int>(loaded->size());
      loaded->push_back({name, ColumnType::kOther});
      continue;
    }
    const int at = FindColumn(table_columns, name);
    if (at < 0) {
      if (!rules.skip_unknown) unmatched.push_back(field);
      continue;
    }
    std::string& by = filled_by[static_cast<size_t>(at)];
    if (!by.empty()) {
      return data_error("fields '" + by + "' and '" + field + "' both fill column " +
                        table_columns[static_cast<size_t>(at)].name + " of " + table);
    }
    by = field;
    map->column[i] = static_cast<int>(loaded->size());
    loaded->push_back(table_columns[static_cast<size_t>(at)]);
  }
  if (!unmatched.empty()) {
    return data_error("the header's field" + std::string(unmatched.size() > 1 ? "s " : " ") +
                      Listed(unmatched) + " match" + (unmatched.size() > 1 ? "" : "es") +
                      " no column of " + table + " (its columns: " + ColumnNames(table_columns) +
                      "); rename with --map FIELD=COLUMN, or leave out with --skip-field FIELD "
                      "or --skip-unknown-fields");
  }
  if (loaded->empty()) return data_error("no field of the header fills a column of " + table);
  std::vector<std::string> missing;
  for (const std::string& column : required) {
    const int at = FindColumn(table_columns, column);
    if (at >= 0 && filled_by[static_cast<size_t>(at)].empty()) missing.push_back(column);
  }
  if (!missing.empty()) {
    return data_error("no field of the header (" + Listed(header) + ") fills column" +
                      (missing.size() > 1 ? "s " : " ") + Listed(missing) + " of " + table +
                      ", which must have a value (NOT NULL, no default); add it to the files, "
                      "or --map a field onto it");
  }
  return Status::OK();
}

}  // namespace loader
