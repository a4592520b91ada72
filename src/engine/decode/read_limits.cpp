// Limits and memory types, out of line: the table, memory and import decoders share one copy.
#include "decode/read_types.h"

namespace wasmio::detail {

namespace {
constexpr std::uint8_t kHasMax = 0x01;
constexpr std::uint8_t kHasPageSize = 0x08;
constexpr std::uint32_t kMaxPageSizeLog2 = 16;
}  // namespace

Expected<std::uint8_t> read_limits(ByteReader& r, std::uint8_t allowed_flags,
                                   Limits& limits) noexcept {
  const std::uint32_t at = r.pos();
  WASMIO_TRY_ASSIGN(flags, r.u8());
  if (flags & 0x80) return unexpected(ErrorCode::kIntegerRepresentationTooLong, at);
  if (flags & ~allowed_flags) return unexpected(ErrorCode::kIntegerTooLarge, at);
  WASMIO_TRY_ASSIGN(min, r.u32());
  limits.min = min;
  if (flags & kHasMax) {
    WASMIO_TRY_ASSIGN(max, r.u32());
    limits.max = max;
    limits.has_max = true;
  }
  return flags;
}

Expected<MemoryType> read_memory_type(ByteReader& r) noexcept {
  MemoryType t;
  WASMIO_TRY_ASSIGN(flags, read_limits(r, kHasMax | kHasPageSize, t.limits));
  if (flags & kHasPageSize) {
    const std::uint32_t at = r.pos();
    WASMIO_TRY_ASSIGN(log2, r.u32());
    if (log2 > kMaxPageSizeLog2) return unexpected(ErrorCode::kMalformedPageSize, at);
    t.page_size_log2 = static_cast<std::uint8_t>(log2);
  }
  return t;
}

}  // namespace wasmio::detail
