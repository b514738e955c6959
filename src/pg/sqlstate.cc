#include "loader/pg/sqlstate.h"

namespace loader {

Status::Code ClassifySqlState(std::string_view sqlstate, std::string_view message) {
  using C = Status::Code;
  if (sqlstate == "40001" || sqlstate == "40P01") return C::kRetryable;
  if (sqlstate == "40003") return C::kAmbiguousCommit;
  // CockroachDB answers a pgwire message over sql.conn.max_read_buffer_message_size
  // with this text (and a protocol-violation code, class 08): the chunk is too
  // large, and reconnecting to send it again would fail the same way.
  if (message.find("bigger than maximum allowed message size") != std::string_view::npos) {
    return C::kTooLarge;
  }
  if (sqlstate.substr(0, 2) == "08" || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03") {
    return C::kConnectionLost;
  }
  // CockroachDB rejects an oversized raft command with a plain XX000 error whose
  // text is the only signal.
  if (sqlstate == "53400" || sqlstate == "54000" ||
      message.find("command is too large") != std::string_view::npos) {
    return C::kTooLarge;
  }
  if (sqlstate.substr(0, 2) == "22" || sqlstate.substr(0, 2) == "23") return C::kDataError;
  if (sqlstate == "28000" || sqlstate == "28P01") return C::kAuthFailed;
  if (sqlstate == "42501") return C::kPermissionDenied;
  if (sqlstate == "42P01") return C::kTableMissing;
  return C::kServerError;
}

}  // namespace loader
