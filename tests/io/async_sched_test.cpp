// The async service under the scheduler: a driver's task starts a UART block write, blocks in
// wasmio_event_wait, and is woken by the completion (Scheduler::post_event) while the UART's TX
// interrupt is a native E0 handler of the host. The transfer's interrupts cost no container
// budget; the task sees the result it polls afterwards.
#include <gtest/gtest.h>

#ifdef WASMIO_ASYNC_WITH_SCHED
#include <optional>

#include "async_test_support.h"
#include "container_test_support.h"
#include "io/async/async_io.h"
#include "io/container/board_session.h"
#include "io/sim/cmsdk_uart.h"
#include "sched/driver_loader.h"
#include "sched/sim_platform.h"
#include "sched/timed_windows.h"

namespace wasmio::io::async {
namespace {

const char* kTaskWat = R"((module
  (import "wasmio" "reg_write32" (func $w (param i32 i32 i32)))
  (import "wasmio_async" "uart_write" (func $uw (param i32 i32 i32 i32) (result i32)))
  (import "wasmio_async" "result" (func $res (param i32 i32) (result i32)))
  (import "wasmio_irq" "event_wait" (func $wait (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 256) "posted by the scheduler when the transfer completed\n")
  (global $op (mut i32) (i32.const 0))
  (global $status (mut i32) (i32.const 99))
  (global $woken (mut i32) (i32.const 0))
  (func (export "main")
    (call $w (i32.const 0) (i32.const 0x10) (i32.const 16))  ;; BAUDDIV
    (call $w (i32.const 0) (i32.const 0x08) (i32.const 1))   ;; TX enable
    (global.set $op (call $uw (i32.const 0) (i32.const 256) (i32.const 52) (i32.const 0x10)))
    (global.set $woken (call $wait (i32.const 0x10)))
    (global.set $status (call $res (global.get $op) (i32.const 0))))
  (func (export "op") (result i32) (global.get $op))
  (func (export "status") (result i32) (global.get $status))
  (func (export "woken") (result i32) (global.get $woken))
))";

TEST(AsyncScheduler, CompletionWakesTheWaitingTask) {
  std::string error;
  auto session = BoardSession::open_file(test::an385_dma_dtb_path(), &error);
  ASSERT_NE(session, nullptr) << error;
  sim::SimBoard& board = session->board();
  sched::SimPlatform platform(board);
  sched::Scheduler scheduler(platform);
  sched::TimedWindows windows(session->windows(), scheduler);

  AsyncIo::Options options;
  options.use_dma = false;
  options.claim_line = [](std::uint32_t) {};  // the TX line is attached below
  AsyncIo service(board, session->tree().board(), options);
  std::optional<sched::ContainerId> id;
  auto client = service.client("async-task", [&](std::uint32_t bits) {
    if (id) scheduler.post_event(*id, bits);
  });
  sched::NativeHandler tx{[](void* ctx, std::uint32_t line, sched::Cycles) {
                            static_cast<AsyncIo*>(ctx)->on_interrupt(line);
                          },
                          &service, 40};
  ASSERT_TRUE(scheduler.attach_native(1, 0, tx));  // UART0 TX

  Manifest m;
  m.driver = "async-task";
  m.access_path = AccessPath::kHostCall;
  PeripheralNeed p;
  p.label = "serial";
  p.compatible = {"arm,cmsdk-uart"};
  WindowNeed w;
  w.widths = kWidth32;
  w.min_size = 0x14;
  p.windows.push_back(w);
  m.peripherals.push_back(p);
  const auto bytes = test::with_manifest(test::wat(kTaskWat), m);

  sched::DriverOptions driver;
  driver.name = "async-task";
  driver.deployment.pins = {{"serial", "uart0"}};
  driver.extra_import_module = std::string(kImportModule);
  GrantRegistry& registry = session->registry();
  driver.extra_imports = [&](Store& store, const Module& module, std::vector<Extern>& externs,
                             std::string* err) {
    if (!client->imports(store, module, externs, err)) return false;
    const ContainerBinding* b = registry.binding("async-task");
    if (b == nullptr) {
      *err = "not bound";
      return false;
    }
    client->bind(*b, windows);
    return true;
  };
  sched::DriverLoad load = sched::load_driver(bytes, "async-task.wasm", registry, windows,
                                              board.clock().frequency_hz(), driver);
  ASSERT_TRUE(load) << load.error;
  id = scheduler.install(std::move(*load.spec), &error);
  ASSERT_TRUE(id) << error;
  ASSERT_TRUE(scheduler.start(*id));
  scheduler.run_until(board.clock().cycles_from_us(100));
  EXPECT_EQ(scheduler.info(*id)->task_state, sched::TaskState::kWaitingEvent);  // blocked
  scheduler.run_until(board.clock().cycles_from_ms(20));
  EXPECT_EQ(scheduler.info(*id)->task_state, sched::TaskState::kReturned)
      << scheduler.info(*id)->last_fault;
  Instance* instance = scheduler.instance(*id);
  ASSERT_NE(instance, nullptr);
  Execution exec;
  auto global_of = [&](const char* name) {
    auto r = exec.invoke(instance->exported_function(name), {});
    EXPECT_TRUE(r);
    return static_cast<std::int32_t>(exec.results()[0].of.i32);
  };
  EXPECT_GT(global_of("op"), 0);
  EXPECT_EQ(global_of("woken"), 0x10);
  EXPECT_EQ(global_of("status"), kDone);
  auto* uart = board.find_as<sim::CmsdkUart>("uart0");
  EXPECT_EQ(uart->transmitted().text(), "posted by the scheduler when the transfer completed\n");
  const sched::HandlerStats* stats = scheduler.handler_stats(*id, 1);
  EXPECT_TRUE(stats == nullptr || stats->activations == 0);  // the container ran no handler
  EXPECT_GE(service.interrupts_serviced(), 50u);
  scheduler.remove(*id);
}

}  // namespace
}  // namespace wasmio::io::async
#endif  // WASMIO_ASYNC_WITH_SCHED
