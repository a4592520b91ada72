#include "common/hook_allocator.h"

#include <atomic>
#include <cstdlib>

namespace wasmio {
namespace {

AllocatorHooks g_hooks{};
std::atomic<std::size_t> g_allocated{0};

void* malloc_allocate(std::size_t size, std::size_t align, void* /*context*/) {
  // malloc's alignment covers every type the engine allocates.
  (void)align;
  return std::malloc(size == 0 ? 1 : size);
}
void malloc_deallocate(void* pointer, std::size_t /*size*/, std::size_t /*align*/, void* /*context*/) {
  std::free(pointer);
}

}  // namespace

void set_allocator(const AllocatorHooks& hooks) noexcept {
  g_hooks = hooks;
}
const AllocatorHooks& current_allocator() noexcept { return g_hooks; }
std::size_t allocated_bytes() noexcept { return g_allocated.load(std::memory_order_relaxed); }

namespace detail {

void* hook_allocate(std::size_t size, std::size_t align) noexcept {
  void* p = g_hooks.allocate != nullptr ? g_hooks.allocate(size, align, g_hooks.context)
                                        : malloc_allocate(size, align, nullptr);
  if (p != nullptr) g_allocated.fetch_add(size, std::memory_order_relaxed);
  return p;
}

void hook_deallocate(void* pointer, std::size_t size, std::size_t align) noexcept {
  if (pointer == nullptr) return;
  g_allocated.fetch_sub(size, std::memory_order_relaxed);
  if (g_hooks.deallocate != nullptr) {
    g_hooks.deallocate(pointer, size, align, g_hooks.context);
  } else {
    malloc_deallocate(pointer, size, align, nullptr);
  }
}

void out_of_host_memory() noexcept { std::abort(); }

}  // namespace detail
}  // namespace wasmio
