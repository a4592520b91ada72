// Internal: UTF-8 well-formedness as the Wasm binary format requires for names.
#pragma once

#include <cstdint>
#include <span>

namespace wasmio::detail {

// True when `bytes` is well-formed UTF-8 (Unicode 3.9 table 3-7): no overlong forms, no
// surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequences.
bool is_valid_utf8(std::span<const std::uint8_t> bytes) noexcept;

}  // namespace wasmio::detail
