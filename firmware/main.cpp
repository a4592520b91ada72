// wasmio firmware for MPS2 AN385: runs the engine on the Cortex-M3 and checks what matters on a
// microcontroller — results, traps with backtraces, fuel, and preemption of a running guest from
// a real interrupt (SysTick) at a safe point, resumed exactly where it stopped.
#include <cstdint>
#include <cstdio>
#include <span>

#include <cstring>

#include "casestudy_mode.h"
#include "checks.h"
#include "command_console.h"
#include "driver_tests.h"
#include "irq_tests.h"
#include "platform/mps2-an385/board.h"
#include "wasmio/engine.h"

extern "C" const std::uint8_t selftest_wasm_start[];
extern "C" const std::uint8_t selftest_wasm_end[];
extern "C" unsigned crc32(unsigned length);  // guests/selftest.c compiled natively

namespace {

using namespace wasmio;
namespace an385 = wasmio::platform::an385;

int g_passed = 0;
int g_failed = 0;

}  // namespace

void check(bool ok, const char* what) {
  std::printf("  %s %s\n", ok ? "ok  " : "FAIL", what);
  (ok ? g_passed : g_failed)++;
}

namespace {

// SysTick: the preemption source of the test (an E0 interrupt asking the guest to yield).
struct SysTick {
  volatile std::uint32_t csr;  // 0xE000E010
  volatile std::uint32_t rvr;
  volatile std::uint32_t cvr;
};
SysTick& systick() { return *reinterpret_cast<SysTick*>(0xE000E010); }
Execution* volatile g_preempt_target = nullptr;
volatile std::uint32_t g_ticks = 0;

}  // namespace

extern "C" void systick_handler() {
  g_ticks = g_ticks + 1;
  if (Execution* e = g_preempt_target) e->request_preempt();  // async-safe by contract
}

int main() {
  std::printf("wasmio firmware on MPS2 AN385 (Cortex-M3)\n");
  // The boot mode comes from QEMU: -semihosting-config ...,arg=console.
  char cmdline[64];
  const bool have_cmdline = an385::semihosting_cmdline(cmdline, sizeof(cmdline));
  if (have_cmdline && std::strstr(cmdline, "console")) run_command_console();
  // "casestudy[-flat][-measure]": tests/qemu/run-casestudy-test, bench/mcu/run-mcu-casestudy.
  if (have_cmdline && std::strstr(cmdline, "casestudy")) {
    run_casestudy(std::strstr(cmdline, "-flat") != nullptr,
                  std::strstr(cmdline, "-measure") != nullptr);
  }
  // "echo": the boot without -icount (tests/qemu/run-echo-test), where the counter is host time.
  const bool timed_checks = !(have_cmdline && std::strstr(cmdline, "echo"));
  LoadOptions load;
  load.copy_bytes = false;  // the binary stays in flash
  auto module = Module::load(
      std::span<const std::uint8_t>(selftest_wasm_start, selftest_wasm_end), load);
  if (!module) {
    std::printf("load failed: %s\n", module.error().message());
    return 1;
  }
  Store store;
  ExecutionConfig config;
  config.stack_slots = 2048;
  config.max_frames = 128;
  config.fuel_policy = FuelPolicy::kSuspend;
  Execution exec(config);
  InstanceOptions options;
  options.execution = &exec;
  options.limits.max_memory_pages = 1;
  auto instance = store.instantiate(**module, {}, options);
  if (!instance) {
    std::printf("instantiate failed: %s\n", instance.error().message());
    return 1;
  }
  Instance& inst = **instance;

  std::printf("results:\n");
  Value arg = Value::i32(20);
  auto r = exec.invoke(inst.exported_function("fib"), {&arg, 1});
  check(r && *r == RunState::kReturned && exec.results()[0].of.i32 == 6765, "fib(20) = 6765");

  arg = Value::i32(4096);
  r = exec.invoke(inst.exported_function("crc32"), {&arg, 1});
  std::uint32_t crc = r ? exec.results()[0].of.i32 : 0;
  std::printf("  crc32 of 4096 bytes = 0x%08lx\n", static_cast<unsigned long>(crc));
  check(r && crc == crc32(4096), "crc32 in Wasm equals the same C compiled natively");

  std::printf("traps:\n");
  Value args[2] = {Value::i32(10), Value::i32(0)};
  r = exec.invoke(inst.exported_function("average"), args);
  check(!r && r.error().code == ErrorCode::kIntegerDivideByZero, "integer divide by zero");
  check(exec.backtrace().size() == 2 && exec.backtrace()[0].name == "divide",
        "backtrace names the trapping function");

  arg = Value::i32(100000);
  r = exec.invoke(inst.exported_function("fib"), {&arg, 1});
  check(!r && r.error().code == ErrorCode::kCallStackExhausted, "call stack exhausted");

  std::printf("fuel:\n");
  exec.set_fuel(10000);
  r = exec.invoke(inst.exported_function("spin"), {});
  check(r && *r == RunState::kSuspended && exec.suspend_reason() == SuspendReason::kFuel,
        "an endless loop suspends when its fuel is spent");
  exec.abandon();
  exec.set_fuel(UINT64_MAX);

  std::printf("preemption by SysTick at safe points:\n");
  constexpr std::uint32_t kIterations = 200000;
  systick().rvr = 25000 - 1;  // 1 ms at 25 MHz
  systick().cvr = 0;
  g_preempt_target = &exec;
  systick().csr = 0b111;  // enable, interrupt, core clock
  arg = Value::i32(kIterations);
  int suspensions = 0;
  r = exec.invoke(inst.exported_function("count_to"), {&arg, 1});
  while (r && *r == RunState::kSuspended && exec.suspend_reason() == SuspendReason::kPreempt) {
    ++suspensions;
    r = exec.resume();
  }
  systick().csr = 0;
  g_preempt_target = nullptr;
  std::printf("  %d preemptions, %lu ticks\n", suspensions, static_cast<unsigned long>(g_ticks));
  check(r && *r == RunState::kReturned && exec.results()[0].of.i32 == kIterations,
        "count_to(200000) resumed to the exact result");
  check(suspensions > 0, "SysTick preempted the guest");

  run_irq_tests(timed_checks);
  if (timed_checks) {
    run_driver_tests();
  } else {
    std::printf("driver tests: skipped (boot without -icount: their checks are timed)\n");
  }

  std::printf("selftest: %d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
