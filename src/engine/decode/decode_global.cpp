// Global section (id 6): type and initialiser expression of each defined global.
#include "decode/read_types.h"
#include "decode/sections.h"

namespace wasmio::detail {

Expected<void> decode_global_section(DecodeState& s, ByteReader& r) {
  WASMIO_TRY_ASSIGN(count, r.count(1));
  s.m.globals.reserve(s.m.globals.size() + count);
  for (std::uint32_t i = 0; i < count; ++i) {
    WASMIO_TRY_ASSIGN(type, read_global_type(r));
    WASMIO_TRY_ASSIGN(init, read_const_expr(s, r));
    s.m.globals.push_back(GlobalEntry{type, init});
  }
  return {};
}

}  // namespace wasmio::detail
