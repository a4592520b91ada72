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

// A modelled window's accesses: the window's backend, with every check; a device fault is
// recorded as the fault.
bool aperture_load(void* context, std::uint32_t handle, std::uint64_t offset, unsigned bytes,
                   std::uint64_t* value) {
  const RegRead r = static_cast<GuestWindows*>(context)->read(handle, offset, bytes, "mapped load");
  *value = r.value;
  return r.ok();
}

bool aperture_store(void* context, std::uint32_t handle, std::uint64_t offset, unsigned bytes,
                    std::uint64_t value) {
  return static_cast<GuestWindows*>(context)->write(handle, offset, bytes, value, "mapped store") ==
         RegStatus::kOk;
}

// An access the engine refused inside a window: record why (the window's own check says).
void on_refused(void* context, const DeviceAperture& aperture, std::uint64_t address,
                unsigned bytes, bool is_store) {
  GuestWindows& io = *static_cast<GuestWindows*>(context);
  const GuestWindow* w = io.find(aperture.tag);
  if (w == nullptr) return;
  const std::uint64_t offset = address - aperture.guest_base;
  RegStatus s = w->check(offset, bytes);
  if (s == RegStatus::kOk) s = RegStatus::kOutOfWindow;  // the engine's view is stricter
  io.record_fault(std::string(is_store ? "mapped store" : "mapped load") + " of " +
                  std::to_string(bytes) + " bytes at guest address " + text::hex(address) +
                  " (offset " + text::hex(offset) + " of window " + std::to_string(w->index) +
                  " of '" + w->label + "', " + text::hex(w->registers.size()) +
                  " bytes): " + reg_status_name(s));
}

// The widths both the manifest and the backend allow.
std::uint8_t aperture_widths(const GuestWindow& w) {
  const unsigned backend = (w.registers.max_width() << 1) - 1;  // 4 -> 1|2|4
  return static_cast<std::uint8_t>(w.widths & backend & 0x0F);
}

}  // namespace

OutOfBoundsHandler mapped_path_handler(GuestWindows& io) {
  io.apertures.clear();
  const std::span<const GuestWindow> windows = io.windows();
  for (std::uint32_t handle = 0; handle < windows.size(); ++handle) {
    const GuestWindow& w = windows[handle];
    // Not mapped, or no access allowed at all: the fallback refuses everything there.
    if (w.guest_address == 0 || w.registers.size() == 0 || aperture_widths(w) == 0) continue;
    DeviceAperture a;
    a.guest_base = w.guest_address;
    a.size = w.registers.size();
    a.widths = aperture_widths(w);
    a.raw = w.registers.mapping();
    if (a.raw == nullptr) {
      a.load = &aperture_load;
      a.store = &aperture_store;
    }
    a.context = &io;
    a.tag = handle;
    io.apertures.push_back(a);
  }
  OutOfBoundsHandler h;
  h.load = &on_load;
  h.store = &on_store;
  h.context = &io;
  h.apertures = io.apertures;
  h.refused = &on_refused;
  return h;
}

}  // namespace wasmio::io
