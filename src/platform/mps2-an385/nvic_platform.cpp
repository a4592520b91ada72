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

NvicPlatform::NvicPlatform() {
  g_platform = this;
  last_low_ = fpga_counter();
}

NvicPlatform::~NvicPlatform() {
  for (std::uint32_t line = 0; line < kIrqLines; ++line) nvic_disable(line);
  if (g_platform == this) g_platform = nullptr;
}

// The counter wraps every 172 s at 25 MHz; now() is called far more often than that. Called
// from thread mode and from E0 (latency stamps): the read-modify-write runs with interrupts off.
sched::Cycles NvicPlatform::now() const {
  std::uint32_t primask;
  __asm__ volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
  const std::uint32_t low = fpga_counter();
  if (low < last_low_) high_ += 1ull << 32;
  last_low_ = low;
  const sched::Cycles t = high_ | low;
  __asm__ volatile("msr primask, %0" ::"r"(primask) : "memory");
  return t;
}

// WFI wakes on any interrupt. Under QEMU -icount sleep=off a WFI without another pending timer
// deadline oversleeps by one period, so SysTick runs as a heartbeat (interrupt off, its COUNTFLAG
// deadline keeps the virtual clock moving); a deadline in the past returns at once.
void NvicPlatform::wait(sched::Cycles deadline) {
  if (systick().csr == 0) {
    systick().rvr = 25000 - 1;  // 1 ms
    systick().cvr = 0;
    systick().csr = 0b101;  // enable, core clock, no interrupt
  }
  while (now() < deadline) {
    const std::uint64_t before = taken_;
    __asm__ volatile("wfi" ::: "memory");
    if (taken_ != before) return;
  }
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
  ++taken_;
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
