// Export section (id 7). Name uniqueness and index ranges are validation rules.
#include "decode/sections.h"

namespace wasmio::detail {

Expected<void> decode_export_section(DecodeState& s, ByteReader& r) {
  WASMIO_TRY_ASSIGN(count, r.count(1));
  s.m.exports.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    WASMIO_TRY_ASSIGN(name, r.name());
    const std::uint32_t kind_at = r.pos();
    WASMIO_TRY_ASSIGN(kind, r.u8());
    if (kind > 3) return unexpected(ErrorCode::kMalformedExportKind, kind_at);
    WASMIO_TRY_ASSIGN(index, r.u32());
    s.m.exports.push_back(ExportEntry{name, static_cast<ExternKind>(kind), index});
  }
  return {};
}

}  // namespace wasmio::detail
