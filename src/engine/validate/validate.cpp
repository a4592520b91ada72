// Module-level validation (spec 3.4.10) in the reference interpreter's order: imports and
// limits, globals, element and data segments, function bodies, start, exports, memory count.
#include "validate/validate.h"

#include <algorithm>

#include "decode/instr_reader.h"
#include "validate/context.h"
#include "validate/func_validator.h"

namespace wasmio::detail {
namespace {

constexpr std::uint64_t kMaxTableSize = 0xFFFFFFFFull;

Expected<void> check_limits(const Limits& l, std::uint64_t range, ErrorCode too_large,
                            std::uint32_t at) {
  if (l.min > range) return unexpected(too_large, at);
  if (l.has_max && l.max > range) return unexpected(too_large, at);
  if (l.has_max && l.min > l.max) return unexpected(ErrorCode::kLimitsMinGreaterThanMax, at);
  return {};
}

// A memory type: page size 1 or 64 KiB (custom-page-sizes proposal), at most 4 GiB in pages.
Expected<void> check_memory_type(const MemoryType& t, std::uint32_t at) {
  if (t.page_size_log2 != 0 && t.page_size_log2 != kDefaultPageSizeLog2) {
    return unexpected(ErrorCode::kInvalidPageSize, at);
  }
  const std::uint64_t max_pages = (std::uint64_t{1} << 32) >> t.page_size_log2;
  return check_limits(t.limits, max_pages, ErrorCode::kMemorySizeTooLarge, at);
}

// The payload offset of the first section with `id` (for errors about its entries).
std::uint32_t section_offset(const Module::Impl& m, std::uint8_t id) {
  for (const Module::SectionInfo& s : m.sections) {
    if (s.id == id) return s.offset;
  }
  return 0;
}

// Marks the functions named by ref.func in a (decoded) constant expression.
void declare_ref_funcs(const Module::Impl& m, ConstExpr expr, Vec<std::uint8_t>& declared) {
  ByteReader r = ByteReader(m.bytes).nested(expr.offset, expr.offset + expr.size);
  while (!r.at_end()) {
    auto in = read_instr(r);
    if (!in) return;
    if (in->op == Opcode::ref_func && in->index < declared.size()) declared[in->index] = 1;
  }
}

void compute_declared_functions(ValidationContext& c) {
  const Module::Impl& m = c.m;
  c.declared_functions.assign(m.function_types.size(), 0);
  for (const ElemSegment& seg : m.elem_segments) {
    for (std::uint32_t f : seg.function_indices) {
      if (f < c.declared_functions.size()) c.declared_functions[f] = 1;
    }
    for (const ConstExpr& e : seg.expressions) declare_ref_funcs(m, e, c.declared_functions);
  }
  for (const ExportEntry& e : m.exports) {
    if (e.kind == ExternKind::kFunction && e.index < c.declared_functions.size()) {
      c.declared_functions[e.index] = 1;
    }
  }
  for (std::size_t g = m.imported_global_count; g < m.globals.size(); ++g) {
    declare_ref_funcs(m, m.globals[g].init, c.declared_functions);
  }
}

Expected<void> validate_imports(const ValidationContext& c) {
  const Module::Impl& m = c.m;
  const std::uint32_t at = section_offset(m, 2);
  for (std::uint32_t i = 0; i < m.imports.size(); ++i) {
    const ImportEntry& imp = m.imports[i];
    switch (imp.kind) {
      case ExternKind::kFunction:
        if (imp.type_index >= c.type_count()) return unexpected(ErrorCode::kUnknownType, at, i);
        break;
      case ExternKind::kTable:
        WASMIO_TRY(check_limits(imp.table.limits, kMaxTableSize, ErrorCode::kTableSizeTooLarge, at));
        break;
      case ExternKind::kMemory:
        WASMIO_TRY(check_memory_type(imp.memory, at));
        break;
      case ExternKind::kGlobal:
        break;
    }
  }
  return {};
}

Expected<void> validate_segments(const ValidationContext& c) {
  const Module::Impl& m = c.m;
  for (std::uint32_t i = 0; i < m.elem_segments.size(); ++i) {
    const ElemSegment& seg = m.elem_segments[i];
    for (std::uint32_t f : seg.function_indices) {
      if (f >= c.function_count()) {
        return unexpected(ErrorCode::kUnknownFunction, seg.section_offset, i);
      }
    }
    for (const ConstExpr& e : seg.expressions) {
      WASMIO_TRY(validate_const_expr(c, e, seg.type));
    }
    if (seg.mode == SegmentMode::kActive) {
      if (seg.table_index >= c.table_count()) {
        return unexpected(ErrorCode::kUnknownTable, seg.section_offset, i);
      }
      WASMIO_TRY(validate_const_expr(c, seg.offset, ValType::kI32));
      if (m.tables[seg.table_index].element != seg.type) {
        return unexpected(ErrorCode::kTypeMismatch, seg.section_offset, i);
      }
    }
  }
  for (std::uint32_t i = 0; i < m.data_segments.size(); ++i) {
    const DataSegment& seg = m.data_segments[i];
    if (seg.mode != SegmentMode::kActive) continue;
    if (seg.memory_index >= c.memory_count()) {
      return unexpected(ErrorCode::kUnknownMemory, seg.section_offset, i);
    }
    WASMIO_TRY(validate_const_expr(c, seg.offset, ValType::kI32));
  }
  return {};
}

Expected<void> validate_exports(const ValidationContext& c) {
  const Module::Impl& m = c.m;
  const std::uint32_t at = section_offset(m, 7);
  for (std::uint32_t i = 0; i < m.exports.size(); ++i) {
    const ExportEntry& e = m.exports[i];
    switch (e.kind) {
      case ExternKind::kFunction:
        if (e.index >= c.function_count()) return unexpected(ErrorCode::kUnknownFunction, at, i);
        break;
      case ExternKind::kTable:
        if (e.index >= c.table_count()) return unexpected(ErrorCode::kUnknownTable, at, i);
        break;
      case ExternKind::kMemory:
        if (e.index >= c.memory_count()) return unexpected(ErrorCode::kUnknownMemory, at, i);
        break;
      case ExternKind::kGlobal:
        if (e.index >= c.global_count()) return unexpected(ErrorCode::kUnknownGlobal, at, i);
        break;
    }
  }
  // Names must be unique: sort a copy and compare neighbours (O(n log n), no hashing).
  Vec<std::string_view> names;
  names.reserve(m.exports.size());
  for (const ExportEntry& e : m.exports) names.push_back(e.name);
  std::sort(names.begin(), names.end());
  for (std::size_t i = 1; i < names.size(); ++i) {
    if (names[i] == names[i - 1]) return unexpected(ErrorCode::kDuplicateExportName, at);
  }
  return {};
}

}  // namespace

Expected<void> validate_module(const Module::Impl& m) {
  ValidationContext c{m, {}, 0};
  c.data_segment_count =
      m.data_count ? *m.data_count : static_cast<std::uint32_t>(m.data_segments.size());

  WASMIO_TRY(validate_imports(c));
  compute_declared_functions(c);

  for (std::size_t g = m.imported_global_count; g < m.globals.size(); ++g) {
    WASMIO_TRY(validate_const_expr(c, m.globals[g].init, m.globals[g].type.type));
  }
  const std::uint32_t table_at = section_offset(m, 4);
  for (std::size_t t = m.imported_table_count; t < m.tables.size(); ++t) {
    WASMIO_TRY(check_limits(m.tables[t].limits, kMaxTableSize, ErrorCode::kTableSizeTooLarge,
                            table_at));
  }
  const std::uint32_t memory_at = section_offset(m, 5);
  for (std::size_t i = m.imported_memory_count; i < m.memories.size(); ++i) {
    WASMIO_TRY(check_memory_type(m.memories[i], memory_at));
  }
  WASMIO_TRY(validate_segments(c));

  // Every function's type first: a body may call a function defined after it.
  const std::uint32_t function_at = section_offset(m, 3);
  for (std::uint32_t f = m.imported_function_count; f < m.function_types.size(); ++f) {
    if (m.function_types[f] >= c.type_count()) {
      return unexpected(ErrorCode::kUnknownType, function_at, f);
    }
  }
  FunctionValidator functions(c);
  for (std::uint32_t i = 0; i < m.bodies.size(); ++i) {
    WASMIO_TRY(functions.validate(i));
  }

  if (m.start_function) {
    const std::uint32_t at = section_offset(m, 8);
    const std::uint32_t f = *m.start_function;
    if (f >= c.function_count()) return unexpected(ErrorCode::kUnknownFunction, at, f);
    const std::uint32_t type_index = m.function_types[f];
    if (type_index >= c.type_count()) return unexpected(ErrorCode::kUnknownType, at, f);
    const FuncType& ft = m.types[type_index];
    if (!ft.params.empty() || !ft.results.empty()) {
      return unexpected(ErrorCode::kStartFunction, at, f);
    }
  }
  WASMIO_TRY(validate_exports(c));
  if (m.memories.size() > 1) {
    return unexpected(ErrorCode::kMultipleMemories, section_offset(m, 5));
  }
  return {};
}

}  // namespace wasmio::detail
