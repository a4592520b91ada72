// Data section (id 11): 0 = active in memory 0, 1 = passive, 2 = active with a memory index.
#include "decode/sections.h"

namespace wasmio::detail {

Expected<void> decode_data_section(DecodeState& s, ByteReader& r) {
  Module::Impl& m = s.m;
  const std::uint32_t count_at = r.pos();
  WASMIO_TRY_ASSIGN(count, r.count(1));
  if (m.data_count && *m.data_count != count) {
    return unexpected(ErrorCode::kDataCountAndDataInconsistent, count_at);
  }
  s.has_data_section = true;
  m.data_segments.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    DataSegment seg;
    seg.section_offset = r.pos();
    WASMIO_TRY_ASSIGN(flags, r.u32());
    switch (flags) {
      case 0:
        seg.mode = SegmentMode::kActive;
        break;
      case 1:
        seg.mode = SegmentMode::kPassive;
        break;
      case 2: {
        seg.mode = SegmentMode::kActive;
        WASMIO_TRY_ASSIGN(memory, r.u32());
        seg.memory_index = memory;
        break;
      }
      default:
        return unexpected(ErrorCode::kMalformedSegmentFlags, seg.section_offset);
    }
    if (seg.mode == SegmentMode::kActive) {
      WASMIO_TRY_ASSIGN(offset, read_const_expr(s, r));
      seg.offset = offset;
    }
    WASMIO_TRY_ASSIGN(size, r.u32());
    const std::uint32_t data_at = r.pos();
    WASMIO_TRY(r.bytes(size));
    seg.init = ByteRange{data_at, size};
    m.data_segments.push_back(seg);
  }
  return {};
}

}  // namespace wasmio::detail
