// --presplit N on CockroachDB: the new table is split into N ranges at even
// boundaries of its primary key, then scattered over the nodes, so a load
// writes to every node from its first row instead of filling one range and
// waiting for it to split (CockroachDB's advice for bulk loads into new
// tables). The boundaries are known only for the generated tables: points'
// ids are 0..rows-1 (in either --id-order), accounts' ids are uniform UUIDs.
#ifndef LOADER_PRESPLIT_H_
#define LOADER_PRESPLIT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "loader/base/table.h"

namespace loader {

// ALTER TABLE t SPLIT AT VALUES (b1), (b2), ...; then ALTER TABLE t SCATTER.
// Boundaries that would repeat (more ranges than points' rows) are left out;
// none at all gives no statements. REQUIRES: table is accounts or points;
// ranges >= 1.
std::vector<std::string> PresplitStatements(const TableSpec& table, uint64_t rows, uint64_t ranges);

}  // namespace loader

#endif  // LOADER_PRESPLIT_H_
