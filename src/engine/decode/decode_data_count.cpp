// Data count section (id 12): announces the number of data segments so that code (decoded
// before the data section) can refer to them.
#include "decode/sections.h"

namespace wasmio::detail {

Expected<void> decode_data_count_section(DecodeState& s, ByteReader& r) {
  WASMIO_TRY_ASSIGN(count, r.u32());
  s.m.data_count = count;
  return {};
}

}  // namespace wasmio::detail
