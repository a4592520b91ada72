// CMSDK APB watchdog (Arm DDI0479, SP805-derived; QEMU hw/watchdog/cmsdk-apb-watchdog.c):
//   0x000 LOAD    writing reloads the count     0x010 RIS  [0] interrupt
//   0x004 VALUE   current count (read-only)     0x014 MIS  RIS & INTEN
//   0x008 CONTROL [0] INTEN (also runs the counter; 0->1 reloads) [1] RESEN
//   0x00C INTCLR  any write clears RIS and reloads the count
//   0xC00 LOCK    0x1ACCE551 unlocks, anything else locks; reads [0] = locked. While locked all
//                 other writes are ignored.
//   0xF00 ITCR / 0xF04 ITOP integration test; IDs from 0xFD0.
// The count reaching 0 the first time sets RIS (interrupt, on AN385 the NMI); reaching 0 again
// with RIS still set asserts the reset request if RESEN, and the counter stops.
#pragma once

#include <functional>

#include "sim_device.h"

namespace wasmio::io::sim {

class CmsdkWatchdog final : public Apb32Device {
 public:
  CmsdkWatchdog(DeviceConfig config, SimContext context);
  static constexpr std::string_view kCompatible = "arm,cmsdk-watchdog";
  std::string_view kind() const override { return kCompatible; }
  void reset() override;

  IrqOutput& irq() { return irq_; }
  bool reset_requested() const { return reset_requested_; }
  // Called once when the watchdog asserts its reset output (the board's reset is the caller's).
  void on_reset_request(std::function<void(Cycles)> callback) { reset_callback_ = std::move(callback); }

 protected:
  std::uint32_t read_register(std::uint32_t offset) override;
  void write_register(std::uint32_t offset, std::uint32_t value) override;

 private:
  static void on_event(void* self, Cycles now);
  void sync();
  void expire();
  void reschedule();
  void update_outputs();
  bool running() const { return (control_ & 1) != 0 && !stopped_; }

  std::uint32_t load_ = 0xFFFFFFFF;
  std::uint32_t value_ = 0xFFFFFFFF;
  std::uint32_t control_ = 0;
  std::uint32_t ris_ = 0;
  bool locked_ = false;
  bool stopped_ = false;  // after the reset request
  bool reset_requested_ = false;
  std::uint32_t itcr_ = 0, itop_ = 0;
  Cycles synced_ = 0;
  SimEvent expiry_{&CmsdkWatchdog::on_event, this};
  IrqOutput irq_;
  std::function<void(Cycles)> reset_callback_;
};

}  // namespace wasmio::io::sim
