// The store: owner of every runtime object, and the canonical function-type table that makes
// call_indirect's signature check a single integer comparison.
#include <cstring>

#include "common/hook_allocator.h"
#include "exec/const_expr.h"
#include "exec/device_access.h"
#include "exec/instantiate.h"
#include "exec/runtime.h"

namespace wasmio {

using detail::hook_delete;
using detail::hook_new;

void* Store::operator new(std::size_t size) {
  void* p = detail::hook_allocate(size, alignof(Store));
  if (p == nullptr) detail::out_of_host_memory();
  return p;
}
void Store::operator delete(void* pointer, std::size_t size) noexcept {
  detail::hook_deallocate(pointer, size, alignof(Store));
}

Store::Store() : impl_(hook_new<Impl>()) {}

Store::~Store() {
  // Instances first (they only refer to objects), then the objects, newest first.
  for (std::size_t i = impl_->instances.size(); i-- > 0;) {
    delete impl_->instances[i];  // Instance's operator delete returns it to the hook
  }
  for (std::size_t i = impl_->functions.size(); i-- > 0;) hook_delete(impl_->functions[i]);
  for (std::size_t i = impl_->tables.size(); i-- > 0;) hook_delete(impl_->tables[i]);
  for (std::size_t i = impl_->memories.size(); i-- > 0;) hook_delete(impl_->memories[i]);
  for (std::size_t i = impl_->globals.size(); i-- > 0;) hook_delete(impl_->globals[i]);
  for (auto* storage : impl_->host_type_storage) hook_delete(storage);
  hook_delete(impl_);
}

std::uint32_t Store::Impl::intern(const FuncType& type) {
  for (std::size_t i = 0; i < canonical_types.size(); ++i) {
    if (canonical_types[i] == type) return static_cast<std::uint32_t>(i);
  }
  // A private copy: the id (and the spans handed out for it) must outlive the module that
  // introduced the type.
  auto* storage = hook_new<detail::Vec<ValType>>();
  storage->reserve(type.params.size() + type.results.size());
  storage->insert(storage->end(), type.params.begin(), type.params.end());
  storage->insert(storage->end(), type.results.begin(), type.results.end());
  host_type_storage.push_back(storage);
  const std::span<const ValType> all(storage->data(), storage->size());
  canonical_types.push_back(
      FuncType{all.first(type.params.size()), all.subspan(type.params.size())});
  return static_cast<std::uint32_t>(canonical_types.size() - 1);
}

FunctionInstance* Store::add_host_function(const FuncType& type, HostFunction function,
                                           void* user_data, std::string_view debug_name) {
  auto* f = hook_new<FunctionInstance>();
  f->type_id = impl_->intern(type);
  f->type = impl_->canonical_types[f->type_id];
  f->host = function;
  f->user_data = user_data;
  f->debug_name = debug_name;
  impl_->functions.push_back(f);
  return f;
}

Expected<GlobalInstance*> Store::add_global(GlobalType type, Value initial) {
  if (initial.type != type.type) return unexpected(ErrorCode::kArgumentMismatch);
  auto* g = hook_new<GlobalInstance>();
  g->type = type;
  detail::set_global_value(*g, initial);
  impl_->globals.push_back(g);
  return g;
}

Expected<MemoryInstance*> Store::add_memory(MemoryType type) {
  WASMIO_TRY_ASSIGN(memory, detail::create_memory(type, InstanceLimits{}.max_memory_pages));
  impl_->memories.push_back(memory);
  return memory;
}

Expected<TableInstance*> Store::add_table(TableType type, RefWord initial) {
  if (!is_reftype(type.element)) return unexpected(ErrorCode::kArgumentMismatch);
  WASMIO_TRY_ASSIGN(table,
                    detail::create_table(type, InstanceLimits{}.max_table_elements, initial));
  impl_->tables.push_back(table);
  return table;
}

FuncType Store::function_type(const FunctionInstance* function) noexcept {
  return function->type;
}

Value Store::global_get(const GlobalInstance* global) noexcept {
  return detail::global_value(*global);
}

GlobalType Store::global_type(const GlobalInstance* global) noexcept {
  return global->type;
}

Expected<void> Store::global_set(GlobalInstance* global, Value value) noexcept {
  if (!global->type.mutable_) return unexpected(ErrorCode::kGlobalIsImmutable);
  if (value.type != global->type.type) return unexpected(ErrorCode::kArgumentMismatch);
  detail::set_global_value(*global, value);
  return {};
}

std::span<std::uint8_t> Store::memory_data(MemoryInstance* memory) noexcept {
  return {memory->data, static_cast<std::size_t>(memory->size)};
}

std::uint64_t Store::memory_pages(const MemoryInstance* memory) noexcept {
  return memory->pages();
}

bool Store::set_out_of_bounds_handler(MemoryInstance* memory,
                                      const OutOfBoundsHandler& handler) noexcept {
  return detail::install_out_of_bounds_handler(*memory, handler);
}

std::uint64_t Store::table_size(const TableInstance* table) noexcept {
  return table->elements.size();
}

Expected<RefWord> Store::table_get(const TableInstance* table, std::uint64_t index) noexcept {
  if (index >= table->elements.size()) return unexpected(ErrorCode::kOutOfBoundsTableAccess);
  return table->elements[static_cast<std::size_t>(index)];
}

}  // namespace wasmio
