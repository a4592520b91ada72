// Property helpers that work on any BoardNode, from a .dtb or from a generated table. No libfdt:
// these build for the microcontroller too.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "board_description.h"

namespace wasmio::io {

const BoardProperty* find_property(const BoardNode& node, std::string_view name);
bool has_property(const BoardNode& node, std::string_view name);
// The property's `index`-th 32-bit big-endian cell.
std::optional<std::uint32_t> property_u32(const BoardNode& node, std::string_view name,
                                          std::size_t index = 0);
// The first string of a string(-list) property.
std::optional<std::string_view> property_string(const BoardNode& node, std::string_view name);
std::vector<std::string_view> property_strings(const BoardNode& node, std::string_view name);
bool is_compatible(const BoardNode& node, std::string_view compatible);

}  // namespace wasmio::io
