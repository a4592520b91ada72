// The C drivers under drivers/, built for each access path, on the simulated AN385: each device
// model through each path, with the same observable behaviour.
#include "container_test_support.h"

#include "io/sim/cmsdk_uart.h"
#include "io/sim/mps2_fpgaio.h"
#include "io/sim/tmp105.h"

namespace wasmio::io::test {
namespace {

class DriverOnBoard : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    session = an385_session();
    ASSERT_TRUE(session);
  }
  std::unique_ptr<DriverContainer> load(const char* driver) {
    ContainerLoad load = session->load(built_driver(driver, GetParam()), driver);
    EXPECT_TRUE(load) << load.error;
    return std::move(load.container);
  }
  void finish_transmission() { session->board().clock().advance(1000000); }
  sim::CmsdkUart& uart0() { return *session->board().find_as<sim::CmsdkUart>("uart0"); }
  sim::Mps2Fpgaio& fpgaio() { return *session->board().find_as<sim::Mps2Fpgaio>("fpgaio"); }
  sim::Tmp105& tmp105() { return *session->board().find_as<sim::Tmp105>("tmp105"); }

  std::unique_ptr<BoardSession> session;
};

TEST_P(DriverOnBoard, UartPrintsAndEchoes) {
  auto c = load("uart_hello");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->binding().peripherals[0].node_path, "/apb@40000000/serial@40004000");
  EXPECT_EQ(i32_result(c->call("main")), 26);
  finish_transmission();
  EXPECT_EQ(uart0().transmitted().text(), "hello from a wasm driver\r\n");
  // BAUDDIV from the node's clock-frequency / current-speed.
  EXPECT_EQ(session->board().read(0x40004010, 4).value, 25000000u / 115200u);

  uart0().inject_rx("ok");
  finish_transmission();  // the bytes arrive one frame apart
  int echoed = 0;
  for (int i = 0; i < 4 && echoed < 2; ++i) {
    echoed += i32_result(c->call("echo"));
    finish_transmission();
  }
  EXPECT_EQ(echoed, 2);
  EXPECT_EQ(uart0().transmitted().text(), "hello from a wasm driver\r\nok");
}

TEST_P(DriverOnBoard, FpgaioLedsFollowThePatternAndButtonsRead) {
  auto c = load("leds");
  ASSERT_TRUE(c);
  fpgaio().set_button(0, true);
  const sim::Cycles start = session->board().clock().now();
  EXPECT_EQ(i32_result(c->call("main")), 1);
  std::vector<std::uint32_t> seen;
  for (const sim::LedChange& change : fpgaio().led_log()) seen.push_back(change.after);
  EXPECT_EQ(seen, (std::vector<std::uint32_t>{1, 2, 3, 0}));
  // Each step waits 250000 cycles on COUNTER.
  EXPECT_GE(session->board().clock().now() - start, 4u * 250000u);
  EXPECT_TRUE(c->call("set_leds", std::vector<Value>{Value::i32(2)}).ok);
  EXPECT_EQ(i32_result(c->call("get_leds")), 2);
}

TEST_P(DriverOnBoard, TimerDelaysByBoardTime) {
  auto c = load("timer_delay");
  ASSERT_TRUE(c);
  const sim::Cycles start = session->board().clock().now();
  EXPECT_GT(i32_result(c->call("delay", std::vector<Value>{Value::i32(2000)})), 0);
  const sim::Cycles elapsed = session->board().clock().now() - start;
  EXPECT_GE(elapsed, 2000u * 25u);
  EXPECT_LT(elapsed, 2000u * 25u + 1000u);  // polling granularity only
  // Stopped and acknowledged afterwards.
  EXPECT_EQ(session->board().read(0x40000000, 4).value, 0u);
  EXPECT_EQ(session->board().read(0x4000000C, 4).value, 0u);
}

TEST_P(DriverOnBoard, Tmp105TemperatureOverBitBangedI2c) {
  auto c = load("temperature");
  ASSERT_TRUE(c);
  // The sensor decides the bus: the controller is the one it sits on, not the first SBCon.
  const BoundPeripheral* bus = c->binding().find("i2c");
  ASSERT_NE(bus, nullptr);
  EXPECT_EQ(bus->node_path, "/apb@40000000/i2c@4002a000");
  for (std::int32_t mc : {23500, -10250, 0, 125000}) {
    tmp105().set_temperature_mc(mc);
    EXPECT_EQ(i32_result(c->call("main")), mc) << mc;
  }
  EXPECT_EQ(tmp105().config() & 0x60, 0x60);  // 12-bit resolution selected
}

TEST_P(DriverOnBoard, BoardDemoPrintsTheTemperatureAndBlinks) {
  auto c = load("board_demo");
  ASSERT_TRUE(c);
  tmp105().set_temperature_mc(21750);
  EXPECT_EQ(i32_result(c->call("main")), 21750);
  finish_transmission();
  const std::string& out = uart0().transmitted().text();
  EXPECT_EQ(out.rfind("wasmio board demo", 0), 0u) << out;
  std::size_t lines = 0;
  for (std::size_t p = out.find("temperature: 21.75 C\r\n"); p != std::string::npos;
       p = out.find("temperature: 21.75 C\r\n", p + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 4u) << out;
  std::vector<std::uint32_t> seen;
  for (const sim::LedChange& change : fpgaio().led_log()) seen.push_back(change.after);
  EXPECT_EQ(seen, (std::vector<std::uint32_t>{1, 2, 1, 2, 0}));
}

INSTANTIATE_TEST_SUITE_P(AccessPaths, DriverOnBoard,
                         ::testing::Values("host_call", "mapped", "copy"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace wasmio::io::test
