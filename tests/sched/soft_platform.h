// A scheduler platform for tests whose interrupts come from software in any context (the test
// thread, other threads, signal handlers): the SoftIrqController as controller, virtual time
// that advances with charged work, and an idle wait that lets other threads run.
#pragma once

#include <atomic>
#include <thread>

#include "sched/platform.h"
#include "sched/soft_irq_controller.h"

namespace wasmio::sched::test {

class SoftPlatform final : public Platform {
 public:
  explicit SoftPlatform(std::uint32_t lines = 32) : irqs_(lines) {}

  Cycles now() const override { return now_.load(); }
  std::uint64_t cycles_per_second() const override { return 25'000'000; }
  Cycles next_external_event() const override { return kNever; }
  void consume(Cycles cycles) override { now_.fetch_add(cycles); }
  void wait(Cycles deadline) override {
    std::this_thread::yield();  // raisers on other threads get the CPU
    if (deadline != kNever && deadline > now_.load()) now_.store(deadline);
  }

  void set_sink(InterruptSink* sink) override { irqs_.set_sink(sink); }
  void mask(std::uint32_t line) override { irqs_.mask(line); }
  void unmask(std::uint32_t line) override { irqs_.unmask(line); }
  void acknowledge(std::uint32_t line) override { irqs_.acknowledge(line); }
  void complete(std::uint32_t line) override { irqs_.complete(line); }
  void clear_pending(std::uint32_t line) override { irqs_.clear_pending(line); }
  void set_priority(std::uint32_t, std::uint8_t) override {}
  std::uint32_t line_count() const override { return irqs_.line_count(); }

  SoftIrqController& irqs() { return irqs_; }

 private:
  SoftIrqController irqs_;
  std::atomic<Cycles> now_{0};
};

}  // namespace wasmio::sched::test
