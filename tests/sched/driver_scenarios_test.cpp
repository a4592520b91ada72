// The interrupt-driven drivers (drivers/irq) on the simulated AN385, bound through their
// manifests and run by the scheduler: UART echo through the RX/TX rings, LED blink from the
// timer interrupt, a debounced button press.
#ifdef WASMIO_IRQ_DRIVERS_DIR
#include <fstream>

#include "io/container/board_session.h"
#include "io/sim/cmsdk_uart.h"
#include "io/sim/mps2_fpgaio.h"
#include "sched/driver_loader.h"
#include "sched/timed_windows.h"
#include "sched_test_support.h"
#include "wasmio/allocator.h"

namespace wasmio::sched::test {
namespace {

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

struct DemoRun {
  std::string uart;
  std::size_t led_changes = 0;
  std::string summary;
  const HandlerStats* rx = nullptr;
};

TEST(DriverScenarios, InterruptDrivenUartEchoBlinkAndButton) {
  std::string error;
  auto session = io::BoardSession::open_file(std::string(WASMIO_BOARDS_DIR) + "/mps2-an385.dtb",
                                             &error);
  ASSERT_NE(session, nullptr) << error;
  io::sim::SimBoard& board = session->board();
  SimPlatform platform(board);
  Scheduler scheduler(platform);
  TimedWindows windows(session->windows(), scheduler);
  const auto bytes = read_file(std::string(WASMIO_IRQ_DRIVERS_DIR) + "/irq_demo.wasm");
  DriverLoad load = load_driver(bytes, "irq_demo.wasm", session->registry(), windows,
                                board.clock().frequency_hz());
  ASSERT_TRUE(load) << load.error;
  ASSERT_EQ(load.spec->handlers.size(), 4u);
  auto id = scheduler.install(std::move(*load.spec), &error);
  ASSERT_TRUE(id) << error;
  auto* uart = board.find_as<io::sim::CmsdkUart>("uart0");
  auto* fpgaio = board.find_as<io::sim::Mps2Fpgaio>("fpgaio");
  ASSERT_NE(uart, nullptr);
  ASSERT_NE(fpgaio, nullptr);
  ASSERT_TRUE(scheduler.start(*id));
  scheduler.run_until(board.clock().cycles_from_ms(10));
  uart->inject_rx("echo me");
  scheduler.run_until(board.clock().cycles_from_ms(200));
  fpgaio->set_button(1, true);
  scheduler.run_until(board.clock().cycles_from_ms(260));
  fpgaio->set_button(1, false);
  scheduler.run_until(board.clock().cycles_from_ms(450));

  const std::string out = uart->transmitted().text();
  EXPECT_NE(out.find("wasmio irq demo"), std::string::npos) << out;
  EXPECT_NE(out.find("echo me"), std::string::npos) << out;
  EXPECT_NE(out.find("[button 1 pressed after 2 blinks]"), std::string::npos) << out;
  // LED0 toggles every 100 ms from timer0's interrupt: at 100, 200, 300 and 400 ms.
  EXPECT_EQ(fpgaio->led_log().size(), 4u);
  const HandlerStats& rx = *scheduler.handler_stats(*id, 0);
  EXPECT_GE(rx.activations, 1u);
  EXPECT_EQ(rx.overruns, 0u);
  const HandlerStats& tx = *scheduler.handler_stats(*id, 1);
  EXPECT_GE(tx.activations, out.size() - 1);  // one TX interrupt per byte but the first
  EXPECT_EQ(scheduler.handler_stats(*id, 8)->activations, 4u);
  EXPECT_EQ(scheduler.info(*id)->task_state, TaskState::kWaitingEvent);
  EXPECT_TRUE(scheduler.info(*id)->last_fault.empty()) << scheduler.info(*id)->last_fault;
}

TEST(DriverScenarios, LineOfAnotherDriverIsNotGranted) {
  std::string error;
  auto session = io::BoardSession::open_file(std::string(WASMIO_BOARDS_DIR) + "/mps2-an385.dtb",
                                             &error);
  ASSERT_NE(session, nullptr) << error;
  const auto bytes = read_file(std::string(WASMIO_IRQ_DRIVERS_DIR) + "/irq_demo.wasm");
  DriverOptions first;
  first.name = "first";
  DriverLoad a = load_driver(bytes, "irq_demo.wasm", session->registry(), session->windows(),
                             25'000'000, first);
  ASSERT_TRUE(a) << a.error;
  DriverOptions second;
  second.name = "second";
  // Pinned to the same UART: its interrupt lines are held by "first".
  second.deployment.pins.push_back({"serial", "uart0"});
  DriverLoad b = load_driver(bytes, "irq_demo.wasm", session->registry(), session->windows(),
                             25'000'000, second);
  EXPECT_FALSE(b);
  EXPECT_NE(b.error.find("second"), std::string::npos) << b.error;
}

// A hosted container gets the scheduler's execution stacks (container_execution_defaults), not
// the engine's defaults for arbitrary programs: irq_demo's footprint (engine allocations of its
// install: store, instance, linear memory, one execution per handler and the task) with both,
// and the demo still runs with the smaller ones (the test above).
TEST(DriverScenarios, IrqDemoFootprintWithContainerStacks) {
  std::string error;
  auto session = io::BoardSession::open_file(std::string(WASMIO_BOARDS_DIR) + "/mps2-an385.dtb",
                                             &error);
  ASSERT_NE(session, nullptr) << error;
  SimPlatform platform(session->board());
  Scheduler scheduler(platform);
  TimedWindows windows(session->windows(), scheduler);
  const auto bytes = read_file(std::string(WASMIO_IRQ_DRIVERS_DIR) + "/irq_demo.wasm");
  auto footprint = [&](const ExecutionConfig* config) -> std::size_t {
    DriverLoad load = load_driver(bytes, "irq_demo.wasm", session->registry(), windows,
                                  session->board().clock().frequency_hz());
    EXPECT_TRUE(load) << load.error;
    if (!load) return 0;
    if (config != nullptr) load.spec->execution = *config;
    const std::size_t before = allocated_bytes();
    auto id = scheduler.install(std::move(*load.spec), &error);
    EXPECT_TRUE(id) << error;
    if (!id) return 0;
    const std::size_t used = allocated_bytes() - before;
    EXPECT_TRUE(scheduler.remove(*id));
    return used;
  };
  const ExecutionConfig engine_defaults;
  const std::size_t with_engine_stacks = footprint(&engine_defaults);
  const std::size_t with_container_stacks = footprint(nullptr);
  std::printf("irq_demo footprint: %zu bytes with the engine's default stacks, %zu with the "
              "container defaults (%u slots, %u frames)\n",
              with_engine_stacks, with_container_stacks, kContainerStackSlots,
              kContainerMaxFrames);
  // Five executions of 65 536 slots (512 KiB each) vs 4 096 (32 KiB each).
  EXPECT_GT(with_engine_stacks, 5u * 512 * 1024);
  EXPECT_LT(with_container_stacks, 512u * 1024);
}

}  // namespace
}  // namespace wasmio::sched::test
#endif
