// CMSDK APB timer (Arm DDI0479, QEMU hw/timer/cmsdk-apb-timer.c): a 32-bit down-counter at PCLK.
//   0x00 CTRL      [0] enable [1] EXTIN as enable [2] EXTIN as clock [3] interrupt enable
//   0x04 VALUE     current count (writes set it)
//   0x08 RELOAD    reload value; writing it also sets VALUE
//   0x0C INTSTATUS [0] interrupt, write 1 to clear (INTCLEAR)
//   0xFD0-0xFFC    ID registers
// The count reaching 0 sets INTSTATUS if CTRL.IRQEN (as QEMU); the next tick reloads. The IRQ
// output is INTSTATUS. EXTIN is not wired on AN385: bits 1/2 are stored and ignored, as in QEMU.
#pragma once

#include "sim_device.h"

namespace wasmio::io::sim {

class CmsdkTimer final : public Apb32Device {
 public:
  CmsdkTimer(DeviceConfig config, SimContext context);
  static constexpr std::string_view kCompatible = "arm,cmsdk-timer";
  std::string_view kind() const override { return kCompatible; }
  void reset() override;

  IrqOutput& irq() { return irq_; }

 protected:
  std::uint32_t read_register(std::uint32_t offset) override;
  void write_register(std::uint32_t offset, std::uint32_t value) override;

 private:
  static void on_event(void* self, Cycles now);
  void sync();
  void reschedule();

  // state
  std::uint32_t ctrl_ = 0;
  std::uint32_t reload_ = 0;
  std::uint32_t value_ = 0;  // at synced_
  Cycles synced_ = 0;
  std::uint32_t intstatus_ = 0;
  SimEvent expiry_{&CmsdkTimer::on_event, this};
  IrqOutput irq_;
};

}  // namespace wasmio::io::sim
