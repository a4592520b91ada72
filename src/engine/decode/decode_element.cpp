// Element section (id 9): the eight segment encodings of Wasm 2.0, selected by a flags word:
//   bit 0: passive or declarative (else active)   bit 1: explicit table index (active) /
//   declarative (bit 0 set)                        bit 2: elements are expressions (else
//   function indices). Flags 0 and 4 use table 0 and imply funcref.
#include "decode/read_types.h"
#include "decode/sections.h"

namespace wasmio::detail {

Expected<void> decode_element_section(DecodeState& s, ByteReader& r) {
  WASMIO_TRY_ASSIGN(count, r.count(1));
  s.m.elem_segments.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    ElemSegment seg;
    seg.section_offset = r.pos();
    WASMIO_TRY_ASSIGN(flags, r.u32());
    if (flags > 7) return unexpected(ErrorCode::kMalformedSegmentFlags, seg.section_offset);
    const bool passive_or_declarative = flags & 1;
    const bool explicit_index_or_declarative = flags & 2;
    seg.uses_expressions = flags & 4;

    if (passive_or_declarative) {
      seg.mode = explicit_index_or_declarative ? SegmentMode::kDeclarative : SegmentMode::kPassive;
    } else {
      seg.mode = SegmentMode::kActive;
      if (explicit_index_or_declarative) {
        WASMIO_TRY_ASSIGN(table, r.u32());
        seg.table_index = table;
      }
      WASMIO_TRY_ASSIGN(offset, read_const_expr(s, r));
      seg.offset = offset;
    }

    // Flags 0 and 4 have no element kind / type byte: funcref.
    if (flags != 0 && flags != 4) {
      if (seg.uses_expressions) {
        WASMIO_TRY_ASSIGN(type, read_reftype(r));
        seg.type = type;
      } else {
        const std::uint32_t kind_at = r.pos();
        WASMIO_TRY_ASSIGN(kind, r.u8());
        if (kind != 0x00) return unexpected(ErrorCode::kMalformedElementKind, kind_at);
        seg.type = ValType::kFuncRef;
      }
    }

    WASMIO_TRY_ASSIGN(n, r.count(1));
    if (seg.uses_expressions) {
      seg.expressions.reserve(n);
      for (std::uint32_t k = 0; k < n; ++k) {
        WASMIO_TRY_ASSIGN(expr, read_const_expr(s, r));
        seg.expressions.push_back(expr);
      }
    } else {
      seg.function_indices.reserve(n);
      for (std::uint32_t k = 0; k < n; ++k) {
        WASMIO_TRY_ASSIGN(index, r.u32());
        seg.function_indices.push_back(index);
      }
    }
    s.m.elem_segments.push_back(static_cast<ElemSegment&&>(seg));
  }
  return {};
}

}  // namespace wasmio::detail
