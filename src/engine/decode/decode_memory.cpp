// Memory section (id 5). More than one memory is a validation error, not a decoding one.
#include "decode/read_types.h"
#include "decode/sections.h"

namespace wasmio::detail {

Expected<void> decode_memory_section(DecodeState& s, ByteReader& r) {
  WASMIO_TRY_ASSIGN(count, r.count(1));
  s.m.memories.reserve(s.m.memories.size() + count);
  for (std::uint32_t i = 0; i < count; ++i) {
    WASMIO_TRY_ASSIGN(memory, read_memory_type(r));
    s.m.memories.push_back(memory);
  }
  return {};
}

}  // namespace wasmio::detail
