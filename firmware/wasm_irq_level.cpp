#include "wasm_irq_level.h"

#include "platform/mps2-an385/nvic.h"

namespace wasmio::firmware {
namespace an385 = platform::an385;

namespace {
WasmIrqLevel* g_level = nullptr;
}

WasmIrqLevel::WasmIrqLevel(an385::NvicPlatform& platform) : platform_(platform) {
  g_level = this;
  an385::pendsv_set_priority(kPendSvPriority);
  platform_.set_sink(this);
}

WasmIrqLevel::~WasmIrqLevel() {
  for (std::uint32_t line = 0; line < an385::kIrqLines; ++line) platform_.mask(line);
  platform_.set_sink(nullptr);
  g_level = nullptr;
}

void WasmIrqLevel::attach_native(std::uint32_t line, std::uint8_t priority, NativeFn fn) {
  platform_.mask(line);
  lines_[line] = Line{};
  lines_[line].native = fn;
  lines_[line].priority = priority;
  platform_.set_priority(line, priority);
}

void WasmIrqLevel::attach_wasm(std::uint32_t line, std::uint8_t priority, Execution& exec,
                               FunctionInstance* handler, std::uint64_t budget_fuel) {
  platform_.mask(line);
  lines_[line] = Line{};
  lines_[line].exec = &exec;
  lines_[line].handler = handler;
  lines_[line].budget = budget_fuel;
  lines_[line].priority = priority;
  platform_.set_priority(line, priority);
}

void WasmIrqLevel::detach(std::uint32_t line) {
  platform_.mask(line);
  platform_.clear_pending(line);
  an385::BasepriGuard guard(an385::kPriorityStep);  // E0 of every line is held off
  pending_ = pending_ & ~(1u << line);
  lines_[line] = Line{};
}

// E0, in handler mode at the line's priority.
void WasmIrqLevel::on_interrupt(std::uint32_t line) {
  Line& l = lines_[line];
  if (l.native != nullptr) {
    l.native(line);
    return;
  }
  platform_.mask(line);  // the device keeps its request until the Wasm handler clears it
  if (l.handler == nullptr) return;
  // Only E0 sets bits and E0s of different priorities may nest: an atomic read-modify-write.
  std::uint32_t old, failed;
  do {
    __asm__ volatile("ldrex %0, [%1]" : "=r"(old) : "r"(&pending_) : "memory");
    __asm__ volatile("strex %0, %2, [%1]" : "=&r"(failed) : "r"(&pending_), "r"(old | (1u << line)) : "memory");
  } while (failed != 0);
  an385::pendsv_trigger();
}

// The Wasm level: PendSV, preemptible by every interrupt line.
void WasmIrqLevel::run_pending() {
  for (;;) {
    std::uint32_t line = an385::kIrqLines;
    {
      // Picking and clearing the most urgent pending line must not race with E0 setting bits.
      an385::BasepriGuard guard(an385::kPriorityStep);
      std::uint8_t best = 0xFF;
      for (std::uint32_t i = 0, bits = pending_; bits != 0; ++i, bits >>= 1) {
        if ((bits & 1u) && (line == an385::kIrqLines || lines_[i].priority < best)) {
          line = i;
          best = lines_[i].priority;
        }
      }
      if (line == an385::kIrqLines) return;
      pending_ = pending_ & ~(1u << line);
    }
    Line& l = lines_[line];
    ++l.stats.activations;
    l.exec->set_fuel(l.budget != 0 ? l.budget : UINT64_MAX);
    auto r = l.exec->invoke(l.handler, {});
    if (r && *r == RunState::kReturned) {
      ++l.stats.completed;
      // The NVIC latched the request while the line was masked; the handler has served it. A
      // device still asserting its level re-pends the line at once (ARMv7-M B3.4.1).
      platform_.clear_pending(line);
      platform_.unmask(line);
    } else if (r && *r == RunState::kSuspended) {
      ++l.stats.overruns;  // budget spent: the line stays masked (fault policy "disable")
      l.exec->abandon();
    } else {
      ++l.stats.traps;
    }
  }
}

}  // namespace wasmio::firmware

extern "C" void pendsv_handler() {
  if (wasmio::firmware::g_level != nullptr) wasmio::firmware::g_level->run_pending();
}
