// Internal: the decoded module, the contract between the pipeline stages.
//
//   decode/   fills everything below except `lowered`, checking only the binary format
//             (malformed). Byte ranges (ConstExpr, FunctionBody) point into `bytes`.
//   validate/ checks the typing rules on this structure and the code (invalid); it never
//             modifies it. Later stages may assume everything validate checks.
//   lower/    translates validated function bodies into `lowered` for the interpreter.
//   exec/     instantiates and runs.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "common/hook_allocator.h"
#include "wasmio/engine.h"

namespace wasmio {

namespace detail {
struct LoweredModule;  // lower/lowered_code.h
void destroy_lowered_module(LoweredModule* lowered) noexcept;

// A byte range [offset, offset + size) of the module binary.
struct ByteRange {
  std::uint32_t offset = 0;
  std::uint32_t size = 0;
};

// A constant expression: the bytes of its instructions including the final `end`.
using ConstExpr = ByteRange;

struct TypeEntry {
  std::uint32_t params_begin = 0;  // into Module::Impl::type_pool
  std::uint32_t params_count = 0;
  std::uint32_t results_begin = 0;
  std::uint32_t results_count = 0;
};

struct ImportEntry {
  std::string_view module;
  std::string_view name;
  ExternKind kind = ExternKind::kFunction;
  std::uint32_t type_index = 0;  // kind == kFunction
  TableType table;
  MemoryType memory;
  GlobalType global;
};

struct ExportEntry {
  std::string_view name;
  ExternKind kind = ExternKind::kFunction;
  std::uint32_t index = 0;
};

struct GlobalEntry {
  GlobalType type;
  ConstExpr init;  // defined globals only
};

enum class SegmentMode : std::uint8_t { kActive, kPassive, kDeclarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::kActive;
  std::uint32_t table_index = 0;
  ConstExpr offset;                    // active only
  ValType type = ValType::kFuncRef;
  bool uses_expressions = false;       // flags 4..7: init is a vector of expressions
  Vec<std::uint32_t> function_indices;  // !uses_expressions
  Vec<ConstExpr> expressions;           // uses_expressions
  std::uint32_t section_offset = 0;     // for error locations
};

struct DataSegment {
  SegmentMode mode = SegmentMode::kActive;  // never kDeclarative
  std::uint32_t memory_index = 0;
  ConstExpr offset;  // active only
  ByteRange init;    // the data bytes
  std::uint32_t section_offset = 0;
};

struct LocalGroup {
  std::uint32_t count = 0;
  ValType type = ValType::kI32;
};

struct FunctionBody {
  ByteRange body;                   // the whole body after its size LEB
  std::uint32_t code_offset = 0;    // first instruction (after the local declarations)
  std::uint32_t code_end = 0;       // one past the final `end`
  std::uint32_t locals_begin = 0;   // into Module::Impl::local_groups
  std::uint32_t locals_count = 0;   // number of groups
  std::uint64_t local_total = 0;    // number of declared locals (not counting params)
};

struct NameEntry {
  std::uint32_t index = 0;
  std::string_view name;
};

}  // namespace detail

struct Module::Impl {
  detail::Vec<std::uint8_t> owned_bytes;  // when LoadOptions::copy_bytes
  std::span<const std::uint8_t> bytes;
  LoadStage stage = LoadStage::kDecode;

  detail::Vec<Module::SectionInfo> sections;  // every section in file order
  detail::Vec<CustomSection> custom_sections;

  // Type section. FuncType spans in `types` point into `type_pool` (built once, never resized).
  detail::Vec<ValType> type_pool;
  detail::Vec<detail::TypeEntry> type_entries;
  detail::Vec<FuncType> types;

  detail::Vec<detail::ImportEntry> imports;

  // Index spaces, imports first.
  detail::Vec<std::uint32_t> function_types;  // type index of each function
  std::uint32_t imported_function_count = 0;
  detail::Vec<TableType> tables;
  std::uint32_t imported_table_count = 0;
  detail::Vec<MemoryType> memories;
  std::uint32_t imported_memory_count = 0;
  detail::Vec<detail::GlobalEntry> globals;
  std::uint32_t imported_global_count = 0;

  detail::Vec<detail::ExportEntry> exports;
  std::optional<std::uint32_t> start_function;
  detail::Vec<detail::ElemSegment> elem_segments;
  std::optional<std::uint32_t> data_count;
  detail::Vec<detail::DataSegment> data_segments;

  // Code section: one body per defined function (function index - imported_function_count).
  detail::Vec<detail::FunctionBody> bodies;
  detail::Vec<detail::LocalGroup> local_groups;

  // Name section (when present and well-formed; a malformed name section is ignored, as the
  // spec allows for custom sections).
  std::string_view module_name;
  detail::Vec<detail::NameEntry> function_names;  // sorted by index

  // Filled by lower/.
  detail::LoweredModule* lowered = nullptr;

  ~Impl() { detail::destroy_lowered_module(lowered); }

  FuncType function_type(std::uint32_t function_index) const {
    return types[function_types[function_index]];
  }
};

}  // namespace wasmio
