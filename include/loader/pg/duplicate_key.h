// The key a unique violation names. When a unique index or constraint finds
// a key twice, PostgreSQL and CockroachDB both name it in the error's detail,
// "Key (a, b)=(1, 2) is duplicated." or "... already exists."; reading its
// columns back out lets the loader look for the rows that have it.
#ifndef LOADER_PG_DUPLICATE_KEY_H_
#define LOADER_PG_DUPLICATE_KEY_H_

#include <string>
#include <string_view>
#include <vector>

namespace loader {

// The columns of the key `message` names, unquoted, in the index's order.
// False when it names none, or a part of the key is an expression such as
// lower(email) rather than a column.
bool DuplicateKeyColumns(std::string_view message, std::vector<std::string>* columns);

}  // namespace loader

#endif  // LOADER_PG_DUPLICATE_KEY_H_
