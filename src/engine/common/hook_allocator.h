// Internal: std containers and objects that take their memory from the embedder's hook.
#pragma once

#include <cstddef>
#include <new>
#include <string_view>
#include <vector>

#include "wasmio/allocator.h"

namespace wasmio::detail {

void* hook_allocate(std::size_t size, std::size_t align) noexcept;
void hook_deallocate(void* pointer, std::size_t size, std::size_t align) noexcept;

// Allocation failure has no exception to throw: it ends the program through the hook's
// out-of-memory path. Sizes that come from untrusted input are checked against limits before
// anything is allocated, so only genuine host exhaustion gets here.
[[noreturn]] void out_of_host_memory() noexcept;

template <typename T>
struct HookAllocator {
  using value_type = T;
  HookAllocator() noexcept = default;
  template <typename U>
  HookAllocator(const HookAllocator<U>& /*other*/) noexcept {}  // NOLINT(google-explicit-constructor)

  T* allocate(std::size_t n) {
    void* p = hook_allocate(n * sizeof(T), alignof(T));
    if (p == nullptr) out_of_host_memory();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept { hook_deallocate(p, n * sizeof(T), alignof(T)); }

  template <typename U>
  bool operator==(const HookAllocator<U>& /*other*/) const noexcept { return true; }
};

template <typename T>
using Vec = std::vector<T, HookAllocator<T>>;

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
