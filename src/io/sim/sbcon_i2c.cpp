#include "sbcon_i2c.h"

namespace wasmio::io::sim {

namespace {
constexpr std::uint32_t kControlSet = 0x00, kControlClear = 0x04;
constexpr std::uint32_t kScl = 1u << 0, kSda = 1u << 1;
}  // namespace

SbconI2c::SbconI2c(DeviceConfig config, SimContext context)
    : Apb32Device(std::move(config), context) {
  reset();
}

void SbconI2c::reset() {
  out_ = 0;
  bus_.drive(false, false);
  bus_.reset();
}

std::uint32_t SbconI2c::read_register(std::uint32_t offset) {
  if (offset != kControlSet) return 0;
  return (bus_.scl() ? kScl : 0) | (bus_.sda() ? kSda : 0);
}

void SbconI2c::write_register(std::uint32_t offset, std::uint32_t value) {
  if (offset == kControlSet) {
    out_ |= value & (kScl | kSda);
  } else if (offset == kControlClear) {
    out_ &= ~(value & (kScl | kSda));
  } else {
    return;
  }
  bus_.drive((out_ & kScl) != 0, (out_ & kSda) != 0);
}

}  // namespace wasmio::io::sim
