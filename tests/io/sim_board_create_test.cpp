// SimBoard::create from hand-built BoardDescriptions (the shape a build-time table has on a
// microcontroller): instantiation by compatible, interrupt wiring by name and position,
// disabled nodes, bus devices, and the errors for inconsistent descriptions.
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "io/sim/at24c.h"
#include "io/sim/cmsdk_timer.h"
#include "io/sim/cmsdk_uart.h"
#include "io/sim/sim_board.h"
#include "io/sim/tmp105.h"

namespace wasmio::io::sim {
namespace {

// Big-endian cells / NUL-separated strings as a devicetree stores them.
constexpr std::array<std::uint8_t, 8> kNamesTxRx = {'t', 'x', 0, 'r', 'x', 0, 0, 0};

struct Fixture {
  std::array<std::string_view, 1> uart_compat{"arm,cmsdk-uart"};
  std::array<std::string_view, 2> timer_compat{"vendor,unknown-timer", "arm,cmsdk-timer"};
  std::array<std::string_view, 1> i2c_compat{"arm,versatile-i2c"};
  std::array<std::string_view, 1> tmp_compat{"ti,tmp105"};
  std::array<std::string_view, 1> eeprom_compat{"atmel,24c02"};
  std::array<std::string_view, 1> mystery_compat{"vendor,mystery"};
  std::array<RegWindow, 1> uart_reg{{{0x1000, 0x1000}}};
  std::array<RegWindow, 1> timer_reg{{{0x3000, 0x1000}}};
  std::array<RegWindow, 1> overlap_reg{{{0x1800, 0x1000}}};
  std::array<RegWindow, 1> i2c_reg{{{0x5000, 0x1000}}};
  std::array<RegWindow, 1> mystery_reg{{{0x6000, 0x1000}}};
  std::array<std::uint32_t, 2> uart_irqs{7, 6};  // named tx, rx
  std::array<std::uint32_t, 1> timer_irqs{40};
  std::array<BoardProperty, 1> uart_props{
      {{"interrupt-names", std::span<const std::uint8_t>(kNamesTxRx.data(), 6)}}};
  std::vector<BoardNode> nodes;

  Fixture() {
    BoardNode uart;
    uart.path = "/uart@1000";
    uart.label = "serial";
    uart.compatible = uart_compat;
    uart.regs = uart_reg;
    uart.irqs = uart_irqs;
    uart.properties = uart_props;
    nodes.push_back(uart);

    BoardNode timer;
    timer.path = "/timer@3000";
    timer.label = "tick";
    timer.compatible = timer_compat;  // the second entry has the model
    timer.regs = timer_reg;
    timer.irqs = timer_irqs;
    nodes.push_back(timer);

    BoardNode i2c;
    i2c.path = "/i2c@5000";
    i2c.label = "bus";
    i2c.compatible = i2c_compat;
    i2c.regs = i2c_reg;
    nodes.push_back(i2c);

    BoardNode tmp;
    tmp.path = "/i2c@5000/sensor@49";
    tmp.label = "sensor";
    tmp.compatible = tmp_compat;
    tmp.parent = 2;
    tmp.bus_address = 0x49;
    nodes.push_back(tmp);

    BoardNode mystery;
    mystery.path = "/mystery@6000";
    mystery.label = "mystery";
    mystery.compatible = mystery_compat;
    mystery.regs = mystery_reg;
    nodes.push_back(mystery);
  }
  BoardDescription description() const { return BoardDescription{"hand-made", nodes}; }
};

TEST(SimBoardCreate, InstantiatesAndWiresFromAHandBuiltDescription) {
  Fixture f;
  std::string error;
  auto board = SimBoard::create(f.description(), &error);
  ASSERT_NE(board, nullptr) << error;
  EXPECT_EQ(board->irqs().num_lines(), 41u);  // highest line used + 1
  EXPECT_EQ(board->clock().frequency_hz(), 25'000'000u);  // no clock node: the AN385 default
  auto* uart = board->find_as<CmsdkUart>("serial");
  ASSERT_NE(uart, nullptr);
  EXPECT_EQ(uart->tx_irq().line(), 7u);  // by interrupt-names, not position
  EXPECT_EQ(uart->rx_irq().line(), 6u);
  EXPECT_FALSE(uart->overrun_irq().connected());
  auto* timer = board->find_as<CmsdkTimer>("tick");
  ASSERT_NE(timer, nullptr);
  EXPECT_EQ(timer->irq().line(), 40u);
  EXPECT_NE(board->find_as<Tmp105>("sensor"), nullptr);
  EXPECT_EQ(board->unmodelled(), (std::vector<std::string>{"/mystery@6000"}));
  EXPECT_EQ(board->read(0x6000, 4).status, BusStatus::kUnmapped);
}

TEST(SimBoardCreate, DisabledNodesAreNotInstantiated) {
  Fixture f;
  f.nodes[1].enabled = false;
  f.nodes[3].enabled = false;
  auto board = SimBoard::create(f.description(), nullptr);
  ASSERT_NE(board, nullptr);
  EXPECT_EQ(board->find("tick"), nullptr);
  EXPECT_EQ(board->find_as<Tmp105>("sensor"), nullptr);
  EXPECT_EQ(board->read(0x3000, 4).status, BusStatus::kUnmapped);
}

TEST(SimBoardCreate, OverlappingWindowsAreAnError) {
  Fixture f;
  f.nodes[1].regs = f.overlap_reg;
  std::string error;
  EXPECT_EQ(SimBoard::create(f.description(), &error), nullptr);
  EXPECT_NE(error.find("/timer@3000"), std::string::npos) << error;
  EXPECT_NE(error.find("overlaps"), std::string::npos) << error;
}

TEST(SimBoardCreate, BusDeviceWhoseParentIsNotAnI2cModelIsUnmodelled) {
  Fixture f;
  f.nodes[3].parent = 0;  // "on" the UART
  auto board = SimBoard::create(f.description(), nullptr);
  ASSERT_NE(board, nullptr);
  EXPECT_EQ(board->find_as<Tmp105>("sensor"), nullptr);
  EXPECT_EQ(board->unmodelled(),
            (std::vector<std::string>{"/mystery@6000", "/i2c@5000/sensor@49"}));
}

TEST(SimBoardCreate, EepromSizeAndPageFromProperties) {
  Fixture f;
  static constexpr std::array<std::uint8_t, 4> kSize = {0, 0, 0x02, 0x00};  // 512
  static constexpr std::array<std::uint8_t, 4> kPage = {0, 0, 0, 16};
  std::array<BoardProperty, 2> props{{{"size", kSize}, {"pagesize", kPage}}};
  f.nodes[3].compatible = f.eeprom_compat;
  f.nodes[3].properties = props;
  auto board = SimBoard::create(f.description(), nullptr);
  ASSERT_NE(board, nullptr);
  auto* eeprom = board->find_as<At24c>("sensor");
  ASSERT_NE(eeprom, nullptr);
  EXPECT_EQ(eeprom->contents().size(), 512u);
}

}  // namespace
}  // namespace wasmio::io::sim
