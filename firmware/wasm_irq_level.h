// The Wasm interrupt level on a Cortex-M (E1/4 of docs/design/0010): E0 (irq_handler, at the
// line's NVIC priority) masks the line and pends PendSV; PendSV, at the lowest priority, runs the
// owning Wasm handler with a fuel budget and unmasks the line when the handler returns. Native
// interrupts of any priority preempt the Wasm handler by hardware. A handler overrunning its
// budget is abandoned and its line stays masked (fault policy "disable").
#pragma once

#include <cstdint>

#include "platform/mps2-an385/nvic.h"
#include "platform/mps2-an385/nvic_platform.h"
#include "wasmio/engine.h"

namespace wasmio::firmware {

class WasmIrqLevel final : public sched::InterruptSink {
 public:
  static constexpr std::uint8_t kPendSvPriority = 0xE0;  // below every line

  using NativeFn = void (*)(std::uint32_t line);

  explicit WasmIrqLevel(platform::an385::NvicPlatform& platform);
  ~WasmIrqLevel();

  void attach_native(std::uint32_t line, std::uint8_t priority, NativeFn fn);
  void attach_wasm(std::uint32_t line, std::uint8_t priority, Execution& exec,
                   FunctionInstance* handler, std::uint64_t budget_fuel);
  void detach(std::uint32_t line);

  // Called by pendsv_handler.
  void run_pending();

  struct LineStats {
    std::uint32_t activations = 0;
    std::uint32_t completed = 0;
    std::uint32_t overruns = 0;
    std::uint32_t traps = 0;
  };
  const LineStats& stats(std::uint32_t line) const { return lines_[line].stats; }

 private:
  void on_interrupt(std::uint32_t line) override;

  struct Line {
    NativeFn native = nullptr;
    Execution* exec = nullptr;
    FunctionInstance* handler = nullptr;
    std::uint64_t budget = 0;
    std::uint8_t priority = 0xFF;
    LineStats stats;
  };
  platform::an385::NvicPlatform& platform_;
  Line lines_[platform::an385::kIrqLines];
  volatile std::uint32_t pending_ = 0;  // lines whose Wasm handler is due (set by E0)
};

}  // namespace wasmio::firmware
