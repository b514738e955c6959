#include "loader/base/json.h"

#include <nlohmann/json.hpp>

namespace loader {
namespace {

std::string Dump(const Json& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

}  // namespace

std::string JsonText(const Json& value, int indent) { return Dump(value, indent) + "\n"; }

std::string JsonString(std::string_view s) { return Dump(Json(std::string(s)), -1); }

}  // namespace loader
