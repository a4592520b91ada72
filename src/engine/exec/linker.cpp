// Linker: (module, name) -> extern. Names are copied into one character pool, so definitions
// stay valid after the caller's strings (or a registered instance's module) are gone.
#include <string_view>

#include "common/hook_allocator.h"
#include "exec/instantiate.h"
#include "exec/runtime.h"

namespace wasmio {

struct Linker::Impl {
  struct Entry {
    std::uint32_t module_offset;
    std::uint32_t module_size;
    std::uint32_t name_offset;
    std::uint32_t name_size;
    Extern value;
  };
  detail::Vec<char> names;
  detail::Vec<Entry> entries;

  std::uint32_t add_name(std::string_view s) {
    const auto offset = static_cast<std::uint32_t>(names.size());
    names.insert(names.end(), s.begin(), s.end());
    return offset;
  }
  std::string_view name_at(std::uint32_t offset, std::uint32_t size) const {
    return {names.data() + offset, size};
  }
  // The newest definition of (module, name), or nullptr.
  const Entry* find(std::string_view module, std::string_view name) const {
    for (std::size_t i = entries.size(); i-- > 0;) {
      const Entry& e = entries[i];
      if (name_at(e.name_offset, e.name_size) == name &&
          name_at(e.module_offset, e.module_size) == module) {
        return &e;
      }
    }
    return nullptr;
  }
};

Linker::Linker() : impl_(detail::hook_new<Impl>()) {}
Linker::~Linker() {
  detail::hook_delete(impl_);
}

void Linker::define(std::string_view module, std::string_view name, Extern value) {
  // A redefinition replaces the old one in place, so re-registering does not grow the linker.
  for (Impl::Entry& e : impl_->entries) {
    if (impl_->name_at(e.name_offset, e.name_size) == name &&
        impl_->name_at(e.module_offset, e.module_size) == module) {
      e.value = value;
      return;
    }
  }
  Impl::Entry entry{};
  entry.module_offset = impl_->add_name(module);
  entry.module_size = static_cast<std::uint32_t>(module.size());
  entry.name_offset = impl_->add_name(name);
  entry.name_size = static_cast<std::uint32_t>(name.size());
  entry.value = value;
  impl_->entries.push_back(entry);
}

void Linker::define_instance(std::string_view module, const Instance& instance) {
  for (const detail::ExportEntry& e : instance.module().impl().exports) {
    define(module, e.name, detail::extern_of(instance.impl(), e.kind, e.index));
  }
}

Expected<void> Linker::resolve(const Module& module, Extern* out, std::uint32_t out_count) const {
  const auto& imports = module.impl().imports;
  if (out_count < imports.size()) return unexpected(ErrorCode::kArgumentMismatch);
  for (std::uint32_t i = 0; i < imports.size(); ++i) {
    const Impl::Entry* e = impl_->find(imports[i].module, imports[i].name);
    if (e == nullptr) return unexpected(ErrorCode::kUnknownImport, 0, i);
    out[i] = e->value;
  }
  return {};
}

}  // namespace wasmio
