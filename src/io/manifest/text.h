// Small text helpers for error messages of the I/O layer (no iostream, no printf).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wasmio::io::text {

// "0x1f": lower-case hexadecimal with a 0x prefix.
inline std::string hex(std::uint64_t value) {
  char digits[16];
  int n = 0;
  do {
    digits[n++] = "0123456789abcdef"[value & 0xF];
    value >>= 4;
  } while (value != 0);
  std::string s = "0x";
  while (n > 0) s += digits[--n];
  return s;
}

// The string with bytes outside printable ASCII written as \xNN, so a hostile label cannot
// garble a log line.
inline std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto b = static_cast<std::uint8_t>(c);
    if (b >= 0x20 && b < 0x7F && c != '\\') {
      out += c;
    } else {
      out += "\\x";
      out += "0123456789abcdef"[b >> 4];
      out += "0123456789abcdef"[b & 0xF];
    }
  }
  return out;
}

}  // namespace wasmio::io::text
