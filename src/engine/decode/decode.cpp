// The module header, the section sequence (order, duplicates, sizes) and the checks that span
// several sections. The sections themselves are decoded in decode_<section>.cpp.
#include "decode/decode.h"

#include "decode/sections.h"
#include "decode/walk_expr.h"

namespace wasmio::detail {
namespace {

constexpr std::uint8_t kSectionCustom = 0;
constexpr std::uint8_t kLastSectionId = 12;

// Position of a known section in the required order (the data count section, id 12, sits
// between element (9) and code (10)).
constexpr unsigned section_rank(std::uint8_t id) {
  switch (id) {
    case 12: return 10;
    case 10: return 11;
    case 11: return 12;
    default: return id;
  }
}

using SectionDecoder = Expected<void> (*)(DecodeState&, ByteReader&);

SectionDecoder section_decoder(std::uint8_t id) {
  switch (id) {
    case 0: return decode_custom_section;
    case 1: return decode_type_section;
    case 2: return decode_import_section;
    case 3: return decode_function_section;
    case 4: return decode_table_section;
    case 5: return decode_memory_section;
    case 6: return decode_global_section;
    case 7: return decode_export_section;
    case 8: return decode_start_section;
    case 9: return decode_element_section;
    case 10: return decode_code_section;
    case 11: return decode_data_section;
    case 12: return decode_data_count_section;
    default: return nullptr;
  }
}

Expected<void> read_header(ByteReader& r) {
  WASMIO_TRY_ASSIGN(magic, r.fixed32());
  if (magic != 0x6D736100u) return unexpected(ErrorCode::kMagicHeaderNotDetected, 0);
  WASMIO_TRY_ASSIGN(version, r.fixed32());
  if (version != 1) return unexpected(ErrorCode::kUnknownBinaryVersion, 4);
  return {};
}

}  // namespace

Expected<ConstExpr> read_const_expr(DecodeState& s, ByteReader& r) noexcept {
  const std::uint32_t start = r.pos();
  ExprFacts facts;
  WASMIO_TRY(walk_expr(r, s.block_stack, facts));
  return ConstExpr{start, r.pos() - start};
}

Expected<void> decode_module(Module::Impl& m) {
  if (m.bytes.size() > 0xFFFFFFFFu) return unexpected(ErrorCode::kImplementationLimit, 0);
  ByteReader file(m.bytes);
  WASMIO_TRY(read_header(file));

  DecodeState state{m, 0, false, false, false, 0, {}};
  unsigned last_rank = 0;
  while (!file.at_end()) {
    const std::uint32_t header_at = file.pos();
    WASMIO_TRY_ASSIGN(id, file.u8());
    if (id > kLastSectionId) return unexpected(ErrorCode::kMalformedSectionId, header_at);
    const std::uint32_t size_at = file.pos();
    WASMIO_TRY_ASSIGN(size, file.u32());
    if (size > file.remaining()) return unexpected(ErrorCode::kLengthOutOfBounds, size_at);
    const std::uint32_t begin = file.pos();
    const std::uint32_t end = begin + size;

    if (id != kSectionCustom) {
      // A known section out of order or repeated: what follows the section it should have
      // preceded cannot be part of the module.
      const unsigned rank = section_rank(id);
      if (rank <= last_rank) return unexpected(ErrorCode::kDuplicateSection, header_at);
      last_rank = rank;
    }
    m.sections.push_back(Module::SectionInfo{id, begin, size});

    ByteReader section = file.nested(begin, end);
    WASMIO_TRY(section_decoder(id)(state, section));
    if (section.pos() != end) return unexpected(ErrorCode::kSectionSizeMismatch, section.pos());
    file.skip_to(end);
  }

  // Checks that need the whole sequence of sections.
  if (!state.has_code_section && state.declared_function_count != 0) {
    return unexpected(ErrorCode::kFunctionAndCodeInconsistent, file.pos());
  }
  // Code naming data segments needs the data count section when there are data segments
  // (single-pass validation of code must know their number before the data section). Without
  // any data section the count is known to be 0 and the validator rejects every data index
  // ("unknown data segment"); wast2json produces such binaries for the suite's invalid modules.
  if (state.code_uses_data_index && !m.data_count && state.has_data_section) {
    return unexpected(ErrorCode::kDataCountRequired, state.first_data_index_use);
  }
  if (m.data_count && !state.has_data_section && *m.data_count != 0) {
    return unexpected(ErrorCode::kDataCountAndDataInconsistent, file.pos());
  }
  return {};
}

}  // namespace wasmio::detail
