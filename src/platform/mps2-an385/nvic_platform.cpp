#include "platform/mps2-an385/nvic_platform.h"

#include "platform/mps2-an385/board.h"
#include "platform/mps2-an385/nvic.h"

namespace wasmio::platform::an385 {
namespace {

NvicPlatform* g_platform = nullptr;

struct SysTickRegs {
  volatile std::uint32_t csr;
  volatile std::uint32_t rvr;
  volatile std::uint32_t cvr;
};
SysTickRegs& systick() { return *reinterpret_cast<SysTickRegs*>(0xE000E010); }

}  // namespace

NvicPlatform* active_platform() { return g_platform; }

NvicPlatform::NvicPlatform() : clock_(fpga_counter()) { g_platform = this; }

NvicPlatform::~NvicPlatform() {
  for (std::uint32_t line = 0; line < kIrqLines; ++line) nvic_disable(line);
  if (g_platform == this) g_platform = nullptr;
}

// The counter wraps every 172 s at 25 MHz. Read from thread mode and from E0 (arrival stamps)
// without masking interrupts: see sched/counter_extension.h.
sched::Cycles NvicPlatform::now() const { return clock_.read(fpga_counter); }

// WFI wakes only on an enabled interrupt: SysTick is armed with its interrupt for the deadline
// (at most 0.67 s per step, its 24-bit reload), so a wait with every line masked still ends, and
// under QEMU -icount sleep=off the virtual clock has a deadline to jump to. The firmware's
// SysTick exception handler must return quietly (firmware/main.cpp).
// An interrupt taken since the previous wait() returns at once: the scheduler checked its pending
// work before calling, and an E0 between that check and the WFI must not be slept through. The
// check and the WFI run with PRIMASK set (WFI still wakes on a pending interrupt, which is taken
// when PRIMASK clears).
void NvicPlatform::wait(sched::Cycles deadline) {
  for (;;) {
    const sched::Cycles t = now();
    if (t >= deadline) break;
    const sched::Cycles left = deadline - t;
    // A reload shorter than the SysTick handler's own run livelocks the core: the next expiry is
    // pending when the handler returns, exceptions tail-chain and thread mode never runs again
    // to disable SysTick (seen under QEMU, where exception entry costs nothing; on silicon the
    // 12-cycle entry makes it worse). Short waits spin on the counter instead.
    if (left < kMinSysTickReload) {
      while (now() < deadline && taken_ == seen_) {
      }
      break;
    }
    systick().csr = 0;
    systick().rvr = static_cast<std::uint32_t>(left < 0xFFFFFF ? left : 0xFFFFFF);
    systick().cvr = 0;
    systick().csr = 0b111;  // enable, interrupt, core clock (25 MHz)
    __asm__ volatile("cpsid i" ::: "memory");
    const bool taken = taken_ != seen_;
    if (!taken) __asm__ volatile("wfi" ::: "memory");
    __asm__ volatile("cpsie i" ::: "memory");
    if (taken || taken_ != seen_) break;
  }
  systick().csr = 0;
  seen_ = taken_;
}

void NvicPlatform::mask(std::uint32_t line) {
  if (line < kIrqLines) nvic_disable(line);
}
void NvicPlatform::unmask(std::uint32_t line) {
  if (line < kIrqLines) nvic_enable(line);
}
void NvicPlatform::clear_pending(std::uint32_t line) {
  if (line < kIrqLines) nvic_clear_pending(line);
}
void NvicPlatform::set_priority(std::uint32_t line, std::uint8_t priority) {
  if (line < kIrqLines) nvic_set_priority(line, priority);
}
std::uint32_t NvicPlatform::line_count() const { return kIrqLines; }

void NvicPlatform::enter(std::uint32_t line) {
  taken_ = taken_ + 1;
  if (sink_ != nullptr) {
    sink_->on_interrupt(line);
  } else {
    nvic_disable(line);  // nobody owns it: keep it quiet rather than re-entering forever
  }
}

}  // namespace wasmio::platform::an385

// E0: the single hardware entry of all 32 external interrupts (startup.cpp's vector table).
extern "C" void irq_handler() {
  using namespace wasmio::platform::an385;
  const std::uint32_t line = active_exception() - 16;
  if (NvicPlatform* p = active_platform()) {
    p->enter(line);
  } else {
    nvic_disable(line);
  }
}
