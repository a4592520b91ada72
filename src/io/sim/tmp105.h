// TI TMP105 temperature sensor (TI datasheet SBOS363; QEMU hw/sensor/tmp105.c) as an I2C target.
// The first byte written sets the pointer register (P1:P0):
//   0 temperature (read-only), 1 configuration (8 bits), 2 T_LOW, 3 T_HIGH (12 bits each)
// 16-bit registers transfer MSB first; temperatures are two's complement, 1/256 degC per LSB,
// left-justified 12 bits. Configuration R1:R0 (bits 6:5) select the resolution the temperature
// register shows: 9 bits (0.5 degC, reset) to 12 bits (0.0625 degC). Reads past the register
// return 0xFF. Reset: pointer 0, configuration 0, T_LOW 75 degC, T_HIGH 80 degC. The OS bit of
// the configuration is a command and reads 0 (as current QEMU). The ALERT pin (thermostat /
// interrupt mode, fault queue) is not wired on MPS2 and not modelled; shutdown mode does not
// freeze the reading.
#pragma once

#include "i2c_bus.h"

namespace wasmio::io::sim {

class Tmp105 final : public I2cTarget {
 public:
  static constexpr std::string_view kCompatible = "ti,tmp105";
  Tmp105() { reset(); }
  void reset() override;

  // Scripted temperature in millidegrees Celsius; false (ignored) outside -128..+128 degC.
  bool set_temperature_mc(std::int32_t millicelsius);
  std::int16_t temperature_raw() const { return temperature_; }
  std::uint8_t pointer() const { return pointer_; }
  std::uint8_t config() const { return config_; }

  bool start(bool read) override;
  bool write_byte(std::uint8_t byte) override;
  std::uint8_t read_byte() override;
  void stop() override {}

 private:
  std::uint16_t register_value(std::uint8_t pointer) const;

  std::int16_t temperature_ = 0;
  std::uint8_t pointer_ = 0;
  std::uint8_t config_ = 0;
  std::int16_t limit_low_ = 0;
  std::int16_t limit_high_ = 0;
  unsigned byte_index_ = 0;  // within the current transfer
  std::uint8_t pending_msb_ = 0;
};

}  // namespace wasmio::io::sim
