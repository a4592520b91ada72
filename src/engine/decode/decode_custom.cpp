// Custom sections (id 0): kept with their name and payload; the `name` section is also parsed.
#include <string_view>

#include "decode/sections.h"

namespace wasmio::detail {

Expected<void> decode_custom_section(DecodeState& s, ByteReader& r) {
  auto name = r.name();
  if (!name) {
    // A section too short for its own name: the spec reads this as running out of input.
    Error e = name.error();
    if (e.code == ErrorCode::kSectionSizeMismatch) e.code = ErrorCode::kUnexpectedEnd;
    return Unexpected{e};
  }
  const std::uint32_t payload_at = r.pos();
  WASMIO_TRY_ASSIGN(payload, r.bytes(r.remaining()));
  s.m.custom_sections.push_back(CustomSection{*name, payload, payload_at});
  if (*name == "name") decode_name_section(s.m, payload);
  return {};
}

}  // namespace wasmio::detail
