// Start section (id 8).
#include "decode/sections.h"

namespace wasmio::detail {

Expected<void> decode_start_section(DecodeState& s, ByteReader& r) {
  WASMIO_TRY_ASSIGN(index, r.u32());
  s.m.start_function = index;
  return {};
}

}  // namespace wasmio::detail
