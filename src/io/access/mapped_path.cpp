#include "mapped_path.h"

#include "../manifest/text.h"

namespace wasmio::io {
namespace {

// The window containing `address` (the last one hit is tried first: drivers poll one block).
const GuestWindow* window_at(const GuestWindows& io, std::uint64_t address, std::uint32_t* handle) {
  const std::span<const GuestWindow> windows = io.windows();
  const std::uint32_t cached = io.last_mapped;
  if (cached < windows.size()) {
    const GuestWindow& w = windows[cached];
    if (w.guest_address != 0 && address - w.guest_address < w.registers.size()) {
      *handle = cached;
      return &w;
    }
  }
  for (std::uint32_t i = 0; i < windows.size(); ++i) {
    const GuestWindow& w = windows[i];
    if (w.guest_address != 0 && address >= w.guest_address &&
        address - w.guest_address < w.registers.size()) {
      io.last_mapped = i;
      *handle = i;
      return &w;
    }
  }
  return nullptr;
}

// Outside linear memory and every window: a violation inside the map range, else an ordinary
// out-of-bounds access (the interpreter traps either way).
bool refuse_unmapped(GuestWindows& io, const char* what, std::uint64_t address, unsigned bytes) {
  if (!io.in_map_range(address)) return false;
  io.record_fault(std::string(what) + " of " + std::to_string(bytes) + " bytes at guest address " +
                  text::hex(address) +
                  ": in the map range but outside every granted window");
  return false;
}

}  // namespace

bool mapped_load(GuestWindows& io, std::uint64_t address, unsigned bytes, std::uint64_t* value) {
  std::uint32_t handle = 0;
  const GuestWindow* w = window_at(io, address, &handle);
  if (w == nullptr) return refuse_unmapped(io, "load", address, bytes);
  const std::uint64_t offset = address - w->guest_address;
  // The common case inline (one check, one access); refusals take the recording path.
  if (w->check(offset, bytes) == RegStatus::kOk) {
    const RegRead fast = w->registers.read(offset, bytes);
    if (fast.ok()) {
      *value = fast.value;
      return true;
    }
  }
  const RegRead r = io.read(handle, offset, bytes, "mapped load");
  if (!r.ok()) return false;
  *value = r.value;
  return true;
}

bool mapped_store(GuestWindows& io, std::uint64_t address, unsigned bytes, std::uint64_t value) {
  std::uint32_t handle = 0;
  const GuestWindow* w = window_at(io, address, &handle);
  if (w == nullptr) return refuse_unmapped(io, "store", address, bytes);
  const std::uint64_t offset = address - w->guest_address;
  if (w->check(offset, bytes) == RegStatus::kOk &&
      w->registers.write(offset, bytes, value) == RegStatus::kOk) {
    return true;
  }
  return io.write(handle, offset, bytes, value, "mapped store") == RegStatus::kOk;
}

namespace {

bool on_load(void* context, std::uint64_t address, unsigned bytes, std::uint64_t* value) {
  return mapped_load(*static_cast<GuestWindows*>(context), address, bytes, value);
}

bool on_store(void* context, std::uint64_t address, unsigned bytes, std::uint64_t value) {
  return mapped_store(*static_cast<GuestWindows*>(context), address, bytes, value);
}

}  // namespace

OutOfBoundsHandler mapped_path_handler(GuestWindows& io) {
  OutOfBoundsHandler h;
  h.load = &on_load;
  h.store = &on_store;
  h.context = &io;
  return h;
}

}  // namespace wasmio::io
