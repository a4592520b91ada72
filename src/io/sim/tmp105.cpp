#include "tmp105.h"

namespace wasmio::io::sim {

namespace {
constexpr std::uint8_t kTemperature = 0, kConfig = 1, kTLow = 2, kTHigh = 3;
}  // namespace

void Tmp105::reset() {
  pointer_ = 0;
  config_ = 0;
  limit_low_ = 0x4B00;   // 75 degC
  limit_high_ = 0x5000;  // 80 degC
  byte_index_ = 0;
}

bool Tmp105::set_temperature_mc(std::int32_t millicelsius) {
  // The register's range; QEMU refuses the same values.
  if (millicelsius < -128000 || millicelsius >= 128000) return false;
  // 1/256 degC per LSB, truncated toward zero as QEMU does; reads keep the top 12 bits at most.
  temperature_ = static_cast<std::int16_t>(std::int64_t{millicelsius} * 256 / 1000);
  return true;
}

bool Tmp105::start(bool) {
  byte_index_ = 0;
  return true;
}

std::uint16_t Tmp105::register_value(std::uint8_t pointer) const {
  switch (pointer) {
    case kTemperature: {
      const unsigned resolution = (config_ >> 5) & 3;  // 0: 9 bits ... 3: 12 bits
      const std::uint16_t mask = static_cast<std::uint16_t>(0xFF00 | ((0xF0 << (3 - resolution)) & 0xF0));
      return static_cast<std::uint16_t>(temperature_) & mask;
    }
    case kTLow: return static_cast<std::uint16_t>(limit_low_);
    case kTHigh: return static_cast<std::uint16_t>(limit_high_);
    default: return 0;
  }
}

bool Tmp105::write_byte(std::uint8_t byte) {
  const unsigned index = byte_index_++;
  if (index == 0) {
    pointer_ = byte & 3;
    return true;
  }
  switch (pointer_) {
    case kConfig:
      if (index == 1) config_ = byte & 0x7F;  // OS (one-shot) is a command, reads 0
      break;
    case kTLow:
    case kTHigh:
      if (index == 1) {
        pending_msb_ = byte;
      } else if (index == 2) {
        const auto value = static_cast<std::int16_t>((pending_msb_ << 8) | (byte & 0xF0));
        (pointer_ == kTLow ? limit_low_ : limit_high_) = value;
      }
      break;
    default: break;  // the temperature register is read-only
  }
  return true;
}

std::uint8_t Tmp105::read_byte() {
  const unsigned index = byte_index_++;
  if (pointer_ == kConfig) return index == 0 ? config_ : 0xFF;
  const std::uint16_t value = register_value(pointer_);
  if (index == 0) return static_cast<std::uint8_t>(value >> 8);
  if (index == 1) return static_cast<std::uint8_t>(value);
  return 0xFF;
}

}  // namespace wasmio::io::sim
