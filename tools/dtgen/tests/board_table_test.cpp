// The generated tables describe exactly the board the devicetree loader builds from the same
// .dtb, field by field, and are usable at compile time.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "board_table_writer.h"
#include "io/board/devicetree.h"
#include "mps2_an385_board.h"
#include "odd_strings_board.h"
#include "translate_board.h"

namespace {

using wasmio::io::BoardDescription;
using wasmio::io::BoardNode;

// Evaluated by the compiler: the firmware can bind against the table with no start-up work.
// (An index, not a pointer: under -fsanitize=address GCC does not fold a comparison of a
// constexpr object's address with nullptr.)
constexpr std::size_t kNoNode = SIZE_MAX;
constexpr std::size_t index_by_label(const BoardDescription& board, std::string_view label) {
  for (std::size_t i = 0; i < board.nodes.size(); ++i) {
    if (board.nodes[i].label == label) return i;
  }
  return kNoNode;
}
constexpr auto& kAn385 = wasmio::boards::kMps2An385Board;
static_assert(index_by_label(kAn385, "uart0") != kNoNode);
static_assert(kAn385.nodes[index_by_label(kAn385, "uart0")].regs.size() == 1);
static_assert(kAn385.nodes[index_by_label(kAn385, "uart0")].regs[0].address == 0x40004000);
static_assert(index_by_label(kAn385, "no-such-label") == kNoNode);

const BoardNode* find_by_label(const BoardDescription& board, std::string_view label) {
  const std::size_t i = index_by_label(board, label);
  return i == kNoNode ? nullptr : &board.nodes[i];
}

void expect_same_board(const BoardDescription& table, const std::string& dtb) {
  auto loaded = wasmio::io::load_devicetree_file(dtb);
  ASSERT_TRUE(loaded) << loaded.error;
  const BoardDescription& tree = loaded.tree->board();
  EXPECT_EQ(table.model, tree.model);
  ASSERT_EQ(table.nodes.size(), tree.nodes.size());
  for (std::size_t i = 0; i < tree.nodes.size(); ++i) {
    const BoardNode& a = table.nodes[i];
    const BoardNode& b = tree.nodes[i];
    SCOPED_TRACE(std::string(b.path));
    EXPECT_EQ(a.path, b.path);
    EXPECT_EQ(a.label, b.label);
    ASSERT_EQ(a.compatible.size(), b.compatible.size());
    for (std::size_t k = 0; k < b.compatible.size(); ++k) EXPECT_EQ(a.compatible[k], b.compatible[k]);
    ASSERT_EQ(a.regs.size(), b.regs.size());
    for (std::size_t k = 0; k < b.regs.size(); ++k) {
      EXPECT_EQ(a.regs[k].address, b.regs[k].address);
      EXPECT_EQ(a.regs[k].size, b.regs[k].size);
    }
    ASSERT_EQ(a.irqs.size(), b.irqs.size());
    for (std::size_t k = 0; k < b.irqs.size(); ++k) EXPECT_EQ(a.irqs[k], b.irqs[k]);
    ASSERT_EQ(a.properties.size(), b.properties.size());
    for (std::size_t k = 0; k < b.properties.size(); ++k) {
      EXPECT_EQ(a.properties[k].name, b.properties[k].name);
      EXPECT_EQ(std::string(a.properties[k].value.begin(), a.properties[k].value.end()),
                std::string(b.properties[k].value.begin(), b.properties[k].value.end()));
    }
    EXPECT_EQ(a.enabled, b.enabled);
    EXPECT_EQ(a.parent, b.parent);
    EXPECT_EQ(a.bus_address, b.bus_address);
  }
}

TEST(DtgenTable, Mps2An385MatchesTheLoader) {
  expect_same_board(wasmio::boards::kMps2An385Board, WASMIO_DTGEN_AN385_DTB);
}

TEST(DtgenTable, NestedBusesAndInterruptControllersMatchTheLoader) {
  expect_same_board(wasmio::boards::kTranslateBoard, WASMIO_DTGEN_TRANSLATE_DTB);
}

TEST(DtgenTable, EscapedStringsDisabledNodesAndBusDevicesMatchTheLoader) {
  expect_same_board(wasmio::boards::kOddStringsBoard, WASMIO_DTGEN_ODD_DTB);
  EXPECT_EQ(wasmio::boards::kOddStringsBoard.model, "odd \"strings\" \\ board?\?=");
}

TEST(DtgenTable, PropertyHelpersWorkOnTheTable) {
  const BoardNode* uart0 = find_by_label(wasmio::boards::kMps2An385Board, "uart0");
  ASSERT_NE(uart0, nullptr);
  EXPECT_EQ(wasmio::io::property_u32(*uart0, "current-speed"), 115200u);
  EXPECT_TRUE(wasmio::io::is_compatible(*uart0, "arm,cmsdk-uart"));
}

TEST(DtgenWriter, EqualValuesAreStoredOnce) {
  // Both nodes of odd_strings carry the same 6-byte blob: the byte pool holds it once.
  const auto& nodes = wasmio::boards::kOddStringsBoard.nodes;
  const wasmio::io::BoardProperty* a = wasmio::io::find_property(nodes[1], "blob");
  const wasmio::io::BoardProperty* b = wasmio::io::find_property(nodes[2], "blob");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->value.data(), b->value.data());
}

TEST(DtgenWriter, RejectsNamesThatAreNotIdentifiers) {
  EXPECT_TRUE(wasmio::dtgen::is_identifier("kBoard_1"));
  EXPECT_FALSE(wasmio::dtgen::is_identifier(""));
  EXPECT_FALSE(wasmio::dtgen::is_identifier("1board"));
  EXPECT_FALSE(wasmio::dtgen::is_identifier("my-board"));
}

TEST(DtgenWriter, OutputIsDeterministic) {
  wasmio::dtgen::TableOptions options{"kSame", "x.dtb"};
  EXPECT_EQ(wasmio::dtgen::write_board_table(wasmio::boards::kMps2An385Board, options),
            wasmio::dtgen::write_board_table(wasmio::boards::kMps2An385Board, options));
}

}  // namespace
