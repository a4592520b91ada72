// What the scheduler needs from the machine it runs on, and nothing more: a time source, the
// interrupt controller's mask/acknowledge operations, a way to idle, and (simulation only) a way
// to charge executed work to virtual time. The scheduler core sees only this interface, so the
// same core runs on a Cortex-M (SysTick/NVIC, WFI), in the simulation (SimClock/the NVIC model)
// and on Linux (clock_gettime, UIO interrupt fds or signals as interrupt sources).
#pragma once

#include <cstdint>

namespace wasmio::sched {

using Cycles = std::uint64_t;
inline constexpr Cycles kNever = UINT64_MAX;

// The E0 entry point: the platform's interrupt vector (or the simulation's controller listener,
// or a Linux fd/signal watcher) calls this for every line that becomes pending and is unmasked.
class InterruptSink {
 public:
  virtual void on_interrupt(std::uint32_t line) = 0;

 protected:
  ~InterruptSink() = default;
};

class Platform {
 public:
  virtual ~Platform() = default;

  // Time in cycles of the platform clock (virtual cycles in the simulation).
  virtual Cycles now() const = 0;
  virtual std::uint64_t cycles_per_second() const = 0;
  // The earliest future time something external is known to happen (a simulated device event);
  // kNever on hardware, where interrupts preempt by themselves.
  virtual Cycles next_external_event() const = 0;
  // Executed work of `cycles` (simulation: virtual time advances and device events due in that
  // span fire; hardware: time has passed already, nothing to do).
  virtual void consume(Cycles cycles) = 0;
  // True when time advances only through consume() (the simulation); false where the clock runs
  // by itself and consume() does nothing (hardware, Linux): the scheduler then skips charging
  // E0 and dispatch, and reuses its clock readings instead of re-reading after a no-op charge.
  virtual bool virtual_time() const { return true; }
  // Sleep until an interrupt is taken or `deadline` is reached, whichever is first.
  virtual void wait(Cycles deadline) = 0;

  // Interrupt controller (NVIC-like).
  virtual void set_sink(InterruptSink* sink) = 0;
  virtual void mask(std::uint32_t line) = 0;
  virtual void unmask(std::uint32_t line) = 0;
  virtual void acknowledge(std::uint32_t line) = 0;    // exception entry: pending -> active
  virtual void complete(std::uint32_t line) = 0;       // exception return: active -> inactive
  virtual void clear_pending(std::uint32_t line) = 0;  // ICPR
  virtual void set_priority(std::uint32_t line, std::uint8_t priority) = 0;
  virtual std::uint32_t line_count() const = 0;
};

}  // namespace wasmio::sched
