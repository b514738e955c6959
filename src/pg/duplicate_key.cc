#include "loader/pg/duplicate_key.h"

namespace loader {
namespace {

// A column as the server writes it: a plain lowercase identifier bare, any
// other name in double quotes with inner quotes doubled; else false.
bool ColumnName(std::string_view part, std::string* name) {
  name->clear();
  if (part.size() >= 2 && part.front() == '"' && part.back() == '"') {
    for (size_t i = 1; i + 1 < part.size(); ++i) {
      // A quote inside is doubled, or the part is not one name.
      if (part[i] == '"' && (i + 2 >= part.size() || part[++i] != '"')) return false;
      name->push_back(part[i]);
    }
    return !name->empty();
  }
  for (size_t i = 0; i < part.size(); ++i) {
    const char c = part[i];
    const bool letter = (c >= 'a' && c <= 'z') || c == '_';
    if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '$'))) return false;
  }
  *name = part;
  return !name->empty();
}

}  // namespace

bool DuplicateKeyColumns(std::string_view message, std::vector<std::string>* columns) {
  constexpr std::string_view kKey = "Key (";
  columns->clear();
  const size_t start = message.find(kKey);
  if (start == std::string_view::npos) return false;
  // Commas and parentheses inside quotes or inside an expression's own
  // parentheses do not end a part.
  std::vector<std::string_view> parts;
  bool quoted = false;
  int depth = 0;
  size_t from = start + kKey.size();
  for (size_t i = from; i < message.size(); ++i) {
    const char c = message[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (quoted) {
      continue;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && depth > 0) {
      --depth;
    } else if (c == ',' && depth == 0) {
      parts.push_back(message.substr(from, i - from));
      from = message.substr(i + 1, 1) == " " ? i + 2 : i + 1;
    } else if (c == ')') {
      if (message.substr(i + 1, 2) != "=(") return false;
      parts.push_back(message.substr(from, i - from));
      columns->resize(parts.size());
      for (size_t k = 0; k < parts.size(); ++k) {
        if (!ColumnName(parts[k], &(*columns)[k])) {
          columns->clear();
          return false;
        }
      }
      return true;
    }
  }
  return false;
}

}  // namespace loader
