// Type section (id 1): function types. Their value types go into one pool, sized before
// anything is pushed so the FuncType spans into it stay valid.
#include "decode/read_types.h"
#include "decode/sections.h"

namespace wasmio::detail {

namespace {
constexpr std::uint8_t kFuncTypeForm = 0x60;
}

Expected<void> decode_type_section(DecodeState& s, ByteReader& r) {
  Module::Impl& m = s.m;
  WASMIO_TRY_ASSIGN(count, r.count(1));
  // Every value type takes one byte of this section, so this never reallocates.
  m.type_pool.reserve(r.remaining());
  m.type_entries.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t at = r.pos();
    WASMIO_TRY_ASSIGN(form, r.u8());
    // The form is a one-byte signed LEB (-0x20) in the spec's reading.
    if (form & 0x80) return unexpected(ErrorCode::kIntegerRepresentationTooLong, at);
    if (form != kFuncTypeForm) return unexpected(ErrorCode::kMalformedFunctionType, at);
    TypeEntry entry;
    WASMIO_TRY_ASSIGN(param_count, r.count(1));
    entry.params_begin = static_cast<std::uint32_t>(m.type_pool.size());
    entry.params_count = param_count;
    for (std::uint32_t k = 0; k < param_count; ++k) {
      WASMIO_TRY_ASSIGN(t, read_valtype(r));
      m.type_pool.push_back(t);
    }
    WASMIO_TRY_ASSIGN(result_count, r.count(1));
    entry.results_begin = static_cast<std::uint32_t>(m.type_pool.size());
    entry.results_count = result_count;
    for (std::uint32_t k = 0; k < result_count; ++k) {
      WASMIO_TRY_ASSIGN(t, read_valtype(r));
      m.type_pool.push_back(t);
    }
    m.type_entries.push_back(entry);
  }
  m.types.reserve(count);
  for (const TypeEntry& e : m.type_entries) {
    const ValType* pool = m.type_pool.data();
    m.types.push_back(FuncType{std::span<const ValType>(pool + e.params_begin, e.params_count),
                               std::span<const ValType>(pool + e.results_begin, e.results_count)});
  }
  return {};
}

}  // namespace wasmio::detail
