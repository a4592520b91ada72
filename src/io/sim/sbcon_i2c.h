// Arm SBCon two-wire serial bus interface (Versatile/MPS2 "I2C"; QEMU hw/i2c/arm_sbcon_i2c.c):
//   0x00 read  CONTROL  [0] SCL [1] SDA as seen on the bus
//   0x00 write CONTROLS set the written bits of the outputs (1 = release the line)
//   0x04 write CONTROLC clear the written bits (0 = pull the line low)
// Software bit-bangs the protocol; the attached I2cBus decodes it. The outputs start low
// (register reset value 0, as in QEMU).
#pragma once

#include "i2c_bus.h"
#include "sim_device.h"

namespace wasmio::io::sim {

class SbconI2c final : public Apb32Device {
 public:
  SbconI2c(DeviceConfig config, SimContext context);
  static constexpr std::string_view kCompatible = "arm,versatile-i2c";
  std::string_view kind() const override { return kCompatible; }
  void reset() override;

  I2cBus& bus() { return bus_; }

 protected:
  std::uint32_t read_register(std::uint32_t offset) override;
  void write_register(std::uint32_t offset, std::uint32_t value) override;

 private:
  std::uint32_t out_ = 0;
  I2cBus bus_;
};

}  // namespace wasmio::io::sim
