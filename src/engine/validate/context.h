// Internal: what module-level validation computes once and every function body needs.
#pragma once

#include <cstdint>

#include "common/hook_allocator.h"
#include "module_impl.h"
#include "wasmio/expected.h"

namespace wasmio::detail {

struct ValidationContext {
  const Module::Impl& m;
  // C.refs: functions that occur outside function bodies (element segments, exports, global
  // and segment constant expressions); only these may be named by ref.func in code.
  Vec<std::uint8_t> declared_functions;
  // C.datas: the number of data segments code may name (the data count section's value).
  std::uint32_t data_segment_count = 0;

  std::uint32_t function_count() const { return static_cast<std::uint32_t>(m.function_types.size()); }
  std::uint32_t table_count() const { return static_cast<std::uint32_t>(m.tables.size()); }
  std::uint32_t memory_count() const { return static_cast<std::uint32_t>(m.memories.size()); }
  std::uint32_t global_count() const { return static_cast<std::uint32_t>(m.globals.size()); }
  std::uint32_t type_count() const { return static_cast<std::uint32_t>(m.types.size()); }
  std::uint32_t elem_count() const { return static_cast<std::uint32_t>(m.elem_segments.size()); }
};

// Checks a constant expression against `expected` (Wasm 2.0: t.const, ref.null, ref.func, and
// global.get of an immutable imported global).
Expected<void> validate_const_expr(const ValidationContext& c, ConstExpr expr, ValType expected);

}  // namespace wasmio::detail
