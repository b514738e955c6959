// Reads from the server's catalog what the generator needs to fill a table
// with valid rows (generate/seed_table.h): its columns' types with domains,
// enums and arrays resolved; its keys, foreign keys, checks and partitions;
// the tables of a schema in the order their references require; and samples
// of referenced keys. PostgreSQL's pg_catalog, which CockroachDB also serves.
#ifndef LOADER_PG_SEED_CATALOG_H_
#define LOADER_PG_SEED_CATALOG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "loader/base/status.h"
#include "loader/generate/column_gen.h"
#include "loader/generate/seed_table.h"
#include "loader/pg/connection.h"
#include "loader/pg/server_info.h"

namespace loader {

// The table named `table` ("orders" or "shop.orders"). out->name is the
// server's own spelling (regclass), as foreign keys name it.
// kTableMissing when there is no such table.
Status ReadSeedTable(Connection& conn, ServerKind server, const std::string& table, SeedTable* out);

// The tables of `schema` that hold rows (not partitions, none named in
// `skip`: plain names, such as the loader's journal), as SCHEMA.TABLE, each
// after the tables it references. kInvalidArgument for an empty or missing schema, or tables
// referencing each other in a cycle.
Status ReadSchemaTables(Connection& conn, const std::string& schema,
                        const std::vector<std::string>& skip, std::vector<std::string>* ordered);

// Up to `limit` distinct rows of `columns` of `table` without NULLs, as text,
// in an order set by md5 of the row and `seed`: the same rows give the same
// sample. `table` is as the catalog spells it (ReadSeedTable's out->name and
// its references), or a plain name.
Status ReadReferenceSample(Connection& conn, const std::string& table,
                           const std::vector<std::string>& columns, uint64_t limit, uint64_t seed,
                           ReferenceSample* out);

}  // namespace loader

#endif  // LOADER_PG_SEED_CATALOG_H_
