// Loader rules on a purpose-built tree: ranges through two levels and 2-cell addresses,
// interrupt tuples per the controller's #interrupt-cells, interrupts-extended, status, buses.
#include <gtest/gtest.h>

#include <vector>

#include "io/board/devicetree.h"

namespace wasmio::io {
namespace {

const Devicetree& tree() {
  static std::unique_ptr<Devicetree> t = [] {
    DevicetreeLoad load =
        load_devicetree_file(std::string(WASMIO_IO_TEST_DATA_DIR) + "/devicetree_translate.dtb");
    if (!load) ADD_FAILURE() << load.error;
    return std::move(load.tree);
  }();
  return *t;
}

std::vector<std::uint32_t> irqs_of(const BoardNode& n) { return {n.irqs.begin(), n.irqs.end()}; }

TEST(DevicetreeTranslate, OneLevelOfRangesInto64BitSpace) {
  const BoardNode* a = tree().find_by_label("leaf_a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->regs.size(), 2u);
  EXPECT_EQ(a->regs[0].address, 0x100001000ull);
  EXPECT_EQ(a->regs[0].size, 0x100u);
  EXPECT_EQ(a->regs[1].address, 0x100002000ull);
  EXPECT_EQ(a->regs[1].size, 0x40u);
  EXPECT_EQ(irqs_of(*a), (std::vector<std::uint32_t>{5, 6}));
}

TEST(DevicetreeTranslate, TwoLevelsOfRanges) {
  const BoardNode* b = tree().find_by_label("leaf_b");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->regs.size(), 1u);
  EXPECT_EQ(b->regs[0].address, 0x100800040ull);
  // Three cells per tuple at the gic; the first cell of each is reported.
  EXPECT_EQ(irqs_of(*b), (std::vector<std::uint32_t>{0, 0}));
}

TEST(DevicetreeTranslate, AddressOutsideRangesIsLeftOut) {
  const BoardNode* n = tree().find_by_path("/bus@100000000/bus@800000/device@20000");
  ASSERT_NE(n, nullptr);
  EXPECT_TRUE(n->regs.empty());
  EXPECT_EQ(n->label, "device@20000");  // no dts label: node name
}

TEST(DevicetreeTranslate, InterruptsExtendedUsesEachControllersCells) {
  const BoardNode* e = tree().find_by_label("ext");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(irqs_of(*e), (std::vector<std::uint32_t>{7, 0}));
}

TEST(DevicetreeTranslate, StatusDisabled) {
  const BoardNode* off = tree().find_by_label("off");
  ASSERT_NE(off, nullptr);
  EXPECT_FALSE(off->enabled);
  EXPECT_TRUE(tree().find_compatible("test,off").empty());
  EXPECT_EQ(tree().find_compatible("test,a").size(), 1u);
}

TEST(DevicetreeTranslate, BusWithoutRangesIsNotMemoryMapped) {
  const BoardNode* n = tree().find_by_path("/private-bus/device@10");
  ASSERT_NE(n, nullptr);
  EXPECT_TRUE(n->regs.empty());
  EXPECT_EQ(n->parent, UINT32_MAX);
}

TEST(DevicetreeTranslate, DeviceOnANonMappedBusGetsParentAndBusAddress) {
  const BoardNode* flash = tree().find_by_path("/spi-bus@2000000/flash@1");
  const BoardNode* bus = tree().find_by_path("/spi-bus@2000000");
  ASSERT_NE(flash, nullptr);
  ASSERT_NE(bus, nullptr);
  EXPECT_EQ(flash->parent, tree().index_of(*bus));
  EXPECT_EQ(flash->bus_address, 1u);
  EXPECT_TRUE(flash->regs.empty());
  ASSERT_EQ(bus->regs.size(), 1u);
  EXPECT_EQ(bus->regs[0].address, 0x2000000u);
}

TEST(DevicetreeTranslate, RootTwoCellRegs) {
  const BoardNode* intc = tree().find_by_label("intc");
  ASSERT_NE(intc, nullptr);
  ASSERT_EQ(intc->regs.size(), 1u);
  EXPECT_EQ(intc->regs[0].address, 0xF0000000u);
  EXPECT_EQ(intc->regs[0].size, 0x1000u);
}

}  // namespace
}  // namespace wasmio::io
