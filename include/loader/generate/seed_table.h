// SeedTable: what the generator knows of a table it fills with synthetic rows,
// as the catalog describes it (pg/seed_catalog.h reads it): each column's type
// with its modifiers, nullability, default and checks, and the table's keys,
// references and partitions. Plain values; no server in sight.
#ifndef LOADER_GENERATE_SEED_TABLE_H_
#define LOADER_GENERATE_SEED_TABLE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loader/base/status.h"

namespace loader {

// The types the generator can make values of; anything else is kUnsupported.
enum class SeedType {
  kInt2,
  kInt4,
  kInt8,
  kNumeric,
  kFloat4,
  kFloat8,
  kBool,
  kText,  // text, varchar(n), char(n) (length below)
  kUuid,
  kDate,
  kTime,
  kTimestamp,
  kTimestampTz,
  kInterval,
  kBytea,
  kJson,  // json and jsonb
  kInet,
  kTsvector,
  kEnum,  // labels below
  kUnsupported,
};

struct SeedColumn {
  std::string name;
  std::string sql_type;  // as the catalog prints it: "numeric(10,2)", "mood[]", "email"
  SeedType type = SeedType::kUnsupported;  // the base type (a domain's, an array's element)
  bool array = false;
  int length = -1;            // varchar(n), char(n): n; -1: none
  bool fixed_length = false;  // char(n): values are padded to n
  int precision = -1;         // numeric(p,s); -1: unconstrained
  int scale = -1;
  std::vector<std::string> labels;  // kEnum: in sort order
  bool not_null = false;
  bool has_default = false;  // a default, identity or serial: the server fills it
  // CHECK constraints on this column alone, the table's and its domain's, as
  // the server prints them ("CHECK ((VALUE > 0))" for a domain's).
  struct Check {
    std::string name;
    std::string definition;
    bool domain = false;  // written with VALUE for the column
  };
  std::vector<Check> checks;
};

// A primary key or a unique constraint: its columns' values are distinct as a
// tuple.
struct SeedKey {
  std::string name;
  std::vector<int> columns;  // indexes into SeedTable::columns
  bool primary = false;
};

// A foreign key: `columns` take the values of `ref_columns` in `ref_table`.
struct SeedReference {
  std::string name;
  std::vector<int> columns;
  std::string ref_table;  // schema-qualified as the catalog prints it
  std::vector<std::string> ref_columns;
};

// A table partitioned by range or list on one column, and its partitions'
// bounds as the server prints them ("FOR VALUES FROM (0) TO (100)").
struct SeedPartitions {
  int column = -1;  // -1: not partitioned (or by an expression or several columns)
  bool by_list = false;
  std::vector<std::string> bounds;  // one per partition; "DEFAULT" for a default one
};

struct SeedTable {
  std::string name;  // as the server spells it (regclass), as references name it
  // The server's id of the table: a table dropped and made again is another
  // table, whose rows an earlier job did not load.
  std::string oid;
  std::vector<SeedColumn> columns;
  std::vector<SeedKey> keys;
  std::vector<SeedReference> references;
  std::vector<SeedColumn::Check> other_checks;  // on several columns: the server judges them
  SeedPartitions partitions;
};

// Fills c->type, array, length, fixed_length, precision and scale from a
// type name as format_type() prints it ("character varying(20)[]",
// "numeric(10,2)", "timestamp(3) with time zone") or CockroachDB spells it
// ("STRING(20)", "DECIMAL(10,2)", "INT8"). An enum is named by its own type;
// with `labels` not empty the type is kEnum. Unknown names are kUnsupported.
void SeedTypeFromSql(std::string_view sql_type, SeedColumn* c);

// The order to seed tables in: each after the tables it references
// (references to tables outside `tables` are taken as there already), ties in
// the given order. `tables` pairs a name with the names it references.
// kInvalidArgument naming a cycle ("a -> b -> a").
Status OrderByReferences(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& tables,
    std::vector<std::string>* ordered);

// A fingerprint of everything above that shapes the generated rows, and of
// the table's oid, for the job id: a table changed or made again since the
// last run is a new job.
std::string SeedTableFingerprint(const SeedTable& table);

}  // namespace loader

#endif  // LOADER_GENERATE_SEED_TABLE_H_
