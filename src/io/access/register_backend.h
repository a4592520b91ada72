// One interface to a granted register window, behind all three guest access paths (host call,
// mapped, copy): read(offset, width) / write(offset, width, value), offset relative to the
// window's base. Two kinds of window:
// - raw: a pointer to the registers themselves (a UIO or /dev/mem mapping on Linux, the physical
//   address on a microcontroller); each access is one `volatile` load or store of exactly the
//   requested width, never split or widened;
// - device: calls a handler (the simulated board; anything else that decodes addresses).
// The checks (width, alignment, inside the window) are inline and the raw path has no indirect
// call. This header has no OS or allocation dependencies, so it builds for a microcontroller.
#pragma once

#include <cstdint>

namespace wasmio::io {

enum class RegStatus : std::uint8_t {
  kOk,
  kOutOfWindow,  // some byte of the access lies outside the window
  kBadWidth,     // not 1/2/4/8, or wider than the window allows
  kMisaligned,   // offset not a multiple of the width
  kBusError,     // the device behind the window faulted (nothing decodes the address)
};
const char* reg_status_name(RegStatus status);

struct RegRead {
  std::uint64_t value = 0;
  RegStatus status = RegStatus::kOk;
  bool ok() const { return status == RegStatus::kOk; }
};

// Handler of a device window; `address` is the CPU address (base + offset).
struct RegisterDeviceOps {
  RegRead (*read)(void* context, std::uint64_t address, unsigned width);
  RegStatus (*write)(void* context, std::uint64_t address, unsigned width, std::uint64_t value);
};

class RegisterWindow {
 public:
  RegisterWindow() = default;

  // `max_width`: the widest access the registers take (4 for 32-bit peripherals).
  static RegisterWindow raw(std::uint64_t base, std::uint64_t size, volatile void* mapping,
                            unsigned max_width = 4) {
    RegisterWindow w;
    w.base_ = base;
    w.size_ = size;
    w.max_width_ = max_width;
    w.mapping_ = static_cast<volatile std::uint8_t*>(mapping);
    return w;
  }
  static RegisterWindow device(std::uint64_t base, std::uint64_t size, const RegisterDeviceOps* ops,
                               void* context, unsigned max_width = 4) {
    RegisterWindow w;
    w.base_ = base;
    w.size_ = size;
    w.max_width_ = max_width;
    w.ops_ = ops;
    w.context_ = context;
    return w;
  }

  std::uint64_t base() const { return base_; }
  std::uint64_t size() const { return size_; }
  unsigned max_width() const { return max_width_; }
  bool is_raw() const { return mapping_ != nullptr; }
  // The raw mapping (for the mapped path); null for device windows.
  volatile std::uint8_t* mapping() const { return mapping_; }

  RegStatus check(std::uint64_t offset, unsigned width) const {
    if ((width != 1 && width != 2 && width != 4 && width != 8) || width > max_width_) {
      return RegStatus::kBadWidth;
    }
    if ((offset & (width - 1)) != 0) return RegStatus::kMisaligned;
    if (offset >= size_ || size_ - offset < width) return RegStatus::kOutOfWindow;
    return RegStatus::kOk;
  }

  RegRead read(std::uint64_t offset, unsigned width) const {
    const RegStatus s = check(offset, width);
    if (s != RegStatus::kOk) return RegRead{0, s};
    if (mapping_ != nullptr) return RegRead{raw_load(mapping_ + offset, width), RegStatus::kOk};
    if (ops_ == nullptr) return RegRead{0, RegStatus::kBusError};
    return ops_->read(context_, base_ + offset, width);
  }

  RegStatus write(std::uint64_t offset, unsigned width, std::uint64_t value) const {
    const RegStatus s = check(offset, width);
    if (s != RegStatus::kOk) return s;
    if (mapping_ != nullptr) {
      raw_store(mapping_ + offset, width, value);
      return RegStatus::kOk;
    }
    if (ops_ == nullptr) return RegStatus::kBusError;
    return ops_->write(context_, base_ + offset, width, value);
  }

 private:
  // One access of exactly `width` bytes; `p` is aligned to it (checked above).
  static std::uint64_t raw_load(volatile std::uint8_t* p, unsigned width) {
    switch (width) {
      case 1: return *p;
      case 2: return *reinterpret_cast<volatile std::uint16_t*>(p);
      case 4: return *reinterpret_cast<volatile std::uint32_t*>(p);
      default: return *reinterpret_cast<volatile std::uint64_t*>(p);
    }
  }
  static void raw_store(volatile std::uint8_t* p, unsigned width, std::uint64_t v) {
    switch (width) {
      case 1: *p = static_cast<std::uint8_t>(v); break;
      case 2: *reinterpret_cast<volatile std::uint16_t*>(p) = static_cast<std::uint16_t>(v); break;
      case 4: *reinterpret_cast<volatile std::uint32_t*>(p) = static_cast<std::uint32_t>(v); break;
      default: *reinterpret_cast<volatile std::uint64_t*>(p) = v; break;
    }
  }

  std::uint64_t base_ = 0;
  std::uint64_t size_ = 0;
  unsigned max_width_ = 4;
  volatile std::uint8_t* mapping_ = nullptr;
  const RegisterDeviceOps* ops_ = nullptr;
  void* context_ = nullptr;
};

namespace sim {
class SimBoard;
}  // namespace sim

// A window onto the simulated board's bus (hosted builds; defined with the simulator). Bus
// errors of the board become kBusError; the board's own width rules still apply behind the
// window's checks.
RegisterWindow sim_register_window(sim::SimBoard& board, std::uint64_t base, std::uint64_t size,
                                   unsigned max_width = 4);

}  // namespace wasmio::io
