// Internal: the allocator hook, objects and arrays (Vec, common/vec.h) that take memory from it.
#pragma once

#include <cstddef>
#include <new>
#include <string_view>

#include "wasmio/allocator.h"

namespace wasmio::detail {

void* hook_allocate(std::size_t size, std::size_t align) noexcept;
void hook_deallocate(void* pointer, std::size_t size, std::size_t align) noexcept;

// Allocation failure has no exception to throw: it ends the program through the hook's
// out-of-memory path. Sizes that come from untrusted input are checked against limits before
// anything is allocated, so only genuine host exhaustion gets here.
[[noreturn]] void out_of_host_memory() noexcept;

// Constructs/destroys single objects through the hook.
template <typename T, typename... Args>
T* hook_new(Args&&... args) {
  void* p = hook_allocate(sizeof(T), alignof(T));
  if (p == nullptr) out_of_host_memory();
  return new (p) T(static_cast<Args&&>(args)...);
}
template <typename T>
void hook_delete(T* object) noexcept {
  if (object == nullptr) return;
  object->~T();
  hook_deallocate(object, sizeof(T), alignof(T));
}

}  // namespace wasmio::detail

// Vec<T> (common/vec.h) uses the hook; every user of the hook gets it with this header.
#include "common/vec.h"
