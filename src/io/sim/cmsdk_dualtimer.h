// CMSDK APB dual-input timer (Arm DDI0479, SP804-derived; QEMU hw/timer/cmsdk-apb-dualtimer.c):
// two down-counters, each at 0x00 / 0x20:
//   +0x00 LOAD     writing sets the count at once     +0x10 RIS   [0] raw interrupt
//   +0x04 VALUE    current count (read-only)          +0x14 MIS   RIS & INTEN
//   +0x08 CONTROL  [0] one-shot [1] 32-bit [3:2] prescale /1 /16 /256 [5] INTEN [6] periodic
//                  [7] enable; reset 0x20             +0x18 BGLOAD  reload without touching VALUE
//   +0x0C INTCLR   any write clears RIS
//   0xF00 ITCR [0] integration test mode; 0xF04 ITOP [0]/[1] drive the two outputs in test mode
// Free-running mode wraps to 0xFFFFFFFF (0xFFFF in 16-bit mode); periodic reloads LOAD; one-shot
// stops at 0. In 16-bit mode only the low half of VALUE counts; the top half keeps what it had
// (QEMU's model; the TRM leaves it open). Prescale value 3 is undefined in the TRM; like QEMU we divide by 256.
// The outputs: one per counter and the combined OR (the one wired on AN385).
#pragma once

#include "sim_device.h"

namespace wasmio::io::sim {

class CmsdkDualTimer final : public Apb32Device {
 public:
  CmsdkDualTimer(DeviceConfig config, SimContext context);
  static constexpr std::string_view kCompatible = "arm,cmsdk-dtimer";
  std::string_view kind() const override { return kCompatible; }
  void reset() override;

  IrqOutput& combined_irq() { return combined_; }
  IrqOutput& counter_irq(unsigned i) { return counters_[i & 1].irq; }

 protected:
  std::uint32_t read_register(std::uint32_t offset) override;
  void write_register(std::uint32_t offset, std::uint32_t value) override;

 private:
  struct Counter {
    CmsdkDualTimer* owner = nullptr;
    std::uint32_t load = 0;
    std::uint32_t value = 0xFFFFFFFF;  // all 32 bits; 16-bit mode counts the low half
    std::uint32_t control = 0x20;
    std::uint32_t ris = 0;
    Cycles synced = 0;
    Cycles residue = 0;  // cycles into the current prescaled tick
    SimEvent expiry{&CmsdkDualTimer::on_event, this};
    IrqOutput irq;

    bool enabled() const { return (control & 0x80) != 0; }
    bool one_shot() const { return (control & 0x01) != 0; }
    bool wide() const { return (control & 0x02) != 0; }
    bool periodic() const { return (control & 0x40) != 0; }
    bool inten() const { return (control & 0x20) != 0; }
    std::uint32_t mask() const { return wide() ? 0xFFFFFFFFu : 0xFFFFu; }
    std::uint32_t reload() const { return periodic() ? (load & mask()) : mask(); }
    Cycles divider() const;
  };

  static void on_event(void* counter, Cycles now);
  void sync(Counter& c);
  void reschedule(Counter& c);
  void update_outputs();

  Counter counters_[2];
  std::uint32_t itcr_ = 0;
  std::uint32_t itop_ = 0;
  IrqOutput combined_;
};

}  // namespace wasmio::io::sim
