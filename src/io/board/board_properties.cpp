#include "board_properties.h"

#include <cstring>

namespace wasmio::io {

const BoardProperty* find_property(const BoardNode& node, std::string_view name) {
  for (const auto& p : node.properties) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

bool has_property(const BoardNode& node, std::string_view name) {
  return find_property(node, name) != nullptr;
}

std::optional<std::uint32_t> property_u32(const BoardNode& node, std::string_view name,
                                          std::size_t index) {
  const BoardProperty* p = find_property(node, name);
  if (p == nullptr || p->value.size() < (index + 1) * 4) return std::nullopt;
  const std::uint8_t* b = p->value.data() + index * 4;
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
         std::uint32_t{b[3]};
}

std::vector<std::string_view> property_strings(const BoardNode& node, std::string_view name) {
  std::vector<std::string_view> out;
  const BoardProperty* p = find_property(node, name);
  if (p == nullptr) return out;
  const char* c = reinterpret_cast<const char*>(p->value.data());
  const std::size_t len = p->value.size();
  for (std::size_t pos = 0; pos < len;) {
    const void* nul = std::memchr(c + pos, 0, len - pos);
    const std::size_t n = nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - (c + pos))
                              : len - pos;
    out.emplace_back(c + pos, n);
    pos += n + 1;
  }
  return out;
}

std::optional<std::string_view> property_string(const BoardNode& node, std::string_view name) {
  auto all = property_strings(node, name);
  if (all.empty()) return std::nullopt;
  return all.front();
}

bool is_compatible(const BoardNode& node, std::string_view compatible) {
  for (auto c : node.compatible) {
    if (c == compatible) return true;
  }
  return false;
}

}  // namespace wasmio::io
