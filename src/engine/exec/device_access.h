// Internal: loads and stores outside linear memory (device apertures, then the embedder's hooks).
//
// The interpreter reaches this only after its bounds check against linear memory failed, so
// ordinary accesses pay nothing for it. The common mapped case — the raw aperture that served the
// last outside access — is checked inline (one compare, one alignment test, one volatile access
// of the instruction's width, no call); everything else goes out of line to outside_load/store.
// Size-optimised builds (the Cortex-M) skip the inline copy and always take the call, which
// does the same checks once.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "exec/runtime.h"

#if defined(__OPTIMIZE_SIZE__)
#define WASMIO_INLINE_RAW_APERTURE 0
#else
#define WASMIO_INLINE_RAW_APERTURE 1
#endif

namespace wasmio::detail {

// Installs `handler` on `memory` (Store::set_out_of_bounds_handler).
bool install_out_of_bounds_handler(MemoryInstance& memory, const OutOfBoundsHandler& handler) noexcept;

// An access of `bytes` at `address`, outside linear memory. True when served (`*value` holds
// the zero-extended little-endian bytes of a load); false sets `*trap`.
bool outside_load(MemoryInstance& memory, std::uint64_t address, unsigned bytes,
                  std::uint64_t* value, ErrorCode* trap) noexcept;
bool outside_store(MemoryInstance& memory, std::uint64_t address, unsigned bytes,
                   std::uint64_t value, ErrorCode* trap) noexcept;

template <typename T>
inline constexpr unsigned kWidthIndex = sizeof(T) == 1 ? 0 : sizeof(T) == 2 ? 1 : sizeof(T) == 4 ? 2 : 3;

// The interpreter's slow path of a load of T (called only after the linear-memory check failed):
// the loaded bytes zero-extended in `*raw`.
template <typename T>
[[gnu::always_inline]] inline bool load_outside(MemoryInstance* memory, std::uint64_t address,
                                                std::uint64_t* raw, ErrorCode* trap) noexcept {
#if WASMIO_INLINE_RAW_APERTURE
  const ApertureCache& hot = memory->hot;
  const std::uint64_t offset = address - hot.base;
  if (offset < hot.limit[kWidthIndex<T>] && (offset & (sizeof(T) - 1)) == 0) [[likely]] {
    using Unsigned = std::make_unsigned_t<T>;
    *raw = *reinterpret_cast<const volatile Unsigned*>(hot.raw + offset);
    return true;
  }
#endif
  return outside_load(*memory, address, sizeof(T), raw, trap);
}

// The same for a store of T (T unsigned: the value zero-extends).
template <typename T>
[[gnu::always_inline]] inline bool store_outside(MemoryInstance* memory, std::uint64_t address, T v, ErrorCode* trap) noexcept {
#if WASMIO_INLINE_RAW_APERTURE
  const ApertureCache& hot = memory->hot;
  const std::uint64_t offset = address - hot.base;
  if (offset < hot.limit[kWidthIndex<T>] && (offset & (sizeof(T) - 1)) == 0) [[likely]] {
    *reinterpret_cast<volatile T*>(hot.raw + offset) = v;
    return true;
  }
#endif
  return outside_store(*memory, address, sizeof(T), v, trap);
}

}  // namespace wasmio::detail
