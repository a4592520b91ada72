// Internal: the unsigned LEB128 writer, the inverse of ByteReader's reader, for the code that
// builds or rewrites module binaries (tools, tests). `Out` is any byte container with push_back.
#pragma once

#include <cstdint>

namespace wasmio::detail {

template <typename Out>
void append_uleb128(Out& out, std::uint64_t value) {
  do {
    std::uint8_t byte = value & 0x7F;
    value >>= 7;
    if (value != 0) byte |= 0x80;
    out.push_back(byte);
  } while (value != 0);
}

}  // namespace wasmio::detail
