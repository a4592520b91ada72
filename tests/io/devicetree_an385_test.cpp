// The AN385 devicetree as the loader sees it: every peripheral at its documented address and
// interrupt line, labels from /__symbols__, the I2C devices on the fourth SBCon bus.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <set>
#include <vector>

#include "sim_test_support.h"

namespace wasmio::io {
namespace {

using test::an385;

struct Expected {
  const char* label;
  const char* compatible;
  std::uint64_t address;
  std::vector<std::uint32_t> irqs;
};

// AN385 application note / QEMU hw/arm/mps2.c; platform-facts.md for the PL022 lines.
const std::vector<Expected> kPeripherals = {
    {"timer0", "arm,cmsdk-timer", 0x40000000, {8}},
    {"timer1", "arm,cmsdk-timer", 0x40001000, {9}},
    {"dtimer0", "arm,cmsdk-dtimer", 0x40002000, {10}},
    {"uart0", "arm,cmsdk-uart", 0x40004000, {0, 1, 12}},
    {"uart1", "arm,cmsdk-uart", 0x40005000, {2, 3, 12}},
    {"uart2", "arm,cmsdk-uart", 0x40006000, {4, 5, 12}},
    {"uart3", "arm,cmsdk-uart", 0x40007000, {18, 19}},
    {"wdog0", "arm,cmsdk-watchdog", 0x40008000, {}},
    {"uart4", "arm,cmsdk-uart", 0x40009000, {20, 21}},
    {"gpio0", "arm,cmsdk-gpio", 0x40010000, {6}},
    {"gpio1", "arm,cmsdk-gpio", 0x40011000, {7}},
    {"gpio2", "arm,cmsdk-gpio", 0x40012000, {16}},
    {"gpio3", "arm,cmsdk-gpio", 0x40013000, {17}},
    {"spi0", "arm,pl022", 0x40020000, {11}},
    {"spi1", "arm,pl022", 0x40021000, {11}},
    {"i2c_touch", "arm,versatile-i2c", 0x40022000, {}},
    {"i2c_audio", "arm,versatile-i2c", 0x40023000, {}},
    {"spi_adc", "arm,pl022", 0x40025000, {22}},
    {"spi_shield0", "arm,pl022", 0x40026000, {24}},
    {"spi_shield1", "arm,pl022", 0x40027000, {24}},
    {"fpgaio", "arm,mps2-fpgaio", 0x40028000, {}},
    {"i2c_shield0", "arm,versatile-i2c", 0x40029000, {}},
    {"i2c_shield1", "arm,versatile-i2c", 0x4002A000, {}},
};

TEST(DevicetreeAn385, ModelAndRoot) {
  const BoardDescription& board = an385().board();
  EXPECT_EQ(board.model, "Arm MPS2 AN385");
  ASSERT_FALSE(board.nodes.empty());
  EXPECT_EQ(board.nodes[0].path, "/");
  EXPECT_TRUE(is_compatible(board.nodes[0], "arm,mps2-an385"));
}

TEST(DevicetreeAn385, EveryPeripheralAtItsAddressWithItsInterrupts) {
  for (const auto& e : kPeripherals) {
    SCOPED_TRACE(e.label);
    const BoardNode* n = an385().find_by_label(e.label);
    ASSERT_NE(n, nullptr);
    EXPECT_TRUE(is_compatible(*n, e.compatible));
    EXPECT_TRUE(n->enabled);
    ASSERT_EQ(n->regs.size(), 1u);
    EXPECT_EQ(n->regs[0].address, e.address);
    EXPECT_EQ(n->regs[0].size, 0x1000u);
    EXPECT_EQ(std::vector<std::uint32_t>(n->irqs.begin(), n->irqs.end()), e.irqs);
    EXPECT_EQ(n->parent, UINT32_MAX);
  }
}

TEST(DevicetreeAn385, UartPropertiesAndPath) {
  const BoardNode* uart0 = an385().find_by_label("uart0");
  ASSERT_NE(uart0, nullptr);
  EXPECT_EQ(uart0->path, "/apb@40000000/serial@40004000");
  EXPECT_EQ(property_u32(*uart0, "clock-frequency"), 25000000u);
  EXPECT_EQ(property_u32(*uart0, "current-speed"), 115200u);
  EXPECT_EQ(property_strings(*uart0, "interrupt-names"),
            (std::vector<std::string_view>{"rx", "tx", "overrun"}));
  EXPECT_EQ(an385().find_by_path("/apb@40000000/serial@40004000"), uart0);
}

TEST(DevicetreeAn385, Pl022IsAPrimecellMostSpecificFirst) {
  const BoardNode* spi = an385().find_by_label("spi0");
  ASSERT_NE(spi, nullptr);
  ASSERT_EQ(spi->compatible.size(), 2u);
  EXPECT_EQ(spi->compatible[0], "arm,pl022");
  EXPECT_EQ(spi->compatible[1], "arm,primecell");
}

TEST(DevicetreeAn385, I2cDevicesOnTheFourthSbconBus) {
  const BoardNode* bus = an385().find_by_label("i2c_shield1");
  ASSERT_NE(bus, nullptr);
  const std::uint32_t bus_index = an385().index_of(*bus);

  const BoardNode* tmp = an385().find_by_label("tmp105");
  ASSERT_NE(tmp, nullptr);
  EXPECT_TRUE(is_compatible(*tmp, "ti,tmp105"));
  EXPECT_EQ(tmp->parent, bus_index);
  EXPECT_EQ(tmp->bus_address, 0x48u);
  EXPECT_TRUE(tmp->regs.empty());

  const BoardNode* eeprom = an385().find_by_label("eeprom0");
  ASSERT_NE(eeprom, nullptr);
  EXPECT_TRUE(is_compatible(*eeprom, "atmel,24c02"));
  EXPECT_EQ(eeprom->parent, bus_index);
  EXPECT_EQ(eeprom->bus_address, 0x50u);
  EXPECT_EQ(property_u32(*eeprom, "pagesize"), 8u);
  EXPECT_EQ(property_u32(*eeprom, "size"), 256u);

  // The SBCon of the 4th bus in tree order of the four.
  const auto buses = an385().find_compatible("arm,versatile-i2c");
  ASSERT_EQ(buses.size(), 4u);
  EXPECT_EQ(buses[3], bus);
}

TEST(DevicetreeAn385, CpuMemoryAndInterruptController) {
  const BoardNode* cpu = an385().find_by_label("cpu0");
  ASSERT_NE(cpu, nullptr);
  EXPECT_TRUE(is_compatible(*cpu, "arm,cortex-m3"));
  EXPECT_TRUE(cpu->regs.empty());            // a CPU id is not an address
  EXPECT_EQ(cpu->parent, UINT32_MAX);        // and not a bus device

  const BoardNode* nvic = an385().find_by_label("nvic");
  ASSERT_NE(nvic, nullptr);
  EXPECT_TRUE(is_compatible(*nvic, "arm,v7m-nvic"));
  EXPECT_TRUE(has_property(*nvic, "interrupt-controller"));
  EXPECT_EQ(property_u32(*nvic, "#interrupt-cells"), 2u);
  ASSERT_EQ(nvic->regs.size(), 1u);
  EXPECT_EQ(nvic->regs[0].address, 0xE000E100u);

  const std::pair<const char*, RegWindow> memories[] = {
      {"ssram1", {0x00000000, 0x00400000}},
      {"ssram23", {0x20000000, 0x00400000}},
      {"psram", {0x21000000, 0x01000000}},
  };
  for (const auto& [label, window] : memories) {
    const BoardNode* m = an385().find_by_label(label);
    ASSERT_NE(m, nullptr) << label;
    EXPECT_EQ(property_string(*m, "device_type"), "memory");
    ASSERT_EQ(m->regs.size(), 1u);
    EXPECT_EQ(m->regs[0].address, window.address);
    EXPECT_EQ(m->regs[0].size, window.size);
  }
}

TEST(DevicetreeAn385, LabelsAreUniqueAndBookkeepingNodesAreHidden) {
  std::set<std::string_view> labels;
  for (const auto& n : an385().board().nodes) {
    EXPECT_EQ(n.path.find("__symbols__"), std::string_view::npos);
    if (n.path == "/") continue;
    EXPECT_FALSE(n.label.empty()) << n.path;
    EXPECT_TRUE(labels.insert(n.label).second) << "duplicate label " << n.label;
  }
  // Nodes without a dts label fall back to their node name.
  ASSERT_NE(an385().find_by_path("/chosen"), nullptr);
  EXPECT_EQ(an385().find_by_path("/chosen")->label, "chosen");
}

// Cross-check against the source: every label written in the .dts names a node of the loaded
// description, and the node count matches the number of node openings in the source.
TEST(DevicetreeAn385, EveryLabelAndNodeOfTheSourceIsLoaded) {
  std::ifstream in(std::string(WASMIO_BOARDS_SOURCE_DIR) + "/mps2-an385.dts");
  ASSERT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  std::string source = text.str();
  source = std::regex_replace(source, std::regex("//[^\n]*"), "");  // comments
  const std::regex label_re(R"(([A-Za-z_][A-Za-z0-9_]*):\s*[A-Za-z][A-Za-z0-9,._+-]*(@[0-9a-fA-F]+)?\s*\{)");
  std::size_t labels = 0;
  for (std::sregex_iterator it(source.begin(), source.end(), label_re), end; it != end; ++it) {
    ++labels;
    EXPECT_NE(an385().find_by_label((*it)[1].str()), nullptr) << (*it)[1].str();
  }
  const std::regex node_re(R"((^|[;{\s])(/|[A-Za-z][A-Za-z0-9,._+-]*(@[0-9a-fA-F]+)?)\s*\{)");
  const std::size_t nodes = static_cast<std::size_t>(
      std::distance(std::sregex_iterator(source.begin(), source.end(), node_re), {}));
  EXPECT_EQ(an385().board().nodes.size(), nodes);
  EXPECT_EQ(labels + 4, nodes);  // all but /, /chosen, /aliases and /cpus carry a label
}

TEST(DevicetreeAn385, MissingFileIsAClearError) {
  DevicetreeLoad load = load_devicetree_file("/nonexistent/board.dtb");
  EXPECT_FALSE(load);
  EXPECT_NE(load.error.find("/nonexistent/board.dtb"), std::string::npos) << load.error;
  EXPECT_NE(load.error.find("cannot open"), std::string::npos) << load.error;
}

TEST(DevicetreeAn385, GarbageAndTruncatedBlobsAreClearErrors) {
  const std::vector<std::uint8_t> garbage(256, 0x5A);
  DevicetreeLoad bad = load_devicetree_blob(garbage, "garbage.dtb");
  EXPECT_FALSE(bad);
  EXPECT_NE(bad.error.find("garbage.dtb"), std::string::npos) << bad.error;
  EXPECT_NE(bad.error.find("not a valid devicetree"), std::string::npos) << bad.error;

  const auto blob = an385().blob();
  DevicetreeLoad cut = load_devicetree_blob(blob.first(blob.size() / 2), "cut.dtb");
  EXPECT_FALSE(cut);
  EXPECT_NE(cut.error.find("cut.dtb"), std::string::npos) << cut.error;

  DevicetreeLoad tiny = load_devicetree_blob(blob.first(8), "tiny.dtb");
  EXPECT_FALSE(tiny);
  EXPECT_NE(tiny.error.find("shorter than a header"), std::string::npos) << tiny.error;
}

TEST(DevicetreeAn385, ReloadFromBytesGivesTheSameDescription) {
  const auto blob = an385().blob();
  DevicetreeLoad again = load_devicetree_blob(blob);
  ASSERT_TRUE(again) << again.error;
  ASSERT_EQ(again.tree->board().nodes.size(), an385().board().nodes.size());
  for (std::size_t i = 0; i < again.tree->board().nodes.size(); ++i) {
    EXPECT_EQ(again.tree->board().nodes[i].path, an385().board().nodes[i].path);
    EXPECT_EQ(again.tree->board().nodes[i].label, an385().board().nodes[i].label);
  }
}

}  // namespace
}  // namespace wasmio::io
