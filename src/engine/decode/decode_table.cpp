// Table section (id 4).
#include "decode/read_types.h"
#include "decode/sections.h"

namespace wasmio::detail {

Expected<void> decode_table_section(DecodeState& s, ByteReader& r) {
  WASMIO_TRY_ASSIGN(count, r.count(1));
  s.m.tables.reserve(s.m.tables.size() + count);
  for (std::uint32_t i = 0; i < count; ++i) {
    WASMIO_TRY_ASSIGN(table, read_table_type(r));
    s.m.tables.push_back(table);
  }
  return {};
}

}  // namespace wasmio::detail
