#include "loader/sink.h"

namespace loader {
namespace {

class CopySink final : public Sink {
 public:
  explicit CopySink(const TableSpec& table)
      : sql_("COPY " + QuoteIdent(table.name) + " (" + table.ColumnList() + ") FROM STDIN") {}

  Encoding encoding() const override { return Encoding::kCopyText; }
  Status Prepare(Connection&) override { return Status::OK(); }
  Status Send(Connection& conn, const Chunk& chunk) override {
    return conn.CopyIn(sql_.c_str(), chunk.payload.view());
  }

 private:
  const std::string sql_;
};

}  // namespace

std::unique_ptr<Sink> MakeCopySink(const TableSpec& table) {
  return std::make_unique<CopySink>(table);
}

std::unique_ptr<Sink> MakeSink(Method method, const TableSpec& table, uint64_t max_chunk_rows) {
  return method == Method::kCopy ? MakeCopySink(table) : MakeInsertSink(table, max_chunk_rows);
}

}  // namespace loader
