// Import section (id 2). Imports open the index spaces of their kinds.
#include "decode/read_types.h"
#include "decode/sections.h"

namespace wasmio::detail {

Expected<void> decode_import_section(DecodeState& s, ByteReader& r) {
  Module::Impl& m = s.m;
  WASMIO_TRY_ASSIGN(count, r.count(1));
  m.imports.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    ImportEntry entry;
    WASMIO_TRY_ASSIGN(module, r.name());
    WASMIO_TRY_ASSIGN(name, r.name());
    entry.module = module;
    entry.name = name;
    const std::uint32_t kind_at = r.pos();
    WASMIO_TRY_ASSIGN(kind, r.u8());
    switch (kind) {
      case 0: {
        WASMIO_TRY_ASSIGN(type_index, r.u32());
        entry.type_index = type_index;
        m.function_types.push_back(type_index);
        ++m.imported_function_count;
        break;
      }
      case 1: {
        WASMIO_TRY_ASSIGN(table, read_table_type(r));
        entry.table = table;
        m.tables.push_back(table);
        ++m.imported_table_count;
        break;
      }
      case 2: {
        WASMIO_TRY_ASSIGN(memory, read_memory_type(r));
        entry.memory = memory;
        m.memories.push_back(memory);
        ++m.imported_memory_count;
        break;
      }
      case 3: {
        WASMIO_TRY_ASSIGN(global, read_global_type(r));
        entry.global = global;
        m.globals.push_back(GlobalEntry{global, ConstExpr{}});
        ++m.imported_global_count;
        break;
      }
      default:
        return unexpected(ErrorCode::kMalformedImportKind, kind_at);
    }
    entry.kind = static_cast<ExternKind>(kind);
    m.imports.push_back(entry);
  }
  return {};
}

}  // namespace wasmio::detail
