// Atmel/Microchip AT24C serial EEPROM (AT24C02: 256 bytes, 8-byte pages, one address byte) as an
// I2C target, per the datasheet:
// - write: address+W, word address, then data bytes; the address rolls over within the page
//   (page write); the bytes are committed at STOP (a repeated START instead discards them),
//   then a write cycle of tWR (5 ms) follows
//   during which the device NACKs its address (acknowledge polling);
// - read: address+R reads from the current address ("current address read"); a dummy write of
//   the word address then a repeated START gives a random read; reads continue sequentially and
//   roll over at the end of the memory.
// Cells start erased (0xFF). QEMU's at24c model has no write cycle and no page roll-over; the
// write-cycle time can be set to 0 to behave like it.
#pragma once

#include <vector>

#include "i2c_bus.h"
#include "sim_clock.h"

namespace wasmio::io::sim {

class At24c final : public I2cTarget {
 public:
  static constexpr std::string_view kCompatible = "atmel,24c02";
  At24c(SimClock& clock, std::uint32_t size_bytes, std::uint32_t page_bytes);
  void reset() override;  // a power cycle: contents stay (non-volatile)

  void set_write_cycle(Cycles cycles) { write_cycle_ = cycles; }
  bool busy() const { return clock_.now() < busy_until_; }
  const std::vector<std::uint8_t>& contents() const { return memory_; }
  std::vector<std::uint8_t>& contents() { return memory_; }
  std::uint32_t address() const { return address_; }

  bool start(bool read) override;
  bool write_byte(std::uint8_t byte) override;
  std::uint8_t read_byte() override;
  void stop() override;
  void restart() override;  // no STOP: buffered page data is discarded

 private:
  SimClock& clock_;
  std::vector<std::uint8_t> memory_;
  std::uint32_t page_;
  std::uint32_t address_ = 0;
  Cycles write_cycle_;
  Cycles busy_until_ = 0;
  bool writing_ = false;
  bool have_word_address_ = false;
  std::vector<std::pair<std::uint32_t, std::uint8_t>> page_buffer_;
};

}  // namespace wasmio::io::sim
