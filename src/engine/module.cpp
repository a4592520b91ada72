// The public Module: load orchestration (decode -> validate -> lower) and inspection accessors.
#include <algorithm>

#include "decode/decode.h"
#include "lower/lower.h"
#include "module_impl.h"
#include "validate/validate.h"

namespace wasmio {

void* Module::operator new(std::size_t size) {
  void* p = detail::hook_allocate(size, alignof(Module));
  if (p == nullptr) detail::out_of_host_memory();
  return p;
}

void Module::operator delete(void* pointer, std::size_t size) noexcept {
  detail::hook_deallocate(pointer, size, alignof(Module));
}

Module::Module(Impl* impl) noexcept : impl_(impl) {}

Module::~Module() { detail::hook_delete(impl_); }

Expected<std::unique_ptr<Module>> Module::load(std::span<const std::uint8_t> bytes,
                                               const LoadOptions& options) {
  Impl* impl = detail::hook_new<Impl>();
  if (options.copy_bytes) {
    impl->owned_bytes.assign(bytes.begin(), bytes.end());
    impl->bytes = std::span<const std::uint8_t>(impl->owned_bytes.data(), impl->owned_bytes.size());
  } else {
    impl->bytes = bytes;
  }
  // Owns impl from here on, so every early return below releases it.
  std::unique_ptr<Module> module(new Module(impl));

  WASMIO_TRY(detail::decode_module(*impl));
  impl->stage = LoadStage::kDecode;
  if (options.stage >= LoadStage::kValidate) {
    WASMIO_TRY(detail::validate_module(*impl));
    impl->stage = LoadStage::kValidate;
  }
  if (options.stage >= LoadStage::kLower) {
    WASMIO_TRY(detail::lower_module(*impl));
    impl->stage = LoadStage::kLower;
  }
  return module;
}

LoadStage Module::stage() const noexcept { return impl_->stage; }
std::span<const std::uint8_t> Module::bytes() const noexcept { return impl_->bytes; }

std::uint32_t Module::import_count() const noexcept {
  return static_cast<std::uint32_t>(impl_->imports.size());
}

ImportInfo Module::import(std::uint32_t index) const noexcept {
  ImportInfo info;
  if (index >= impl_->imports.size()) return info;
  const detail::ImportEntry& e = impl_->imports[index];
  info.module = e.module;
  info.name = e.name;
  info.kind = e.kind;
  // An unvalidated module (LoadStage::kDecode) may name a type that does not exist.
  if (e.kind == ExternKind::kFunction && e.type_index < impl_->types.size()) {
    info.function = impl_->types[e.type_index];
  }
  info.table = e.table;
  info.memory = e.memory;
  info.global = e.global;
  return info;
}

std::uint32_t Module::export_count() const noexcept {
  return static_cast<std::uint32_t>(impl_->exports.size());
}

ExportInfo Module::export_(std::uint32_t index) const noexcept {
  if (index >= impl_->exports.size()) return ExportInfo{};
  const detail::ExportEntry& e = impl_->exports[index];
  return ExportInfo{e.name, e.kind, e.index};
}

std::uint32_t Module::custom_section_count() const noexcept {
  return static_cast<std::uint32_t>(impl_->custom_sections.size());
}

CustomSection Module::custom_section(std::uint32_t index) const noexcept {
  if (index >= impl_->custom_sections.size()) return CustomSection{};
  return impl_->custom_sections[index];
}

std::uint32_t Module::function_count() const noexcept {
  return static_cast<std::uint32_t>(impl_->function_types.size());
}

FuncType Module::function_type(std::uint32_t function_index) const noexcept {
  if (function_index >= impl_->function_types.size()) return FuncType{};
  const std::uint32_t type_index = impl_->function_types[function_index];
  if (type_index >= impl_->types.size()) return FuncType{};
  return impl_->types[type_index];
}

std::string_view Module::function_name(std::uint32_t function_index) const noexcept {
  const auto& names = impl_->function_names;  // sorted by index (decode_name.cpp)
  auto it = std::lower_bound(names.begin(), names.end(), function_index,
                             [](const detail::NameEntry& e, std::uint32_t i) { return e.index < i; });
  if (it == names.end() || it->index != function_index) return {};
  return it->name;
}

std::string_view Module::module_name() const noexcept { return impl_->module_name; }

std::uint32_t Module::section_count() const noexcept {
  return static_cast<std::uint32_t>(impl_->sections.size());
}

Module::SectionInfo Module::section(std::uint32_t index) const noexcept {
  if (index >= impl_->sections.size()) return SectionInfo{0, 0, 0};
  return impl_->sections[index];
}

}  // namespace wasmio
