// Replaces the global operator new/delete of wasmio-footprint with versions that count live
// bytes: everything the host side (I/O layer, scheduler, standard containers) allocates. The
// engine allocates through its own hook (wasmio::allocated_bytes), not through these.
//
// Each block carries its size in a header in front of it, so every delete form (sized or not,
// aligned or not) subtracts exactly what its new added.
#include "counting_new.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace wasmio::bench {
namespace {

std::atomic<std::size_t> g_live{0};
std::atomic<std::size_t> g_blocks{0};

// The header is one alignment unit so the returned pointer keeps the requested alignment.
void* counted_allocate(std::size_t size, std::size_t align) noexcept {
  if (align < alignof(std::max_align_t)) align = alignof(std::max_align_t);
  const std::size_t header = align;
  const std::size_t total = (header + size + align - 1) / align * align;
  void* raw = std::aligned_alloc(align, total);
  if (raw == nullptr) return nullptr;
  auto* bytes = static_cast<unsigned char*>(raw);
  // Size and header length stored just before the user block.
  auto* meta = reinterpret_cast<std::size_t*>(bytes + header) - 2;
  meta[0] = size;
  meta[1] = header;
  g_live.fetch_add(size, std::memory_order_relaxed);
  g_blocks.fetch_add(1, std::memory_order_relaxed);
  return bytes + header;
}

void counted_free(void* pointer) noexcept {
  if (pointer == nullptr) return;
  auto* meta = static_cast<std::size_t*>(pointer) - 2;
  g_live.fetch_sub(meta[0], std::memory_order_relaxed);
  g_blocks.fetch_sub(1, std::memory_order_relaxed);
  std::free(static_cast<unsigned char*>(pointer) - meta[1]);
}

void* allocate_or_throw(std::size_t size, std::size_t align) {
  void* p = counted_allocate(size, align);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

std::size_t host_live_bytes() noexcept { return g_live.load(std::memory_order_relaxed); }
std::size_t host_live_blocks() noexcept { return g_blocks.load(std::memory_order_relaxed); }

}  // namespace wasmio::bench

using wasmio::bench::allocate_or_throw;
using wasmio::bench::counted_allocate;
using wasmio::bench::counted_free;

void* operator new(std::size_t size) { return allocate_or_throw(size, 0); }
void* operator new[](std::size_t size) { return allocate_or_throw(size, 0); }
void* operator new(std::size_t size, std::align_val_t align) {
  return allocate_or_throw(size, static_cast<std::size_t>(align));
}
void* operator new[](std::size_t size, std::align_val_t align) {
  return allocate_or_throw(size, static_cast<std::size_t>(align));
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return counted_allocate(size, 0); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return counted_allocate(size, 0); }
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  return counted_allocate(size, static_cast<std::size_t>(align));
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  return counted_allocate(size, static_cast<std::size_t>(align));
}

void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { counted_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { counted_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { counted_free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { counted_free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { counted_free(p); }
