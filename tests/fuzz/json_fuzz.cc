// JsonString: whatever the bytes, the output is one valid RFC 8259 string
// literal, and valid UTF-8 comes back unchanged when it is decoded. The
// checker (json_validator.h) is written from RFC 8259 and RFC 3629, not from
// json.cc.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "json_validator.h"
#include "loader/base/json.h"

using loader::fuzz::Check;
using loader::fuzz::ParseString;
using loader::fuzz::ValidUtf8;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string json = loader::JsonString(input);
  std::string decoded;
  Check(ParseString(json, &decoded), "not one valid JSON string: " + json);
  if (ValidUtf8(input)) Check(decoded == std::string(input), "valid UTF-8 changed: " + json);
  return 0;
}
