// wasmio inspect FILE.wasm: the module's structure. Needs only a successful decode, so it also
// describes modules that do not validate.
#include <memory>
#include <string>

#include <fmt/format.h>

#include "commands.h"
#include "driver_text.h"
#include "module_file.h"

namespace wasmio::cli {
namespace {

const char* section_name(std::uint8_t id) {
  static constexpr const char* kNames[] = {"custom", "type",     "import", "function", "table",
                                           "memory", "global",   "export", "start",    "element",
                                           "code",   "data",     "datacount"};
  return id < std::size(kNames) ? kNames[id] : "?";
}

std::string describe_types(std::span<const ValType> types) {
  std::string s = "(";
  for (std::size_t i = 0; i < types.size(); ++i) {
    s += fmt::format("{}{}", i ? " " : "", valtype_name(types[i]));
  }
  return s + ")";
}

std::string describe_limits(const Limits& limits) {
  if (limits.has_max) return fmt::format("min {} max {}", limits.min, limits.max);
  return fmt::format("min {}", limits.min);
}

std::string describe_import(const ImportInfo& info) {
  switch (info.kind) {
    case ExternKind::kFunction:
      return fmt::format("func {} -> {}", describe_types(info.function.params),
                         describe_types(info.function.results));
    case ExternKind::kTable:
      return fmt::format("table {} {}", valtype_name(info.table.element),
                         describe_limits(info.table.limits));
    case ExternKind::kMemory: return fmt::format("memory {}", describe_limits(info.memory.limits));
    case ExternKind::kGlobal:
      return fmt::format("global {}{}", info.global.mutable_ ? "mut " : "",
                         valtype_name(info.global.type));
  }
  return "?";
}

int inspect(const std::string& file) {
  std::unique_ptr<Module> module = load_module_file(file, LoadStage::kDecode);
  if (!module) return 1;
  const Module& m = *module;

  fmt::print("module {} ({} bytes)", file, m.bytes().size());
  if (!m.module_name().empty()) fmt::print(" name \"{}\"", m.module_name());
  fmt::print("\n");

  fmt::print("sections: {}\n", m.section_count());
  for (std::uint32_t i = 0; i < m.section_count(); ++i) {
    Module::SectionInfo s = m.section(i);
    fmt::print("  {:2} {:<9} offset 0x{:06x} size {}\n", s.id, section_name(s.id), s.offset, s.size);
  }

  fmt::print("imports: {}\n", m.import_count());
  for (std::uint32_t i = 0; i < m.import_count(); ++i) {
    ImportInfo info = m.import(i);
    fmt::print("  {:3} {}.{}: {}\n", i, info.module, info.name, describe_import(info));
  }

  fmt::print("exports: {}\n", m.export_count());
  for (std::uint32_t i = 0; i < m.export_count(); ++i) {
    ExportInfo info = m.export_(i);
    std::string detail;
    if (info.kind == ExternKind::kFunction && info.index < m.function_count()) {
      FuncType type = m.function_type(info.index);
      detail = fmt::format(" {} -> {}", describe_types(type.params), describe_types(type.results));
    }
    fmt::print("  {:3} \"{}\": {} {}{}\n", i, info.name, extern_kind_name(info.kind), info.index,
               detail);
  }

  fmt::print("custom sections: {}\n", m.custom_section_count());
  for (std::uint32_t i = 0; i < m.custom_section_count(); ++i) {
    CustomSection c = m.custom_section(i);
    fmt::print("  \"{}\" offset 0x{:06x} size {}\n", c.name, c.offset, c.bytes.size());
  }

  fmt::print("{}", describe_manifest_section(m));

  std::uint32_t named = 0;
  for (std::uint32_t i = 0; i < m.function_count(); ++i) {
    if (!m.function_name(i).empty()) ++named;
  }
  fmt::print("functions: {} ({} named)\n", m.function_count(), named);
  return 0;
}

}  // namespace

void add_inspect_command(CLI::App& app, int* exit_status) {
  auto file = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "inspect", "list sections, imports, exports, custom sections and function names");
  cmd->add_option("FILE", *file, "the .wasm module")->required();
  cmd->callback([file, exit_status] { *exit_status = inspect(*file); });
}

}  // namespace wasmio::cli
