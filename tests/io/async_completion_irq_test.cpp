// Completion at the container's interrupt level under the scheduler (0012 §8): a transfer that
// asks for WASMIO_ASYNC_IRQ ends at E0 (the PL081's terminal count, a native handler of the
// host), the service pends the container's completion line, and the container's export
// "wasmio_async_irq" runs at E1/4 with its budget. The same driver's task consumes a task-level
// completion; an overrunning completion handler goes to the fault policy; a more urgent device
// handler of another container keeps its latency.
#include <gtest/gtest.h>

#ifdef WASMIO_ASYNC_WITH_SCHED
#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "async_container_fixture.h"
#include "io/async/async_io.h"
#include "io/container/board_session.h"
#include "io/sim/cmsdk_uart.h"
#include "io/sim/pl081.h"
#include "io/sim/spi_nor_flash.h"
#include "sched/async_completion.h"
#include "sched/driver_loader.h"
#include "sched/sim_platform.h"
#include "sched/timed_windows.h"

namespace wasmio::io::async {
namespace {

// Handles: 0 uart0, 1 shield-0 PL022 (the flash, selected since FPGAIO MISC resets to 0).
// main: enables its completion line (lines start disabled), starts a 34-byte UART write (DMA)
// completing at the interrupt level, then a JEDEC ID read completing at task level (event
// 0x10); the handler spins `spin` iterations, then drains the completed ops.
const char* kAsyncWat = R"((module
  (import "wasmio" "reg_write32" (func $w (param i32 i32 i32)))
  (import "wasmio_async" "uart_write" (func $uw (param i32 i32 i32 i32) (result i32)))
  (import "wasmio_async" "spi_transfer" (func $st (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasmio_async" "result" (func $res (param i32 i32) (result i32)))
  (import "wasmio_async" "completed" (func $completed (result i32)))
  (import "wasmio_irq" "event_wait" (func $wait (param i32) (result i32)))
  (import "wasmio_irq" "line_named" (func $line_named (param i32 i32) (result i32)))
  (import "wasmio_irq" "enable" (func $enable (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 256) "completion at the interrupt level\n")
  (data (i32.const 768) "wasmio_async_irq")
  (data (i32.const 512) "\9f\00\00\00")
  (global $uart_events (mut i32) (i32.const 0x80000000))
  (global $spin (mut i32) (i32.const 0))
  (global $uart_op (mut i32) (i32.const 0))
  (global $irq_runs (mut i32) (i32.const 0))
  (global $irq_op (mut i32) (i32.const 0))
  (global $irq_status (mut i32) (i32.const 99))
  (global $irq_bytes (mut i32) (i32.const 0))
  (global $task_status (mut i32) (i32.const 99))
  (global $task_bytes (mut i32) (i32.const 0))
  (func (export "main") (local $spi i32)
    (call $enable (call $line_named (i32.const 768) (i32.const 16)))
    (call $w (i32.const 0) (i32.const 0x10) (i32.const 16))  ;; UART BAUDDIV
    (call $w (i32.const 0) (i32.const 0x08) (i32.const 1))   ;; TX enable
    (call $w (i32.const 1) (i32.const 0x00) (i32.const 0xC7));; PL022 8-bit, mode 3
    (call $w (i32.const 1) (i32.const 0x10) (i32.const 2))   ;; CPSDVSR
    (call $w (i32.const 1) (i32.const 0x04) (i32.const 2))   ;; SSE
    (global.set $uart_op (call $uw (i32.const 0) (i32.const 256) (i32.const 34)
                                   (global.get $uart_events)))
    (local.set $spi (call $st (i32.const 1) (i32.const 512) (i32.const 512) (i32.const 4)
                              (i32.const 0x10)))
    (drop (call $wait (i32.const 0x10)))
    (global.set $task_status (call $res (local.get $spi) (i32.const 0x108)))
    (global.set $task_bytes (i32.load (i32.const 0x108))))
  (func (export "wasmio_async_irq") (local $op i32) (local $n i32)
    (global.set $irq_runs (i32.add (global.get $irq_runs) (i32.const 1)))
    (local.set $n (global.get $spin))
    (block $spun (loop $spin
      (br_if $spun (i32.eqz (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $spin)))
    (block $empty (loop $drain
      (local.set $op (call $completed))
      (br_if $empty (i32.eqz (local.get $op)))
      (global.set $irq_op (local.get $op))
      (global.set $irq_status (call $res (local.get $op) (i32.const 0x104)))
      (global.set $irq_bytes (i32.load (i32.const 0x104)))
      (br $drain))))
  (func (export "set") (param i32 i32) (global.set $spin (local.get 0))
    (global.set $uart_events (local.get 1)))
  (func (export "uart_op") (result i32) (global.get $uart_op))
  (func (export "irq_runs") (result i32) (global.get $irq_runs))
  (func (export "irq_op") (result i32) (global.get $irq_op))
  (func (export "irq_status") (result i32) (global.get $irq_status))
  (func (export "irq_bytes") (result i32) (global.get $irq_bytes))
  (func (export "task_status") (result i32) (global.get $task_status))
  (func (export "task_bytes") (result i32) (global.get $task_bytes))
  (func (export "jedec") (result i32) (i32.load (i32.const 512)))
))";

// Another container: CMSDK timer 0 every `reload` cycles, its handler at priority 0.
const char* kTimerWat = R"((module
  (import "wasmio" "reg_write32" (func $w (param i32 i32 i32)))
  (import "wasmio_irq" "line_of" (func $line_of (param i32) (result i32)))
  (import "wasmio_irq" "enable" (func $enable (param i32)))
  (memory 1)
  (func (export "main")
    (call $w (i32.const 0) (i32.const 0x08) (i32.const 5000))  ;; RELOAD
    (call $w (i32.const 0) (i32.const 0x04) (i32.const 5000))  ;; VALUE
    (call $w (i32.const 0) (i32.const 0x00) (i32.const 9))     ;; enable + interrupt enable
    (call $enable (call $line_of (i32.const 0))))
  (func (export "on_tick") (call $w (i32.const 0) (i32.const 0x0C) (i32.const 1)))
))";

class AsyncIrqCompletion : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    session = BoardSession::open_file(test::an385_dma_dtb_path(), &error);
    ASSERT_NE(session, nullptr) << error;
    platform = std::make_unique<sched::SimPlatform>(session->board());
    scheduler = std::make_unique<sched::Scheduler>(*platform);
    windows = std::make_unique<sched::TimedWindows>(session->windows(), *scheduler);
    AsyncIo::Options options;
    options.claim_line = [this](std::uint32_t line) {  // device/DMA lines: native E0 handlers
      sched::NativeHandler h{[](void* ctx, std::uint32_t l, sched::Cycles) {
                               static_cast<AsyncIo*>(ctx)->on_interrupt(l);
                             },
                             service.get(), 40};
      EXPECT_TRUE(scheduler->attach_native(line, 0, h));
    };
    service = std::make_unique<AsyncIo>(session->board(), session->tree().board(), options);
  }
  void TearDown() override {
    for (sched::ContainerId id : installed) scheduler->remove(id);
  }

  // A driver served by `client` (module "wasmio_async") with its completion handler, if any.
  sched::ContainerId install_driver(const std::vector<std::uint8_t>& bytes, const std::string& name,
                                    std::vector<Deployment::Pin> pins, sched::FaultPolicy policy,
                                    const sched::AsyncCompletionIrq& irq) {
    client = service->client(name, [this](std::uint32_t bits) {
      if (async_id) scheduler->post_event(*async_id, bits);
    });
    sched::DriverOptions d;
    d.name = name;
    d.deployment.pins = std::move(pins);
    d.fault_policy = policy;
    d.extra_import_module = std::string(kImportModule);
    d.extra_imports = [this, name](Store& store, const Module& module, std::vector<Extern>& externs,
                                   std::string* err) {
      if (!client->imports(store, module, externs, err)) return false;
      const ContainerBinding* b = session->registry().binding(name);
      if (b == nullptr) return false;
      client->bind(*b, *windows);
      return true;
    };
    sched::DriverLoad load = sched::load_driver(bytes, name + ".wasm", session->registry(),
                                                *windows, cycles_per_second(), d);
    EXPECT_TRUE(load) << load.error;
    if (!load) return 0;
    std::string error;
    EXPECT_TRUE(sched::add_async_completion(*load.spec, *client, irq, &error)) << error;
    async_id = scheduler->install(std::move(*load.spec), &error);
    EXPECT_TRUE(async_id) << error;
    if (!async_id) return 0;
    installed.push_back(*async_id);
    return *async_id;
  }
  sched::ContainerId install_async(sched::FaultPolicy policy, const sched::AsyncCompletionIrq& irq,
                                   std::uint32_t spin, std::uint32_t uart_events) {
    Manifest m;
    m.driver = "async-irq";
    m.access_path = AccessPath::kHostCall;
    m.peripherals.push_back(need("serial", "arm,cmsdk-uart", 0x14));
    m.peripherals.push_back(need("flash_bus", "arm,pl022", 0x28));
    const sched::ContainerId id =
        install_driver(test::with_manifest(test::wat(kAsyncWat), m), "async-irq",
                       {{"serial", "uart0"}, {"flash_bus", "spi_shield0"}}, policy, irq);
    invoke(id, "set", {spin, uart_events});
    return id;
  }

  sched::ContainerId install_timer() {
    Manifest m;
    m.driver = "ticker";
    m.access_path = AccessPath::kHostCall;
    PeripheralNeed p = need("timer", "arm,cmsdk-timer", 0x10);
    IrqNeed irq;
    irq.priority = 0;
    irq.budget = 1000;
    irq.handler = "on_tick";
    p.irqs.push_back(irq);
    m.peripherals.push_back(p);
    sched::DriverOptions d;
    d.deployment.pins = {{"timer", "timer0"}};
    sched::DriverLoad load =
        sched::load_driver(test::with_manifest(test::wat(kTimerWat), m), "ticker.wasm",
                           session->registry(), *windows, cycles_per_second(), d);
    EXPECT_TRUE(load) << load.error;
    std::string error;
    auto id = scheduler->install(std::move(*load.spec), &error);
    EXPECT_TRUE(id) << error;
    installed.push_back(*id);
    return *id;
  }

  std::uint64_t cycles_per_second() { return session->board().clock().frequency_hz(); }
  std::int32_t invoke(sched::ContainerId id, const char* name, std::vector<std::uint32_t> args) {
    Instance* instance = scheduler->instance(id);
    EXPECT_NE(instance, nullptr);
    std::vector<Value> values;
    for (std::uint32_t a : args) values.push_back(Value::i32(a));
    Execution exec;
    auto r = exec.invoke(instance->exported_function(name), values);
    EXPECT_TRUE(r);
    return exec.results().empty() ? 0 : static_cast<std::int32_t>(exec.results()[0].of.i32);
  }
  void run_ms(std::uint64_t ms) {
    scheduler->run_until(session->board().clock().now() +
                         session->board().clock().cycles_from_ms(ms));
  }
  std::string transmitted() {
    return session->board().find_as<sim::CmsdkUart>("uart0")->transmitted().text();
  }

  // The timer container's worst latency with the async container's completions handled at the
  // interrupt level by a long handler, against the same traffic completed at task level.
  sched::Cycles timer_latency_max(bool interrupt_level, sched::Cycles* completion_work) {
    const sched::ContainerId ticker = install_timer();
    sched::AsyncCompletionIrq irq;
    irq.budget_fuel = 1'000'000;
    const sched::ContainerId id = install_async(sched::FaultPolicy::kDisable, irq, 3'000,
                                                interrupt_level ? kEventCompletionIrq : 0);
    EXPECT_TRUE(scheduler->start(ticker));
    EXPECT_TRUE(scheduler->start(id));
    run_ms(20);
    const sched::HandlerStats* mine = scheduler->handler_stats(id, client->completion_line());
    *completion_work = mine != nullptr ? mine->wcet_max : 0;
    EXPECT_EQ(interrupt_level ? 1u : 0u, mine != nullptr ? mine->completed : 0u);
    const sched::HandlerStats* stats = scheduler->handler_stats(ticker, 8);
    EXPECT_NE(stats, nullptr);
    EXPECT_GT(stats->activations, 50u);
    return stats != nullptr ? stats->latency_max : 0;
  }
  // Everything down, then up again as in SetUp.
  void reopen() {
    TearDown();
    installed.clear();
    async_id.reset();
    client.reset();
    service.reset();
    windows.reset();
    scheduler.reset();
    platform.reset();
    session.reset();
    SetUp();
  }

  std::unique_ptr<BoardSession> session;
  std::unique_ptr<sched::SimPlatform> platform;
  std::unique_ptr<sched::Scheduler> scheduler;
  std::unique_ptr<sched::TimedWindows> windows;
  std::unique_ptr<AsyncIo> service;
  std::unique_ptr<AsyncClient> client;
  std::optional<sched::ContainerId> async_id;
  std::vector<sched::ContainerId> installed;
};

TEST_F(AsyncIrqCompletion, HandlerGetsTheResultAndTheTaskItsOwn) {
  const sched::ContainerId id =
      install_async(sched::FaultPolicy::kDisable, {}, 0, kEventCompletionIrq);
  const std::uint32_t line = client->completion_line();
  ASSERT_NE(line, UINT32_MAX);
  for (const BoardNode& n : session->tree().board().nodes) {
    EXPECT_EQ(std::count(n.irqs.begin(), n.irqs.end(), line), 0) << "a device's line: " << n.path;
  }
  ASSERT_TRUE(scheduler->start(id));
  run_ms(20);
  EXPECT_EQ(scheduler->info(id)->task_state, sched::TaskState::kReturned)
      << scheduler->info(id)->last_fault;
  // Interrupt level: the UART write, with its status and bytes.
  EXPECT_EQ(invoke(id, "irq_runs", {}), 1);
  EXPECT_EQ(invoke(id, "irq_op", {}), invoke(id, "uart_op", {}));
  EXPECT_EQ(invoke(id, "irq_status", {}), kDone);
  EXPECT_EQ(invoke(id, "irq_bytes", {}), 34);
  EXPECT_EQ(transmitted(), "completion at the interrupt level\n");
  // Task level: the JEDEC ID read, woken by its event only.
  EXPECT_EQ(invoke(id, "task_status", {}), kDone);
  EXPECT_EQ(invoke(id, "task_bytes", {}), 4);
  EXPECT_EQ(static_cast<std::uint32_t>(invoke(id, "jedec", {})), 0x1540EFFFu);
  // It ran as a handler of the scheduler, on the container's completion line.
  const sched::HandlerStats* stats = scheduler->handler_stats(id, line);
  ASSERT_NE(stats, nullptr);
  EXPECT_EQ(stats->activations, 1u);
  EXPECT_EQ(stats->completed, 1u);
  EXPECT_EQ(stats->overruns, 0u);
  EXPECT_EQ(client->running(), 0u);
}

TEST_F(AsyncIrqCompletion, WithoutTheHandlerAskingForItIsRefused) {
  // The same start without the handler exported: WASMIO_ASYNC_IRQ is refused, nothing is lent.
  ASSERT_EQ(client, nullptr);
  client = service->client("plain");
  EXPECT_EQ(client->completion_line(), UINT32_MAX);
  EXPECT_EQ(client->uart_write(0, 0, 4, kEventCompletionIrq), kInvalid);
}

TEST_F(AsyncIrqCompletion, OverrunGoesToTheFaultPolicy) {
  sched::AsyncCompletionIrq irq;
  irq.budget_fuel = 2'000;
  const sched::ContainerId id =
      install_async(sched::FaultPolicy::kDisable, irq, 1'000'000, kEventCompletionIrq);
  ASSERT_TRUE(scheduler->start(id));
  run_ms(20);
  const sched::HandlerStats* stats = scheduler->handler_stats(id, client->completion_line());
  ASSERT_NE(stats, nullptr);
  EXPECT_EQ(stats->activations, 1u);
  EXPECT_EQ(stats->overruns, 1u);
  EXPECT_EQ(stats->completed, 0u);
  EXPECT_FALSE(scheduler->info(id)->last_fault.empty());
  EXPECT_EQ(invoke(id, "irq_status", {}), 99);  // cut off before it took the result
  // The task and the transfer are unaffected: the write went out, its result is still there.
  EXPECT_EQ(scheduler->info(id)->task_state, sched::TaskState::kReturned);
  EXPECT_EQ(invoke(id, "task_status", {}), kDone);
  EXPECT_EQ(transmitted(), "completion at the interrupt level\n");
  const OpResult r = client->peek_result(invoke(id, "uart_op", {}));
  EXPECT_EQ(r.status, kDone);
  EXPECT_EQ(r.bytes_done, 34u);
}

TEST_F(AsyncIrqCompletion, AnotherContainersInterruptLatencyIsUnaffected) {
  sched::Cycles work = 0;
  const sched::Cycles with_handler = timer_latency_max(true, &work);
  EXPECT_GT(work, 10'000u);  // long enough to show in the timer's latency if it blocked it
  reopen();
  sched::Cycles none = 0;
  const sched::Cycles task_level = timer_latency_max(false, &none);
  // Allowance: the one extra E0 entry of the completion line (entry, prologue, exit).
  RecordProperty("timer_latency_max_with_completion_handler", std::to_string(with_handler));
  RecordProperty("timer_latency_max_task_level_completion", std::to_string(task_level));
  RecordProperty("completion_handler_wcet", std::to_string(work));
  const sched::CostModel& c = scheduler->costs();
  EXPECT_LE(with_handler, task_level + c.exception_entry + c.e0_prologue + c.exception_exit);
  EXPECT_LT(with_handler * 10, work);
}

// The SDK driver drivers/async/flash_verify.c, for each access path: its completion handler
// chains JEDEC ID, write enable, page program, status polls and read back through the PL081;
// its task reports over the UART with a task-level completion.
class AsyncFlashVerify : public AsyncIrqCompletion,
                         public ::testing::WithParamInterface<const char*> {};

TEST_P(AsyncFlashVerify, HandlerChainsTheFlashCommandsThroughTheDma) {
  const auto bytes = test::read_binary(std::string(WASMIO_ASYNC_DRIVERS_DIR) + "/flash_verify_" +
                                       GetParam() + ".wasm");
  ASSERT_FALSE(bytes.empty());
  const sched::ContainerId id =
      install_driver(bytes, "flash-verify", {{"serial", "uart0"}, {"flash_bus", "spi_shield0"}},
                     sched::FaultPolicy::kDisable, {});
  ASSERT_TRUE(scheduler->start(id));
  run_ms(50);
  ASSERT_EQ(scheduler->info(id)->task_state, sched::TaskState::kReturned)
      << scheduler->info(id)->last_fault;
  EXPECT_EQ(invoke(id, "step", {}), 5) << "failure " << invoke(id, "failure", {});  // STEP_DONE
  const std::int32_t polls = invoke(id, "polls", {});
  EXPECT_GE(polls, 2);  // tPP 0.4 ms: at least one poll saw BUSY
  const std::string report = "flash-verify: jedec ef4015, page 0x002000 programmed and verified, " +
                             std::to_string(polls) + " status polls\r\n";
  EXPECT_EQ(transmitted(), report);
  auto* flash = session->board().find_as<sim::SpiNorFlash>("spi_flash");
  ASSERT_NE(flash, nullptr);
  for (std::uint32_t i = 0; i < 256; ++i) {
    ASSERT_EQ(flash->memory()[0x2000 + i], static_cast<std::uint8_t>(i * 37 + 11)) << i;
  }
  // One handler activation per command at least (JEDEC, WREN, PP, polls, READ), all on time.
  const sched::HandlerStats* stats = scheduler->handler_stats(id, client->completion_line());
  ASSERT_NE(stats, nullptr);
  EXPECT_EQ(static_cast<std::int64_t>(stats->completed), invoke(id, "handler_runs", {}));
  EXPECT_GE(stats->completed, static_cast<std::uint64_t>(4 + polls));
  EXPECT_EQ(stats->overruns, 0u);
  // Through the DMAC: the page out and back, two elements per frame.
  EXPECT_GE(service->dma()->elements_moved(), 2u * 2 * (4 + 256));
}

INSTANTIATE_TEST_SUITE_P(AccessPaths, AsyncFlashVerify,
                         ::testing::Values("host_call", "mapped", "copy"));

}  // namespace
}  // namespace wasmio::io::async
#endif  // WASMIO_ASYNC_WITH_SCHED
