// The engine takes all of its memory through one hook, so an embedder can place it in a pool,
// a static arena or a specific RAM bank. Set it before any engine object exists.
#pragma once

#include <cstddef>

namespace wasmio {

struct AllocatorHooks {
  // Returns nullptr on failure; `align` is a power of two no larger than alignof(max_align_t)
  // unless the embedder's hook supports more.
  void* (*allocate)(std::size_t size, std::size_t align, void* context) = nullptr;
  void (*deallocate)(void* pointer, std::size_t size, std::size_t align, void* context) = nullptr;
  void* context = nullptr;
};

// Replaces the allocator; pass a default-constructed AllocatorHooks for malloc/free.
void set_allocator(const AllocatorHooks& hooks) noexcept;
const AllocatorHooks& current_allocator() noexcept;

// Bytes currently allocated through the hook (for footprint reports and leak tests).
std::size_t allocated_bytes() noexcept;

}  // namespace wasmio
