// The functions a driver may import from module "wasmio": the host half of the guest SDK's
// declarations in sdk/include/wasmio/driver.h. Names, signatures and which access paths offer
// them live here once; the module check and the host implementation both read this table.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "../manifest/manifest.h"
#include "wasmio/types.h"

namespace wasmio::io {

inline constexpr std::string_view kGuestImportModule = "wasmio";

// Bit (1 << AccessPath) set for each access path the host offers the import on.
inline constexpr std::uint8_t path_bit(AccessPath path) {
  return static_cast<std::uint8_t>(1u << static_cast<unsigned>(path));
}
inline constexpr std::uint8_t kAllPaths = 0x7;

struct GuestImport {
  std::string_view name;
  std::span<const ValType> params;
  std::span<const ValType> results;
  std::uint8_t paths;  // path_bit() mask
};

std::span<const GuestImport> guest_imports() noexcept;
const GuestImport* find_guest_import(std::string_view name) noexcept;

}  // namespace wasmio::io
