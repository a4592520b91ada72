// The native baseline of the case study: the same C driver and application sources as the
// containers (casestudy/containers, drivers/sbcon_i2c, drivers/tmp105; the flash log on the
// board's SPI NOR flash), compiled for the host
// and linked in, bound by the same manifests through the same binder, reaching the same
// simulated registers, under the same scheduler — but as native E0 handlers and native
// deferred work (E1/2), with direct calls in place of services: no isolation, no budgets.
//
// Virtual time of native code is a model (the host's instruction counts are not available on
// the development VM, and host instructions are not Cortex-M3 cycles anyway): every register
// access costs kNativeAccessCycles, every call into a driver kNativeCallCycles, interrupt entry
// and exit as in the scheduler's CostModel. It omits the native code between accesses, so it
// is a lower bound for native and the ratio to Wasm an upper bound on the overhead
// (docs/case-study.md).
#pragma once

#include <memory>
#include <string>

#include "scenario.h"

namespace wasmio::casestudy {

inline constexpr sched::Cycles kNativeAccessCycles = 6;  // APB access (2) + address/bit work
inline constexpr sched::Cycles kNativeCallCycles = 12;   // call, prologue, epilogue, return

class NativeBaseline {
 public:
  // The native drivers keep their state in static variables (they are linked in once): one
  // baseline per process; a second create() is refused.
  static std::unique_ptr<NativeBaseline> create(const ScenarioOptions& options,
                                                std::string* error);
  ~NativeBaseline();

  void run_ms(std::uint64_t ms);
  std::string uart_output() const { return uart_->transmitted().text(); }
  sched::Scheduler& scheduler() { return *scheduler_; }
  io::sim::SimBoard& board() { return session_->board(); }
  std::uint64_t register_accesses() const;

  struct Impl;

 private:
  NativeBaseline() = default;
  ScenarioOptions options_;
  std::unique_ptr<io::BoardSession> session_;
  std::unique_ptr<sched::SimPlatform> platform_;
  std::unique_ptr<sched::Scheduler> scheduler_;
  io::sim::CmsdkUart* uart_ = nullptr;
  sched::Cycles next_release_ = 0;
  bool job_posted_ = false;
};

}  // namespace wasmio::casestudy
