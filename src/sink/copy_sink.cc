#include "sink/copy_sink.h"

namespace loader {
namespace {

class CopySink final : public Sink {
 public:
  explicit CopySink(const TableSpec& table)
      : text_sql_("COPY " + QuoteIdent(table.name) + " (" + table.ColumnList() + ") FROM STDIN"),
        // WITH BINARY, the form both PostgreSQL (as its older syntax) and
        // CockroachDB accept.
        binary_sql_(text_sql_ + " WITH BINARY") {}

  Method method() const override { return Method::kCopy; }
  Status Prepare(Connection&) override { return Status::OK(); }
  Status Send(Connection& conn, const Chunk& chunk) override {
    return Copy(conn, chunk, Sql(chunk).c_str(), nullptr);
  }

  bool SendsTransactions() const override { return true; }
  Status SendTransaction(Connection& conn, const Chunk& chunk, const std::string& begin,
                         Connection::CopyProgress* progress) override {
    transaction_sql_.assign(begin).append("; ").append(Sql(chunk)).append("; COMMIT");
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

  std::string transaction_sql_;  // reused: no allocation per chunk once grown
  const std::string text_sql_;
  const std::string binary_sql_;
};

}  // namespace

std::unique_ptr<Sink> MakeCopySink(const TableSpec& table) {
  return std::make_unique<CopySink>(table);
}

}  // namespace loader
