// Loads and stores outside linear memory: device apertures first, then the embedder's hooks.
#include "exec/device_access.h"

namespace wasmio::detail {
namespace {

// Few windows per container; the bound keeps a hostile embedder input from sizing the copy.
constexpr std::size_t kMaxApertures = 64;
// Wasm addresses are a 32-bit base plus a 32-bit offset.
constexpr std::uint64_t kAddressLimit = std::uint64_t{1} << 33;

unsigned widest(std::uint8_t widths) {
  return (widths & 8) != 0 ? 8 : (widths & 4) != 0 ? 4 : (widths & 2) != 0 ? 2 : 1;
}

ApertureCache cache_of(const DeviceAperture& a) {
  ApertureCache c;
  c.base = a.guest_base;
  c.raw = a.raw;
  for (unsigned k = 0; k < 4; ++k) {
    const unsigned bytes = 1u << k;
    c.limit[k] = (a.widths & bytes) != 0 && a.size >= bytes ? a.size - bytes + 1 : 0;
  }
  return c;
}

const DeviceAperture* aperture_at(const MemoryInstance& memory, std::uint64_t address) {
  for (const DeviceAperture& a : memory.apertures) {
    if (address - a.guest_base < a.size) return &a;
  }
  return nullptr;
}

// Exact width, aligned, wholly inside (offset < size is known).
bool accepts(const DeviceAperture& a, std::uint64_t offset, unsigned bytes) {
  return (a.widths & bytes) != 0 && (offset & (bytes - 1)) == 0 && a.size - offset >= bytes;
}

std::uint64_t low_bytes(std::uint64_t value, unsigned bytes) {
  return bytes == 8 ? value : value & ((std::uint64_t{1} << (8 * bytes)) - 1);
}

// One volatile access of exactly `bytes` (aligned: checked by accepts and at install).
std::uint64_t raw_load(const volatile std::uint8_t* p, unsigned bytes) {
  switch (bytes) {
    case 1: return *p;
    case 2: return *reinterpret_cast<const volatile std::uint16_t*>(p);
    case 4: return *reinterpret_cast<const volatile std::uint32_t*>(p);
    default: return *reinterpret_cast<const volatile std::uint64_t*>(p);
  }
}
void raw_store(volatile std::uint8_t* p, unsigned bytes, std::uint64_t v) {
  switch (bytes) {
    case 1: *p = static_cast<std::uint8_t>(v); break;
    case 2: *reinterpret_cast<volatile std::uint16_t*>(p) = static_cast<std::uint16_t>(v); break;
    case 4: *reinterpret_cast<volatile std::uint32_t*>(p) = static_cast<std::uint32_t>(v); break;
    default: *reinterpret_cast<volatile std::uint64_t*>(p) = v; break;
  }
}

bool refuse(MemoryInstance& memory, const DeviceAperture& a, std::uint64_t address, unsigned bytes,
            bool is_store, ErrorCode* trap) {
  const OutOfBoundsHandler& h = memory.out_of_bounds;
  if (h.refused != nullptr) h.refused(h.context, a, address, bytes, is_store);
  *trap = ErrorCode::kAccessViolation;
  return false;
}

bool valid(const DeviceAperture& a, const MemoryInstance& memory) {
  if (a.size == 0 || a.guest_base >= kAddressLimit || a.size > kAddressLimit - a.guest_base) return false;
  if (a.widths == 0 || (a.widths & ~0x0Fu) != 0) return false;
  if (a.guest_base < memory.size) return false;  // linear memory would shadow it
  if (a.raw == nullptr) return a.load != nullptr && a.store != nullptr;
  return (reinterpret_cast<std::uintptr_t>(a.raw) & (widest(a.widths) - 1)) == 0;
}

}  // namespace

bool install_out_of_bounds_handler(MemoryInstance& memory, const OutOfBoundsHandler& handler) noexcept {
  const std::span<const DeviceAperture> in = handler.apertures;
  if (in.size() > kMaxApertures) return false;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (!valid(in[i], memory)) return false;
    for (std::size_t j = 0; j < i; ++j) {
      if (in[i].guest_base < in[j].guest_base + in[j].size &&
          in[j].guest_base < in[i].guest_base + in[i].size) {
        return false;  // overlapping apertures: which one serves an access would be arbitrary
      }
    }
  }
  memory.apertures.assign(in.begin(), in.end());
  memory.out_of_bounds = handler;
  memory.out_of_bounds.apertures = {memory.apertures.data(), memory.apertures.size()};
  memory.hot = ApertureCache{};
  for (const DeviceAperture& a : memory.apertures) {
    const std::uint64_t pages_below = a.guest_base >> memory.type.page_size_log2;
    if (pages_below < memory.max_pages) memory.max_pages = pages_below;
  }
  return true;
}

bool outside_load(MemoryInstance& memory, std::uint64_t address, unsigned bytes,
                  std::uint64_t* value, ErrorCode* trap) noexcept {
  if (const DeviceAperture* a = aperture_at(memory, address)) {
    const std::uint64_t offset = address - a->guest_base;
    if (!accepts(*a, offset, bytes)) return refuse(memory, *a, address, bytes, false, trap);
    if (a->raw != nullptr) {
      *value = raw_load(a->raw + offset, bytes);
      memory.hot = cache_of(*a);
      return true;
    }
    if (a->load(a->context, a->tag, offset, bytes, value)) {
      *value = low_bytes(*value, bytes);
      return true;
    }
    *trap = ErrorCode::kAccessViolation;
    return false;
  }
  const OutOfBoundsHandler& h = memory.out_of_bounds;
  *value = 0;
  if (h.load != nullptr && h.load(h.context, address, bytes, value)) {
    *value = low_bytes(*value, bytes);
    return true;
  }
  *trap = ErrorCode::kOutOfBoundsMemoryAccess;
  return false;
}

bool outside_store(MemoryInstance& memory, std::uint64_t address, unsigned bytes,
                   std::uint64_t value, ErrorCode* trap) noexcept {
  if (const DeviceAperture* a = aperture_at(memory, address)) {
    const std::uint64_t offset = address - a->guest_base;
    if (!accepts(*a, offset, bytes)) return refuse(memory, *a, address, bytes, true, trap);
    if (a->raw != nullptr) {
      raw_store(a->raw + offset, bytes, value);
      memory.hot = cache_of(*a);
      return true;
    }
    if (a->store(a->context, a->tag, offset, bytes, value)) return true;
    *trap = ErrorCode::kAccessViolation;
    return false;
  }
  const OutOfBoundsHandler& h = memory.out_of_bounds;
  if (h.store != nullptr && h.store(h.context, address, bytes, value)) return true;
  *trap = ErrorCode::kOutOfBoundsMemoryAccess;
  return false;
}

}  // namespace wasmio::detail
