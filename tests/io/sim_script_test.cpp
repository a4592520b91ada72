// Scripted stimuli at virtual times and determinism: the same script on two fresh boards gives
// identical observations (UART bytes and their times, LED log, interrupt counts).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/sim/cmsdk_uart.h"
#include "io/sim/mps2_fpgaio.h"
#include "io/sim/sim_script.h"
#include "io/sim/tmp105.h"
#include "sim_test_support.h"

namespace wasmio::io::sim {
namespace {

using test::make_an385;
using test::rd32;
using test::wr32;

TEST(SimScript, UartBytesArriveOneFrameAfterTheirScriptTime) {
  auto b = make_an385();
  SimScript script(*b);
  wr32(*b, 0x40004010, 16);
  wr32(*b, 0x40004008, 2 | 8);  // RX enable + RX interrupt
  b->irqs().enable(0);
  ASSERT_TRUE(script.uart_rx(1000, "uart0", "ok"));
  EXPECT_FALSE(script.uart_rx(1000, "nouart", "x"));
  b->clock().advance_to(1159);
  EXPECT_EQ(rd32(*b, 0x40004004) & 2, 0u);
  b->clock().advance_to(1160);
  EXPECT_EQ(rd32(*b, 0x40004004) & 2, 2u);
  EXPECT_TRUE(b->irqs().pending(0));
  EXPECT_EQ(rd32(*b, 0x40004000), static_cast<std::uint32_t>('o'));
  b->clock().advance(160);
  EXPECT_EQ(rd32(*b, 0x40004000), static_cast<std::uint32_t>('k'));
}

TEST(SimScript, ArbitraryActionsRunInTimeOrderWithDeviceEvents) {
  auto b = make_an385();
  SimScript script(*b);
  std::vector<std::pair<int, Cycles>> order;
  script.at(500, [&] { order.emplace_back(2, b->clock().now()); });
  script.at(100, [&] { order.emplace_back(1, b->clock().now()); });
  EXPECT_TRUE(script.set_temperature(300, "tmp105", 30000));
  EXPECT_FALSE(script.set_temperature(300, "eeprom0", 30000));  // not a TMP105
  b->clock().advance_to(1000);
  EXPECT_EQ(order, (std::vector<std::pair<int, Cycles>>{{1, 100}, {2, 500}}));
  EXPECT_EQ(b->find_as<Tmp105>("tmp105")->temperature_raw(), 30 * 256);
}

struct Observation {
  std::string uart;
  std::vector<Cycles> uart_times;
  std::vector<std::pair<Cycles, std::uint32_t>> leds;
  std::uint64_t timer_irqs = 0;
  std::uint32_t counter = 0;
  bool operator==(const Observation&) const = default;
};

// A small "driver" made of register accesses, run against the script's stimuli.
Observation run_scenario() {
  auto b = make_an385(2);
  SimScript script(*b);
  script.press_button(20'000, 0);
  script.release_button(60'000, 0);
  b->irqs().enable(8);
  wr32(*b, 0x40000008, 4999);      // timer0: 200 us period
  wr32(*b, 0x40000000, 1 | 8);
  wr32(*b, 0x40004010, 217);       // uart0 at 115200 baud
  wr32(*b, 0x40004008, 1);
  std::uint32_t last_buttons = 0;
  for (int step = 0; step < 400; ++step) {
    const std::uint32_t buttons = rd32(*b, 0x40028008);
    if (buttons != last_buttons) {
      wr32(*b, 0x40028000, buttons);  // mirror buttons on the LEDs
      last_buttons = buttons;
    }
    if (rd32(*b, 0x4000000C) != 0) {  // timer expired: acknowledge, print a dot
      b->irqs().acknowledge(8);
      wr32(*b, 0x4000000C, 1);
      b->irqs().complete(8);
      while (rd32(*b, 0x40004004) & 1) {
      }  // wait while TX buffer full (polling advances time)
      wr32(*b, 0x40004000, '.');
    }
    b->clock().advance(250);
  }
  b->clock().advance(100'000);
  Observation o;
  const auto* uart = b->find_as<CmsdkUart>("uart0");
  o.uart = uart->transmitted().text();
  o.uart_times = uart->transmitted().times();
  for (const auto& c : b->find_as<Mps2Fpgaio>("fpgaio")->led_log()) o.leds.emplace_back(c.when, c.after);
  o.timer_irqs = b->irqs().pend_count(8);
  o.counter = rd32(*b, 0x40028018);
  return o;
}

TEST(SimScript, SameScriptSameTrace) {
  const Observation a = run_scenario();
  const Observation b = run_scenario();
  EXPECT_EQ(a, b);
  // And the scenario did something: ~400 x 252 cycles / 5000 cycles per expiry.
  EXPECT_GE(a.uart.size(), 19u);
  EXPECT_EQ(a.uart, std::string(a.uart.size(), '.'));
  ASSERT_EQ(a.leds.size(), 2u);
  EXPECT_EQ(a.leds[0].second, 1u);
  EXPECT_EQ(a.leds[1].second, 0u);
  EXPECT_GE(a.timer_irqs, a.uart.size());
}

}  // namespace
}  // namespace wasmio::io::sim
