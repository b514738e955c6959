// The tables the loader generates rows for: "accounts" and "points" of the
// CockroachDB tutorials, with their sizes for chunk planning.
#ifndef LOADER_GENERATED_TABLES_H_
#define LOADER_GENERATED_TABLES_H_

#include <string_view>

#include "loader/base/table.h"

namespace loader {

// Returns nullptr for any name but "accounts" and "points".
const TableSpec* FindGeneratedTable(std::string_view name);

}  // namespace loader

#endif  // LOADER_GENERATED_TABLES_H_
