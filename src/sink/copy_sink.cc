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
    if (chunk.encoding == Encoding::kCopyBinary) {
      return conn.CopyIn(binary_sql_.c_str(),
                         {kCopyBinaryHeader, chunk.payload.view(), kCopyBinaryTrailer});
    }
    return conn.CopyIn(text_sql_.c_str(), {chunk.payload.view()});
  }

 private:
  const std::string text_sql_;
  const std::string binary_sql_;
};

}  // namespace

std::unique_ptr<Sink> MakeCopySink(const TableSpec& table) {
  return std::make_unique<CopySink>(table);
}

}  // namespace loader
