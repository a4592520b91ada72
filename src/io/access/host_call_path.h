// The host-call access path, and the per-container window table all three paths share.
//
// GuestWindows holds, for one driver container, exactly the register windows its binding
// granted (backend window + allowed widths + guest address + volatile ranges) and the record of
// the last access violation. The host-call path turns the guest's imports of module "wasmio"
// (src/io/bind/guest_abi.h) into host functions over that table: every access is checked
// against the granted window (inside it, aligned, an allowed width) and then performed as one
// volatile access of exactly that width. A violation traps the calling container with
// kAccessViolation; the host and other containers never see it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../bind/binding.h"
#include "register_backend.h"
#include "wasmio/engine.h"

namespace wasmio::io {

// One granted window as the access paths see it.
struct GuestWindow {
  RegisterWindow registers;     // base = granted CPU address, size = granted size
  std::uint8_t widths = 0;      // kWidth* mask from the manifest
  std::uint32_t guest_address = 0;  // mapped path: first guest address; else 0
  std::string label;
  std::uint8_t index = 0;
  std::vector<VolatileRange> volatile_ranges;

  // Width allowed by the manifest and the access inside the window, aligned.
  RegStatus check(std::uint64_t offset, unsigned width) const {
    if (width > 8 || (widths & width) == 0) return RegStatus::kBadWidth;
    return registers.check(offset, width);
  }
  bool is_volatile(std::uint64_t offset, std::uint64_t length) const;
};

// What went wrong in the last refused access, for the container's trap message.
struct AccessFault {
  bool happened = false;
  std::string what;  // "reg_write32(handle 0, offset 0x20): access outside the register window"
};

class GuestWindows {
 public:
  GuestWindows() = default;
  GuestWindows(const GuestWindows&) = delete;
  GuestWindows& operator=(const GuestWindows&) = delete;

  // `binding` must outlive this table (its properties are served from it).
  void set_binding(const ContainerBinding* binding) { binding_ = binding; }
  const ContainerBinding* binding() const { return binding_; }
  // Handle order = binding.windows order.
  void add(GuestWindow window) { windows_.push_back(std::move(window)); }
  std::span<const GuestWindow> windows() const { return windows_; }
  const GuestWindow* find(std::int64_t handle) const {
    return handle >= 0 && static_cast<std::uint64_t>(handle) < windows_.size() ? &windows_[handle]
                                                                               : nullptr;
  }

  // Accesses by (handle, offset) with every check; a refusal is recorded as the fault.
  RegRead read(std::int64_t handle, std::uint64_t offset, unsigned width, const char* via);
  RegStatus write(std::int64_t handle, std::uint64_t offset, unsigned width, std::uint64_t value,
                  const char* via);

  void record_fault(std::string what);
  const AccessFault& fault() const { return fault_; }
  void clear_fault() { fault_ = AccessFault{}; }

  // Mapped path: the guest range windows live in (accesses there that hit no window are
  // violations; elsewhere they are ordinary out-of-bounds accesses), and a one-entry cache of
  // the window that served the last access.
  void set_map_range(std::uint64_t base, std::uint64_t size) {
    map_base_ = base;
    map_size_ = size;
  }
  bool in_map_range(std::uint64_t address) const { return address - map_base_ < map_size_; }
  mutable std::uint32_t last_mapped = 0;
  // Mapped path: the engine's device apertures of the mapped windows (mapped_path_handler).
  std::vector<DeviceAperture> apertures;

 private:
  const ContainerBinding* binding_ = nullptr;
  std::vector<GuestWindow> windows_;
  AccessFault fault_;
  std::uint64_t map_base_ = 0;
  std::uint64_t map_size_ = 0;
};

// Host functions for the guest's imports of module "wasmio". Returns false (with `*error`) when
// an import is not one the host provides for this container's access path; imports of other
// modules are left alone (nullptr in `out`).
bool host_call_imports(GuestWindows& io, AccessPath path, Store& store, const Module& module,
                       std::vector<Extern>* out, std::string* error);

// The guest bytes [pointer, pointer + length) of the caller's memory, or empty when out of it.
std::span<std::uint8_t> guest_bytes(const HostCall& call, std::uint32_t pointer,
                                    std::uint32_t length);

}  // namespace wasmio::io
