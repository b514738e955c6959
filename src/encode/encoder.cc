#include "loader/encoder.h"

namespace loader {

void FormatUuid(const UuidBytes& uuid, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) {
    // Dashes go before bytes 4, 6, 8 and 10: 8-4-4-4-12 hex digits.
    if (i == 4 || i == 6 || i == 8 || i == 10) *out++ = '-';
    *out++ = kHex[uuid[i] >> 4];
    *out++ = kHex[uuid[i] & 0xF];
  }
}

void CopyTextEncoder::Text(std::string_view v) {
  Separate();
  // Worst case every byte doubles.
  char* start = out_->Reserve(v.size() * 2);
  char* p = start;
  for (char c : v) {
    switch (c) {
      case '\\': *p++ = '\\'; *p++ = '\\'; break;
      case '\t': *p++ = '\\'; *p++ = 't'; break;
      case '\n': *p++ = '\\'; *p++ = 'n'; break;
      case '\r': *p++ = '\\'; *p++ = 'r'; break;
      default: *p++ = c;
    }
  }
  out_->Commit(p - start);
}

}  // namespace loader
