#include "base/shell_word.h"

namespace loader {

std::string ShellWord(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string ShellWordIfNeeded(std::string_view text) {
  if (text.empty()) return "''";
  for (char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::string_view("_-./:=,@%+").find(c) != std::string_view::npos;
    if (!plain) return ShellWord(text);
  }
  return std::string(text);
}

}  // namespace loader
