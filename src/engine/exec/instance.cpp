// Instance accessors: exports by name and the instance's index spaces.
#include "exec/instantiate.h"
#include "exec/runtime.h"

namespace wasmio {

void* Instance::operator new(std::size_t size) {
  void* p = detail::hook_allocate(size, alignof(Instance));
  if (p == nullptr) detail::out_of_host_memory();
  return p;
}
void Instance::operator delete(void* pointer, std::size_t size) noexcept {
  detail::hook_deallocate(pointer, size, alignof(Instance));
}

Instance::Instance(Impl* impl) noexcept : impl_(impl) {}
Instance::~Instance() {
  detail::hook_delete(impl_);
}

const Module& Instance::module() const noexcept {
  return *impl_->module;
}
Store& Instance::store() const noexcept {
  return *impl_->store;
}

namespace detail {
Extern extern_of(const Instance::Impl& instance, ExternKind kind, std::uint32_t index) noexcept {
  switch (kind) {
    case ExternKind::kFunction:
      return Extern::of(instance.functions[index]);
    case ExternKind::kTable:
      return Extern::of(instance.tables[index]);
    case ExternKind::kMemory:
      return Extern::of(instance.memories[index]);
    case ExternKind::kGlobal:
      return Extern::of(instance.globals[index]);
  }
  return Extern{};
}
}  // namespace detail

Expected<Extern> Instance::find_export(std::string_view name) const noexcept {
  // Linear: export lists are short, and a lookup table would cost RAM per instance.
  for (const detail::ExportEntry& e : impl_->module->impl().exports) {
    if (e.name == name) return detail::extern_of(*impl_, e.kind, e.index);
  }
  return unexpected(ErrorCode::kExportNotFound);
}

FunctionInstance* Instance::exported_function(std::string_view name) const noexcept {
  auto e = find_export(name);
  return e && e->kind == ExternKind::kFunction ? e->function : nullptr;
}

MemoryInstance* Instance::memory(std::uint32_t index) const noexcept {
  return index < impl_->memories.size() ? impl_->memories[index] : nullptr;
}

FunctionInstance* Instance::function(std::uint32_t function_index) const noexcept {
  return function_index < impl_->functions.size() ? impl_->functions[function_index] : nullptr;
}

}  // namespace wasmio
