#include "mps2_fpgaio.h"

namespace wasmio::io::sim {

namespace {
constexpr std::uint32_t kLed0 = 0x00, kButton = 0x08, kClk1Hz = 0x10, kClk100Hz = 0x14,
                        kCounter = 0x18, kPrescale = 0x1C, kPsCntr = 0x20, kMisc = 0x4C;

std::uint32_t low_bits(std::uint32_t n) { return n >= 32 ? 0xFFFFFFFFu : (1u << n) - 1; }
}  // namespace

Mps2Fpgaio::Mps2Fpgaio(DeviceConfig config, SimContext context, std::uint32_t num_leds,
                       std::uint32_t num_buttons)
    : Apb32Device(std::move(config), context), num_leds_(num_leds), num_buttons_(num_buttons) {
  reset();
}

void Mps2Fpgaio::reset() {
  const std::uint32_t before = led0_;
  led0_ = 0;
  prescale_ = 0;
  pscntr_ = 0;
  counter_ = 0;
  misc_ = 0;
  for (const auto& listener : misc_listeners_) listener(misc_);
  counter_synced_ = now();
  clk1hz_base_ = clk100hz_base_ = now();
  clk1hz_count_ = clk100hz_count_ = 0;
  if (before != 0) {
    LedChange c{now(), before, 0};
    led_log_.push_back(c);
    if (led_callback_) led_callback_(c);
  }
}

void Mps2Fpgaio::set_button(unsigned index, bool pressed) {
  if (index >= num_buttons_) return;
  if (pressed) {
    buttons_ |= 1u << index;
  } else {
    buttons_ &= ~(1u << index);
  }
}

// PSCNTR ticks once per board cycle: from p it reaches 0 after p ticks; each further PRESCALE+1
// ticks it passes through a reload, which is when COUNTER increments.
void Mps2Fpgaio::resync_counter() {
  const Cycles t = now();
  const std::uint64_t ticks = t - counter_synced_;
  counter_synced_ = t;
  if (ticks == 0) return;
  if (ticks <= pscntr_) {
    pscntr_ -= static_cast<std::uint32_t>(ticks);
    return;
  }
  // a >= 1 ticks after PSCNTR reached 0; each period of PRESCALE+1 ticks starts with a reload.
  const std::uint64_t period = std::uint64_t{prescale_} + 1;
  const std::uint64_t a = ticks - pscntr_;
  counter_ += static_cast<std::uint32_t>((a + prescale_) / period);
  pscntr_ = static_cast<std::uint32_t>(prescale_ - (a - 1) % period);
}

std::uint32_t Mps2Fpgaio::slow_counter(Cycles base, std::uint32_t base_count, Cycles period) const {
  return base_count + static_cast<std::uint32_t>((now() - base) / period);
}

std::uint32_t Mps2Fpgaio::read_register(std::uint32_t offset) {
  const Cycles hz = config().clock_hz;
  switch (offset) {
    case kLed0: return led0_;
    case kButton: return buttons_;
    case kClk1Hz: return slow_counter(clk1hz_base_, clk1hz_count_, hz);
    case kClk100Hz: return slow_counter(clk100hz_base_, clk100hz_count_, hz / 100);
    case kCounter: resync_counter(); return counter_;
    case kPrescale: return prescale_;
    case kPsCntr: resync_counter(); return pscntr_;
    case kMisc: return misc_;
    default: return 0;
  }
}

void Mps2Fpgaio::write_register(std::uint32_t offset, std::uint32_t value) {
  switch (offset) {
    case kLed0: {
      const std::uint32_t after = value & low_bits(num_leds_);
      if (after != led0_) {
        LedChange c{now(), led0_, after};
        led0_ = after;
        led_log_.push_back(c);
        if (led_callback_) led_callback_(c);
      }
      break;
    }
    case kClk1Hz:
      clk1hz_base_ = now();
      clk1hz_count_ = value;
      break;
    case kClk100Hz:
      clk100hz_base_ = now();
      clk100hz_count_ = value;
      break;
    case kCounter:
      resync_counter();
      counter_ = value;
      break;
    case kPrescale:
      resync_counter();
      prescale_ = value;
      break;
    case kPsCntr:
      resync_counter();
      pscntr_ = value;
      break;
    case kMisc:
      misc_ = value;
      for (const auto& listener : misc_listeners_) listener(misc_);
      break;
    default: break;
  }
}

}  // namespace wasmio::io::sim
