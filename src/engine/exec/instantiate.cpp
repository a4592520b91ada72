// Store::instantiate: the spec's module instantiation (Wasm 2.0, section 4.5.4).
//
// Ownership on failure:
//  - Errors before any side effect (wrong import count, import mismatch, instance limits,
//    host memory) free everything this call allocated; the store is unchanged except for
//    canonical function types, which are shared and immutable.
//  - From segment initialisation on, writes may already be visible through imported tables and
//    memories (Wasm 2.0 applies segments in order until the failing one, and a trapping start
//    function keeps its effects), and functions of the new instance may sit in an imported
//    table. So the new objects and the instance are committed to the store first and stay owned
//    by it until it dies; the caller only gets the error, never the half-initialised instance.
#include "exec/instantiate.h"

#include <cstring>
#include <optional>

#include "exec/const_expr.h"
#include "exec/runtime.h"
#include "lower/lowered_code.h"

namespace wasmio {
namespace detail {

bool limits_match(const Limits& actual, const Limits& expected) noexcept {
  if (actual.min < expected.min) return false;
  if (!expected.has_max) return true;
  return actual.has_max && actual.max <= expected.max;
}

bool extern_matches(const Extern& value, const ImportEntry& import,
                    const FuncType& import_func_type) noexcept {
  if (value.kind != import.kind || value.object == nullptr) return false;
  switch (import.kind) {
    case ExternKind::kFunction:
      return value.function->type == import_func_type;
    case ExternKind::kTable: {
      const TableInstance& t = *value.table;
      const Limits actual{t.elements.size(), t.type.limits.max, t.type.limits.has_max};
      return t.type.element == import.table.element && limits_match(actual, import.table.limits);
    }
    case ExternKind::kMemory: {
      const MemoryInstance& mem = *value.memory;
      const Limits actual{mem.pages(), mem.type.limits.max, mem.type.limits.has_max};
      return mem.type.page_size_log2 == import.memory.page_size_log2 &&
             limits_match(actual, import.memory.limits);
    }
    case ExternKind::kGlobal:
      return value.global->type.type == import.global.type &&
             value.global->type.mutable_ == import.global.mutable_;
  }
  return false;
}

}  // namespace detail

namespace {

using detail::hook_delete;
using detail::hook_new;

std::string_view function_debug_name(const Module& module, std::uint32_t index) {
  const auto& names = module.impl().function_names;  // sorted by index
  std::size_t lo = 0, hi = names.size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (names[mid].index < index) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < names.size() && names[lo].index == index ? names[lo].name : std::string_view{};
}

// Frees the tables and memories an uncommitted instantiation created (those after the imports);
// functions and globals go with the instance.
void discard(Instance::Impl* impl, const Module& module) {
  const auto& m = module.impl();
  for (std::size_t i = m.imported_table_count; i < impl->tables.size(); ++i)
    hook_delete(impl->tables[i]);
  for (std::size_t i = m.imported_memory_count; i < impl->memories.size(); ++i)
    hook_delete(impl->memories[i]);
}

// An offset expression's value as the unsigned 32-bit index it denotes.
Expected<std::uint64_t> segment_offset(const Module& module, detail::ConstExpr expr,
                                       const detail::ConstExprScope& scope) {
  WASMIO_TRY_ASSIGN(v, detail::evaluate_const_expr(module.impl().bytes, expr, scope));
  if (v.type != ValType::kI32) return unexpected(ErrorCode::kTypeMismatch, expr.offset);
  return std::uint64_t{v.of.i32};
}

}  // namespace

Expected<Instance*> Store::instantiate(const Module& module, std::span<const Extern> imports,
                                       const InstanceOptions& options) {
  const auto& m = module.impl();
  // Only lowered modules can run; a Wasm function without code would crash the interpreter.
  const std::size_t defined_functions = m.function_types.size() - m.imported_function_count;
  if (m.stage != LoadStage::kLower ||
      (defined_functions != 0 &&
       (m.lowered == nullptr || m.lowered->functions.size() != defined_functions))) {
    return unexpected(ErrorCode::kArgumentMismatch);
  }
  if (imports.size() != m.imports.size()) return unexpected(ErrorCode::kArgumentMismatch);
  // A busy execution could not run the start function; say so before anything is changed.
  if (m.start_function && options.execution != nullptr &&
      options.execution->state() == RunState::kSuspended) {
    return unexpected(ErrorCode::kBusy);
  }

  // Imports: external type matching (limits subtyping for tables and memories).
  for (std::uint32_t i = 0; i < m.imports.size(); ++i) {
    const detail::ImportEntry& import = m.imports[i];
    const FuncType import_func_type =
        import.kind == ExternKind::kFunction ? m.types[import.type_index] : FuncType{};
    if (!detail::extern_matches(imports[i], import, import_func_type)) {
      return unexpected(ErrorCode::kIncompatibleImportType, 0, i);
    }
  }

  auto* impl = hook_new<Instance::Impl>();
  impl->store = this;
  impl->module = &module;
  auto* instance = new Instance(impl);
  // Until committed, a failure frees what was built so far.
  auto fail = [&](Error error) -> Expected<Instance*> {
    discard(impl, module);
    delete instance;  // also frees impl
    return unexpected(error);
  };

  impl->type_ids.reserve(m.types.size());
  for (const FuncType& type : m.types) impl->type_ids.push_back(impl_->intern(type));

  impl->functions.reserve(m.function_types.size());
  impl->tables.reserve(m.tables.size());
  impl->memories.reserve(m.memories.size());
  impl->globals.reserve(m.globals.size());
  for (const Extern& e : imports) {
    switch (e.kind) {
      case ExternKind::kFunction:
        impl->functions.push_back(e.function);
        break;
      case ExternKind::kTable:
        impl->tables.push_back(e.table);
        break;
      case ExternKind::kMemory:
        impl->memories.push_back(e.memory);
        break;
      case ExternKind::kGlobal:
        impl->globals.push_back(e.global);
        break;
    }
  }

  // Function instances for the defined functions, in one block.
  impl->defined_functions.resize(defined_functions);
  for (std::uint32_t index = m.imported_function_count; index < m.function_types.size(); ++index) {
    FunctionInstance* f = &impl->defined_functions[index - m.imported_function_count];
    f->type_id = impl->type_ids[m.function_types[index]];
    f->type = impl_->canonical_types[f->type_id];  // store-owned spans
    f->instance = instance;
    f->index = index;
    f->code = &m.lowered->functions[index - m.imported_function_count];
    f->debug_name = function_debug_name(module, index);
    impl->functions.push_back(f);
  }

  for (std::uint32_t i = m.imported_table_count; i < m.tables.size(); ++i) {
    auto table = detail::create_table(m.tables[i], options.limits.max_table_elements, 0);
    if (!table) return fail(make_error(table.error().code, 0, i));
    impl->tables.push_back(*table);
  }
  for (std::uint32_t i = m.imported_memory_count; i < m.memories.size(); ++i) {
    auto memory = detail::create_memory(m.memories[i], options.limits.max_memory_pages,
                                        options.limits.max_memory_bytes);
    if (!memory) return fail(make_error(memory.error().code, 0, i));
    impl->memories.push_back(*memory);
  }

  // Globals, in order: an initialiser sees the functions and the globals before it.
  impl->defined_globals.resize(m.globals.size() - m.imported_global_count);
  for (std::uint32_t i = m.imported_global_count; i < m.globals.size(); ++i) {
    const detail::ConstExprScope scope{impl->functions, impl->globals};
    auto value = detail::evaluate_const_expr(m.bytes, m.globals[i].init, scope);
    if (!value) return fail(value.error());
    GlobalInstance* g = &impl->defined_globals[i - m.imported_global_count];
    g->type = m.globals[i].type;
    detail::set_global_value(*g, *value);
    impl->globals.push_back(g);
  }
  const detail::ConstExprScope scope{impl->functions, impl->globals};

  // Element segments' references. Declarative segments are dropped at once, so they keep none.
  impl->elems.resize(m.elem_segments.size());
  for (std::size_t s = 0; s < m.elem_segments.size(); ++s) {
    const detail::ElemSegment& seg = m.elem_segments[s];
    if (seg.mode == detail::SegmentMode::kDeclarative) continue;
    detail::Vec<RefWord>& refs = impl->elems[s].refs;
    if (seg.uses_expressions) {
      refs.reserve(seg.expressions.size());
      for (const detail::ConstExpr& expr : seg.expressions) {
        auto value = detail::evaluate_const_expr(m.bytes, expr, scope);
        if (!value) return fail(value.error());
        refs.push_back(value->of.ref);
      }
    } else {
      refs.reserve(seg.function_indices.size());
      for (std::uint32_t f : seg.function_indices) {
        if (f >= impl->functions.size())
          return fail(make_error(ErrorCode::kUnknownFunction, seg.section_offset));
        refs.push_back(reinterpret_cast<RefWord>(impl->functions[f]));
      }
    }
  }
  impl->data_dropped.assign(m.data_segments.size(), 0);
  impl->memory0 = impl->memories.empty() ? nullptr : impl->memories[0];

  // Commit: from here on the store owns everything (see the file comment).
  for (std::size_t i = m.imported_table_count; i < impl->tables.size(); ++i)
    impl_->tables.push_back(impl->tables[i]);
  for (std::size_t i = m.imported_memory_count; i < impl->memories.size(); ++i)
    impl_->memories.push_back(impl->memories[i]);
  impl_->instances.push_back(instance);

  // Active element segments: table.init then elem.drop, in order; the first out-of-bounds
  // segment stops instantiation with the earlier ones applied.
  for (std::uint32_t s = 0; s < m.elem_segments.size(); ++s) {
    const detail::ElemSegment& seg = m.elem_segments[s];
    detail::Vec<RefWord>& refs = impl->elems[s].refs;
    if (seg.mode == detail::SegmentMode::kActive) {
      WASMIO_TRY_ASSIGN(offset, segment_offset(module, seg.offset, scope));
      TableInstance& table = *impl->tables[seg.table_index];
      if (offset + refs.size() > table.elements.size()) {
        return unexpected(ErrorCode::kOutOfBoundsTableAccess, seg.section_offset, s);
      }
      std::copy(refs.begin(), refs.end(),
                table.elements.begin() + static_cast<std::ptrdiff_t>(offset));
    }
    if (seg.mode != detail::SegmentMode::kPassive) detail::Vec<RefWord>().swap(refs);  // drop
  }

  // Active data segments: memory.init then data.drop, in order.
  for (std::uint32_t s = 0; s < m.data_segments.size(); ++s) {
    const detail::DataSegment& seg = m.data_segments[s];
    if (seg.mode != detail::SegmentMode::kActive) continue;
    WASMIO_TRY_ASSIGN(offset, segment_offset(module, seg.offset, scope));
    MemoryInstance& memory = *impl->memories[seg.memory_index];
    if (offset + seg.init.size > memory.size) {
      return unexpected(ErrorCode::kOutOfBoundsMemoryAccess, seg.section_offset, s);
    }
    if (seg.init.size != 0)
      std::memcpy(memory.data + offset, m.bytes.data() + seg.init.offset, seg.init.size);
    impl->data_dropped[s] = 1;
  }

  if (m.start_function) {
    FunctionInstance* start = impl->functions[*m.start_function];
    std::optional<Execution> temporary;
    Execution* execution = options.execution;
    if (execution == nullptr) execution = &temporary.emplace();
    WASMIO_TRY_ASSIGN(state, execution->invoke(start, {}));
    if (state == RunState::kSuspended && execution != options.execution) {
      execution->abandon();
      return unexpected(ErrorCode::kStartSuspended, 0, *m.start_function);
    }
  }
  return instance;
}

}  // namespace wasmio
