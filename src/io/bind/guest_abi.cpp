#include "guest_abi.h"

namespace wasmio::io {
namespace {

constexpr ValType kI32 = ValType::kI32;
constexpr ValType kI64 = ValType::kI64;

constexpr ValType kI32x1[] = {kI32};
constexpr ValType kI32x2[] = {kI32, kI32};
constexpr ValType kI32x3[] = {kI32, kI32, kI32};
constexpr ValType kI32x4[] = {kI32, kI32, kI32, kI32};
constexpr ValType kI32x6[] = {kI32, kI32, kI32, kI32, kI32, kI32};
constexpr ValType kI32I32I64[] = {kI32, kI32, kI64};
constexpr ValType kI64x1[] = {kI64};

constexpr std::span<const ValType> none() { return {}; }

constexpr std::uint8_t kRegisterPaths =
    path_bit(AccessPath::kHostCall) | path_bit(AccessPath::kMapped) | path_bit(AccessPath::kCopy);

// Handles are i32: >= 0 a granted window, < 0 refused. Offsets are bytes into the window.
const GuestImport kGuestImports[] = {
    // (label_ptr, label_len, window_index) -> handle
    {"window_handle", kI32x3, kI32x1, kAllPaths},
    // (handle) -> guest address of the window in the mapped range
    {"window_base", kI32x1, kI32x1, path_bit(AccessPath::kMapped)},
    // (handle, offset) -> value; (handle, offset, value)
    {"reg_read8", kI32x2, kI32x1, kRegisterPaths},
    {"reg_read16", kI32x2, kI32x1, kRegisterPaths},
    {"reg_read32", kI32x2, kI32x1, kRegisterPaths},
    {"reg_read64", kI32x2, kI64x1, kRegisterPaths},
    {"reg_write8", kI32x3, none(), kRegisterPaths},
    {"reg_write16", kI32x3, none(), kRegisterPaths},
    {"reg_write32", kI32x3, none(), kRegisterPaths},
    {"reg_write64", kI32I32I64, none(), kRegisterPaths},
    // (handle, offset, length, shadow_ptr) -> 0 or negative error; skips volatile ranges
    {"shadow_pull", kI32x4, kI32x1, path_bit(AccessPath::kCopy)},
    {"shadow_push", kI32x4, kI32x1, path_bit(AccessPath::kCopy)},
    // (label_ptr, label_len, name_ptr, name_len, dst_ptr, dst_len) -> property length or < 0
    {"property_read", kI32x6, kI32x1, kAllPaths},
};

}  // namespace

std::span<const GuestImport> guest_imports() noexcept { return kGuestImports; }

const GuestImport* find_guest_import(std::string_view name) noexcept {
  for (const GuestImport& g : kGuestImports) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

}  // namespace wasmio::io
