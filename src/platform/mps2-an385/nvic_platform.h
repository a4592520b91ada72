// The scheduler's platform interface (src/sched/platform.h) on the real Cortex-M3 of MPS2 AN385:
// time from the FPGAIO 25 MHz counter (extended to 64 bits), the NVIC for mask/unmask/priority,
// WFI for idling, and the hardware vector as E0: every external interrupt enters irq_handler,
// which forwards the line to the sink in handler mode.
//
// The sink therefore runs at the interrupt's NVIC priority and must be interrupt-safe (touch
// only state that thread mode guards with BASEPRI); see docs/design/0011-cortex-m-port.md.
#pragma once

#include <cstdint>

#include "sched/counter_extension.h"
#include "sched/platform.h"

namespace wasmio::platform::an385 {

class NvicPlatform final : public sched::Platform {
 public:
  static constexpr std::uint64_t kClockHz = 25'000'000;  // FPGAIO counter and SysTick
  // wait() spins rather than sleeps below this (10 us): see nvic_platform.cpp.
  static constexpr std::uint64_t kMinSysTickReload = 256;

  NvicPlatform();
  ~NvicPlatform() override;

  sched::Cycles now() const override;
  std::uint64_t cycles_per_second() const override { return kClockHz; }
  sched::Cycles next_external_event() const override { return sched::kNever; }
  void consume(sched::Cycles) override {}  // real time passed already
  bool virtual_time() const override { return false; }
  void wait(sched::Cycles deadline) override;

  void set_sink(sched::InterruptSink* sink) override { sink_ = sink; }
  void mask(std::uint32_t line) override;
  void unmask(std::uint32_t line) override;
  // The hardware moved the line pending -> active at exception entry already.
  void acknowledge(std::uint32_t) override {}
  // Exception return does active -> inactive; nothing to write.
  void complete(std::uint32_t) override {}
  void clear_pending(std::uint32_t line) override;
  void set_priority(std::uint32_t line, std::uint8_t priority) override;
  std::uint32_t line_count() const override;

  // E0: called by irq_handler with the active line.
  void enter(std::uint32_t line);
  std::uint64_t interrupts_taken() const { return taken_; }

 private:
  sched::InterruptSink* sink_ = nullptr;
  mutable sched::CounterExtension clock_;  // the 32-bit counter as 64-bit time, lock-free
  volatile std::uint32_t taken_ = 0;  // written by E0
  std::uint32_t seen_ = 0;             // taken_ when wait() last returned
};

// The platform instance irq_handler forwards to (one per firmware).
NvicPlatform* active_platform();

}  // namespace wasmio::platform::an385
