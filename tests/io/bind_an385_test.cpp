// Binding against the real MPS2 AN385 devicetree (boards/mps2-an385.dts, compiled by CMake and
// loaded with libfdt): the addresses, interrupt lines and properties of the board reach grants.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/bind/binding.h"
#include "io/board/devicetree.h"

namespace wasmio::io {
namespace {

PeripheralNeed console_need(std::string label = "console") {
  PeripheralNeed p;
  p.label = std::move(label);
  p.compatible = {"arm,cmsdk-uart"};
  p.windows.push_back(WindowNeed{0, kWidth32, 0x14, {{0x0, 4}, {0x4, 4}, {0xC, 4}}});
  p.irqs.push_back(IrqNeed{0, 2, 20000, 80, "on_console_irq"});  // RX
  p.properties = {"clock-frequency"};
  return p;
}

Manifest manifest_of(std::vector<PeripheralNeed> peripherals, std::string driver = "drv") {
  Manifest m;
  m.driver = std::move(driver);
  m.peripherals = std::move(peripherals);
  return m;
}

// The compiled board, loaded once; tests skip themselves (with a failure) when it is missing.
const BoardDescription* an385() {
  static DevicetreeLoad load =
      load_devicetree_file(std::string(WASMIO_BOARDS_DIR) + "/mps2-an385.dtb");
  if (!load) return nullptr;
  return &load.tree->board();
}

#define WASMIO_AN385_OR_FAIL(name)                                 \
  const BoardDescription* name##_ptr = an385();                    \
  ASSERT_NE(name##_ptr, nullptr) << "cannot load mps2-an385.dtb";  \
  const BoardDescription& name = *name##_ptr

std::size_t count(const Refusal& r, RefusalKind kind) {
  std::size_t n = 0;
  for (const RefusalReason& reason : r.reasons) n += reason.kind == kind;
  return n;
}

TEST(BindAn385, UartEchoGetsUart0WithItsRxLineAndClock) {
  WASMIO_AN385_OR_FAIL(board);
  GrantRegistry registry(board);
  BindResult r = registry.bind("echo", manifest_of({console_need()}, "cmsdk-uart-echo"));
  ASSERT_TRUE(r.ok()) << r.refusal().message();
  const ContainerBinding& b = r.binding();
  EXPECT_EQ(b.peripherals[0].node_path, "/apb@40000000/serial@40004000");
  ASSERT_EQ(b.windows.size(), 1u);
  EXPECT_EQ(b.windows[0].address, 0x40004000u);
  EXPECT_EQ(b.windows[0].size, 0x14u);
  ASSERT_EQ(b.irqs.size(), 1u);
  EXPECT_EQ(b.irqs[0].line, 0u);
  ASSERT_EQ(b.properties.size(), 1u);
  EXPECT_EQ(std::vector<std::uint8_t>(b.properties[0].value.begin(), b.properties[0].value.end()),
            (std::vector<std::uint8_t>{0x01, 0x7D, 0x78, 0x40}));  // 25 MHz
}

TEST(BindAn385, FiveUartContainersThenTheSixthIsRefusedForEveryRxLine) {
  WASMIO_AN385_OR_FAIL(board);
  GrantRegistry registry(board);
  const std::vector<std::uint32_t> rx_lines = {0, 2, 4, 18, 20};
  for (std::size_t i = 0; i < rx_lines.size(); ++i) {
    BindResult r = registry.bind("c" + std::to_string(i), manifest_of({console_need()}));
    ASSERT_TRUE(r.ok()) << r.refusal().message();
    EXPECT_EQ(r.binding().irqs[0].line, rx_lines[i]);
  }
  BindResult sixth = registry.bind("c5", manifest_of({console_need()}));
  ASSERT_FALSE(sixth.ok());
  EXPECT_EQ(count(sixth.refusal(), RefusalKind::kIrqLineGranted), 5u) << sixth.refusal().message();
  EXPECT_TRUE(registry.unbind("c3"));
  BindResult again = registry.bind("c5", manifest_of({console_need()}));
  ASSERT_TRUE(again.ok()) << again.refusal().message();
  EXPECT_EQ(again.binding().peripherals[0].node_path, "/apb@40000000/serial@40007000");
}

TEST(BindAn385, PinsByDevicetreeLabel) {
  WASMIO_AN385_OR_FAIL(board);
  BindResult r = bind(manifest_of({console_need()}), board,
                      Deployment{{{"console", "uart4"}}, {}});
  ASSERT_TRUE(r.ok()) << r.refusal().message();
  EXPECT_EQ(r.binding().windows[0].address, 0x40009000u);
  EXPECT_EQ(r.binding().irqs[0].line, 20u);
}

TEST(BindAn385, Pl022PairSharesLine11) {
  WASMIO_AN385_OR_FAIL(board);
  PeripheralNeed spi;
  spi.label = "spi";
  spi.compatible = {"arm,pl022"};
  spi.windows.push_back(WindowNeed{0, kWidth16 | kWidth32, 0x28, {{0x8, 4}, {0xC, 4}}});
  spi.irqs.push_back(IrqNeed{0, 1, 5000, 0, "on_spi"});
  GrantRegistry registry(board);
  BindResult a = registry.bind("a", manifest_of({spi}), Deployment{{{"spi", "spi0"}}, {}});
  ASSERT_TRUE(a.ok()) << a.refusal().message();
  BindResult b = registry.bind("b", manifest_of({spi}), Deployment{{{"spi", "spi1"}}, {}});
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(count(b.refusal(), RefusalKind::kIrqLineGranted), 1u) << b.refusal().message();
  // Unpinned, another PL022 on its own line binds.
  BindResult c = registry.bind("c", manifest_of({spi}));
  ASSERT_TRUE(c.ok()) << c.refusal().message();
  EXPECT_NE(c.binding().irqs[0].line, 11u);
}

TEST(BindAn385, BusDevicesHaveNoRegisterWindows) {
  WASMIO_AN385_OR_FAIL(board);
  PeripheralNeed sensor;
  sensor.label = "sensor";
  sensor.compatible = {"ti,tmp105"};
  sensor.windows.push_back(WindowNeed{0, kWidth8, 2, {}});
  BindResult r = bind(manifest_of({sensor}), board);
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.refusal().reasons.size(), 1u) << r.refusal().message();
  EXPECT_EQ(r.refusal().reasons[0].text,
            "node /apb@40000000/i2c@4002a000/temperature-sensor@48 has no window 0 (it has 0)");
}

TEST(BindAn385, FpgaioLedsExclusively) {
  WASMIO_AN385_OR_FAIL(board);
  PeripheralNeed leds;
  leds.label = "leds";
  leds.compatible = {"arm,mps2-fpgaio"};
  leds.flags = kPeripheralExclusive;
  leds.windows.push_back(WindowNeed{0, kWidth32, 0x4, {}});
  GrantRegistry registry(board);
  BindResult a = registry.bind("blink", manifest_of({leds}));
  ASSERT_TRUE(a.ok()) << a.refusal().message();
  EXPECT_EQ(a.binding().windows[0].address, 0x40028000u);
  leds.flags = 0;
  BindResult b = registry.bind("other", manifest_of({leds}));
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.refusal().reasons[0].text,
            "node /apb@40000000/fpgaio@40028000 is exclusively granted to container 'blink'");
}

}  // namespace
}  // namespace wasmio::io
