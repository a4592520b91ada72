// Function section (id 3): the type index of each defined function.
#include "decode/sections.h"

namespace wasmio::detail {

Expected<void> decode_function_section(DecodeState& s, ByteReader& r) {
  WASMIO_TRY_ASSIGN(count, r.count(1));
  s.m.function_types.reserve(s.m.function_types.size() + count);
  for (std::uint32_t i = 0; i < count; ++i) {
    WASMIO_TRY_ASSIGN(type_index, r.u32());
    s.m.function_types.push_back(type_index);
  }
  s.declared_function_count = count;
  return {};
}

}  // namespace wasmio::detail
