#include "sink/insert_sink.h"

#include <algorithm>
#include <vector>

namespace loader {
namespace {

constexpr char kStatementName[] = "loader_insert";

class InsertSink final : public Sink {
 public:
  InsertSink(const TableSpec& table, uint64_t max_chunk_rows, const ConflictPolicy& conflict)
      : table_(table),
        conflict_(conflict),
        columns_(static_cast<int>(table.columns.size())),
        rows_per_statement_(static_cast<int>(std::min<uint64_t>(
            InsertRowsPerStatement(table), std::max<uint64_t>(1, max_chunk_rows)))),
        full_sql_(InsertSql(table, rows_per_statement_, conflict)),
        values_(static_cast<size_t>(rows_per_statement_) * columns_) {}

  Method method() const override { return Method::kInsert; }

  // The full-size statement is parsed once per connection; only a chunk's short
  // tail goes through an unnamed statement.
  Status Prepare(Connection& conn) override {
    return conn.Prepare(kStatementName, full_sql_.c_str(), rows_per_statement_ * columns_);
  }

  Status Send(Connection& conn, const Chunk& chunk) override {
    return SendStatements(conn, chunk, /*queue=*/false);
  }

  bool Pipelines() const override { return true; }
  Status Queue(Connection& conn, const Chunk& chunk) override {
    return SendStatements(conn, chunk, /*queue=*/true);
  }

 private:
  // Each statement run at once, or with `queue` queued in the pipeline.
  Status SendStatements(Connection& conn, const Chunk& chunk, bool queue) {
    const uint32_t* offsets = chunk.value_offsets.data();
    for (uint32_t done = 0; done < chunk.rows;) {
      const int rows = static_cast<int>(std::min<uint32_t>(rows_per_statement_, chunk.rows - done));
      const int n = rows * columns_;
      for (int i = 0; i < n; ++i) {
        const uint32_t off = offsets[static_cast<size_t>(done) * columns_ + i];
        values_[i] = off == InsertParamEncoder::kNullOffset ? nullptr : chunk.payload.data() + off;
      }
      Status s;
      if (rows == rows_per_statement_) {
        s = queue ? conn.QueuePrepared(kStatementName, n, values_.data())
                  : conn.ExecPrepared(kStatementName, n, values_.data());
      } else {
        tail_sql_ = InsertSql(table_, rows, conflict_);
        s = queue ? conn.QueueParams(tail_sql_.c_str(), n, values_.data())
                  : conn.ExecParams(tail_sql_.c_str(), n, values_.data());
      }
      if (!s.ok()) return s;
      done += rows;
    }
    return Status::OK();
  }

  const TableSpec& table_;
  const ConflictPolicy conflict_;
  const int columns_;
  const int rows_per_statement_;
  const std::string full_sql_;
  std::vector<const char*> values_;
  std::string tail_sql_;  // a chunk's short last statement
};

}  // namespace

int InsertRowsPerStatement(const TableSpec& table) {
  const int columns = static_cast<int>(table.columns.size());
  return std::min(kMaxInsertRowsPerStatement, kMaxBindParameters / columns);
}

std::string InsertSql(const TableSpec& table, int rows, const ConflictPolicy& conflict) {
  std::string values = "VALUES ";
  const size_t columns = table.columns.size();
  int param = 1;
  for (int r = 0; r < rows; ++r) {
    values += r == 0 ? "(" : ", (";
    for (size_t c = 0; c < columns; ++c) {
      if (c > 0) values += ", ";
      values += '$';
      values += std::to_string(param++);
    }
    values += ')';
  }
  return ConflictInsertSql(table, conflict, values);
}

std::unique_ptr<Sink> MakeInsertSink(const TableSpec& table, uint64_t max_chunk_rows,
                                     const ConflictPolicy& conflict) {
  return std::make_unique<InsertSink>(table, max_chunk_rows, conflict);
}

}  // namespace loader
