// Sink: sends one chunk's rows over a connection, inside a transaction the
// TxnRunner has opened. Sinks know the wire format, never the retry policy.
// Thread safety: one Sink per worker.
#ifndef LOADER_SINK_H_
#define LOADER_SINK_H_

#include <memory>

#include "loader/base/table.h"
#include "loader/encode/chunk.h"
#include "loader/pg/connection.h"

namespace loader {

enum class Method { kCopy, kInsert };

class Sink {
 public:
  virtual ~Sink() = default;

  virtual Method method() const = 0;
  // Sets up per-connection state (prepared statements); called on every new
  // connection, outside any transaction.
  virtual Status Prepare(Connection& conn) = 0;
  // Sends every row of `chunk`. REQUIRES: Prepare succeeded on `conn`, a
  // transaction is open, chunk.encoding is one of EncodingFor(method()).
  virtual Status Send(Connection& conn, const Chunk& chunk) = 0;
};

// COPY table (columns) FROM STDIN, in text or binary format (kCopyText or
// kCopyBinary chunks).
std::unique_ptr<Sink> MakeCopySink(const TableSpec& table);
// Multi-row INSERT with bound text parameters. Statements of
// min(InsertRowsPerStatement(table), max_chunk_rows) rows are prepared once per
// connection, so a full chunk never makes the server parse SQL.
std::unique_ptr<Sink> MakeInsertSink(const TableSpec& table, uint64_t max_chunk_rows);
std::unique_ptr<Sink> MakeSink(Method method, const TableSpec& table, uint64_t max_chunk_rows);

// PostgreSQL's protocol allows 65535 parameters per statement; CockroachDB's
// guidance is multi-row INSERTs of at most about 1000 rows.
constexpr int kMaxBindParameters = 65535;
constexpr int kMaxInsertRowsPerStatement = 1000;
int InsertRowsPerStatement(const TableSpec& table);

// INSERT INTO "t" ("a", "b") VALUES ($1, $2), ($3, $4)...
std::string InsertSql(const TableSpec& table, int rows);

// What a source fills chunks with for `method`. Generated rows go to COPY in
// binary: their values are typed already, and the server then parses no text.
// Rows read from files stay text, for the server to parse as their columns'
// types, whatever those are.
inline Encoding EncodingFor(Method method, bool generated) {
  if (method == Method::kInsert) return Encoding::kInsertParams;
  return generated ? Encoding::kCopyBinary : Encoding::kCopyText;
}

}  // namespace loader

#endif  // LOADER_SINK_H_
