#include "sink/copy_sink.h"

namespace loader {
namespace {

class CopySink final : public Sink {
 public:
  CopySink(const TableSpec& table, const ConflictPolicy& conflict)
      : staged_(conflict.mode != OnConflict::kError),
        text_sql_("COPY " + (staged_ ? std::string(kConflictStage) : QuoteIdent(table.name)) +
                  " (" + table.ColumnList() + ") FROM STDIN"),
        // WITH BINARY, the form both PostgreSQL (as its older syntax) and
        // CockroachDB accept.
        binary_sql_(text_sql_ + " WITH BINARY") {
    if (!staged_) return;
    stage_sql_ = ConflictStageSql(table);
    insert_sql_ = InsertFromStageSql(table, conflict);
  }

  Method method() const override { return Method::kCopy; }
  Status Prepare(Connection& conn) override {
    return staged_ ? conn.Exec(stage_sql_.c_str()) : Status::OK();
  }
  Status Send(Connection& conn, const Chunk& chunk) override {
    Status s = Copy(conn, chunk, Sql(chunk).c_str(), nullptr);
    if (s.ok() && staged_) s = conn.Exec(insert_sql_.c_str());
    return s;
  }

  bool SendsTransactions() const override { return true; }
  Status SendTransaction(Connection& conn, const Chunk& chunk, const std::string& begin,
                         Connection::CopyProgress* progress) override {
    transaction_sql_.assign(begin).append("; ").append(Sql(chunk));
    if (staged_) transaction_sql_.append("; ").append(insert_sql_);
    transaction_sql_.append("; COMMIT");
    return Copy(conn, chunk, transaction_sql_.c_str(), progress);
  }

 private:
  const std::string& Sql(const Chunk& chunk) const {
    return chunk.encoding == Encoding::kCopyBinary ? binary_sql_ : text_sql_;
  }
  static Status Copy(Connection& conn, const Chunk& chunk, const char* sql,
                     Connection::CopyProgress* progress) {
    if (chunk.encoding == Encoding::kCopyBinary) {
      return conn.CopyIn(sql, {kCopyBinaryHeader, chunk.payload.view(), kCopyBinaryTrailer},
                         progress);
    }
    return conn.CopyIn(sql, {chunk.payload.view()}, progress);
  }

  const bool staged_;            // --on-conflict: COPY into kConflictStage, then INSERT ... SELECT
  std::string transaction_sql_;  // reused: no allocation per chunk once grown
  const std::string text_sql_;
  const std::string binary_sql_;
  std::string stage_sql_;   // makes kConflictStage on a new connection
  std::string insert_sql_;  // its rows into the table
};

}  // namespace

std::unique_ptr<Sink> MakeCopySink(const TableSpec& table, const ConflictPolicy& conflict) {
  return std::make_unique<CopySink>(table, conflict);
}

}  // namespace loader
