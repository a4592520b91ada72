// MPS2 FPGA system control and I/O (AN385 application note; QEMU hw/misc/mps2-fpgaio.c):
//   0x00 LED0      user LEDs, one bit each (num-leds bits kept)
//   0x08 BUTTON    user push buttons, read-only, 1 = pressed
//   0x10 CLK1HZ    seconds since reset (writable: sets the count, phase restarts)
//   0x14 CLK100HZ  1/100 s since reset (writable likewise)
//   0x18 COUNTER   increments each time PSCNTR reloads (every PRESCALE+1 board cycles)
//   0x1C PRESCALE  reload value of PSCNTR
//   0x20 PSCNTR    down-counter at the board clock: at 0 it reloads PRESCALE on the next cycle
//                  and COUNTER increments; with PRESCALE 0 COUNTER counts every cycle (25 MHz)
//   0x4C MISC      control bits of other board devices: stored, read back as written
// LEDs are observable (log and callback); buttons are scripted.
#pragma once

#include <functional>
#include <vector>

#include "sim_device.h"

namespace wasmio::io::sim {

struct LedChange {
  Cycles when = 0;
  std::uint32_t before = 0;
  std::uint32_t after = 0;
};

class Mps2Fpgaio final : public Apb32Device {
 public:
  Mps2Fpgaio(DeviceConfig config, SimContext context, std::uint32_t num_leds,
             std::uint32_t num_buttons);
  static constexpr std::string_view kCompatible = "arm,mps2-fpgaio";
  std::string_view kind() const override { return kCompatible; }
  void reset() override;

  std::uint32_t leds() const { return led0_; }
  const std::vector<LedChange>& led_log() const { return led_log_; }
  void on_led_change(std::function<void(const LedChange&)> callback) {
    led_callback_ = std::move(callback);
  }
  void set_button(unsigned index, bool pressed);
  std::uint32_t misc() const { return misc_; }
  // Called with the new MISC value after every write and reset (MISC drives the MPS2 SPI chip
  // selects: bit 7 ADC_SPI_nCS, 8 SHIELD_0_SPI_nCS, 9 SHIELD_1_SPI_nCS).
  void add_misc_listener(std::function<void(std::uint32_t misc)> listener) {
    misc_listeners_.push_back(std::move(listener));
  }
  std::uint32_t buttons() const { return buttons_; }

 protected:
  std::uint32_t read_register(std::uint32_t offset) override;
  void write_register(std::uint32_t offset, std::uint32_t value) override;

 private:
  void resync_counter();
  std::uint32_t slow_counter(Cycles base, std::uint32_t base_count, Cycles period) const;

  const std::uint32_t num_leds_;
  const std::uint32_t num_buttons_;
  std::uint32_t led0_ = 0;
  std::uint32_t buttons_ = 0;
  std::uint32_t prescale_ = 0;
  std::uint32_t pscntr_ = 0;
  std::uint32_t counter_ = 0;
  Cycles counter_synced_ = 0;
  std::uint32_t misc_ = 0;
  Cycles clk1hz_base_ = 0;  // when CLK1HZ had the value clk1hz_count_
  std::uint32_t clk1hz_count_ = 0;
  Cycles clk100hz_base_ = 0;
  std::uint32_t clk100hz_count_ = 0;
  std::vector<LedChange> led_log_;
  std::function<void(const LedChange&)> led_callback_;
  std::vector<std::function<void(std::uint32_t)>> misc_listeners_;
};

}  // namespace wasmio::io::sim
