// Internal: the per-section decoders called by decode_module (decode.cpp), one file each.
//
// Each gets a reader over exactly its section's payload and fills its part of Module::Impl;
// decode_module checks afterwards that the section was consumed exactly.
#pragma once

#include <cstdint>

#include "common/byte_reader.h"
#include "common/hook_allocator.h"
#include "module_impl.h"

namespace wasmio::detail {

// Implementation limit on declared locals per function (the format allows 2^32-1): the
// interpreter gives every local a stack slot, and a Cortex-M has RAM for far fewer.
inline constexpr std::uint64_t kMaxFunctionLocals = 50000;

// What one section needs to know about the others.
struct DecodeState {
  Module::Impl& m;
  std::uint32_t declared_function_count = 0;  // entries of the function section
  bool has_code_section = false;
  bool has_data_section = false;
  bool code_uses_data_index = false;       // memory.init or data.drop in some body
  std::uint32_t first_data_index_use = 0;  // offset of the first one
  Vec<std::uint8_t> block_stack;  // scratch for walk_expr
};

// The byte range of the constant expression at r.pos() (through its `end`); r moves past it.
Expected<ConstExpr> read_const_expr(DecodeState& s, ByteReader& r) noexcept;

Expected<void> decode_custom_section(DecodeState& s, ByteReader& r);
Expected<void> decode_type_section(DecodeState& s, ByteReader& r);
Expected<void> decode_import_section(DecodeState& s, ByteReader& r);
Expected<void> decode_function_section(DecodeState& s, ByteReader& r);
Expected<void> decode_table_section(DecodeState& s, ByteReader& r);
Expected<void> decode_memory_section(DecodeState& s, ByteReader& r);
Expected<void> decode_global_section(DecodeState& s, ByteReader& r);
Expected<void> decode_export_section(DecodeState& s, ByteReader& r);
Expected<void> decode_start_section(DecodeState& s, ByteReader& r);
Expected<void> decode_element_section(DecodeState& s, ByteReader& r);
Expected<void> decode_data_count_section(DecodeState& s, ByteReader& r);
Expected<void> decode_code_section(DecodeState& s, ByteReader& r);
Expected<void> decode_data_section(DecodeState& s, ByteReader& r);

// The `name` custom section (module and function names). Never fails: a malformed name
// section leaves the module's names empty, as custom sections must not affect validity.
void decode_name_section(Module::Impl& m, std::span<const std::uint8_t> payload);

}  // namespace wasmio::detail
