// Sink: sends one chunk's rows over a connection, inside a transaction the
// TxnRunner has opened. Sinks know the wire format, never the retry policy.
// Thread safety: one Sink per worker.
#ifndef LOADER_SINK_H_
#define LOADER_SINK_H_

#include <memory>
#include <string>

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

  // Whether SendTransaction works: PostgreSQL's COPY (CockroachDB refuses a
  // COPY with other statements in one query string; INSERT goes through
  // prepared statements, which take one statement each).
  virtual bool SendsTransactions() const { return false; }
  // A whole transaction in one query string: `begin` (BEGIN and the journal
  // row), the chunk's rows, then COMMIT as the rows end, for two waits for
  // the server where one statement at a time takes four. *progress says
  // whether the rows began (else `begin` failed) and whether the COMMIT went
  // out. REQUIRES: SendsTransactions(), Prepare succeeded, no transaction open.
  virtual Status SendTransaction(Connection& conn, const Chunk& chunk, const std::string& begin,
                                 Connection::CopyProgress* progress);
};

// The sink of `method` for `table`: COPY (copy_sink.h) or multi-row INSERT
// statements prepared for chunks of up to max_chunk_rows (insert_sink.h).
std::unique_ptr<Sink> MakeSink(Method method, const TableSpec& table, uint64_t max_chunk_rows);

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
