// A BoardDescription built by hand for binding tests: nodes are added with owned storage, then
// board() hands out the views. Add every node before calling board().
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/board/board_description.h"

namespace wasmio::io::testing {

struct TestNode {
  std::string path;
  std::string label;
  std::vector<std::string> compatible;
  std::vector<RegWindow> regs;
  std::vector<std::uint32_t> irqs;
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> properties;
  bool enabled = true;
};

inline std::vector<std::uint8_t> be32(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
          static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

class TestBoard {
 public:
  TestBoard& add(TestNode node) {
    nodes_.push_back(Stored{std::move(node), {}, {}});
    return *this;
  }

  const BoardDescription& board() {
    views_.clear();
    for (Stored& s : nodes_) {
      s.compatible.assign(s.node.compatible.begin(), s.node.compatible.end());
      s.properties.clear();
      for (const auto& [name, value] : s.node.properties) {
        s.properties.push_back(BoardProperty{name, value});
      }
      BoardNode n;
      n.path = s.node.path;
      n.label = s.node.label;
      n.compatible = s.compatible;
      n.regs = s.node.regs;
      n.irqs = s.node.irqs;
      n.properties = s.properties;
      n.enabled = s.node.enabled;
      views_.push_back(n);
    }
    description_.model = "test-board";
    description_.nodes = views_;
    return description_;
  }

 private:
  struct Stored {
    TestNode node;
    std::vector<std::string_view> compatible;
    std::vector<BoardProperty> properties;
  };
  std::deque<Stored> nodes_;  // deque: views into earlier nodes stay valid while adding
  std::vector<BoardNode> views_;
  BoardDescription description_;
};

// A few peripherals shaped like the MPS2 AN385's, plus oddities for refusals.
inline TestBoard an385_like() {
  TestBoard b;
  b.add({"/", "", {"arm,mps2"}, {}, {}, {}, true});
  b.add({"/apb/serial@40004000", "uart0", {"arm,cmsdk-uart"}, {{0x40004000, 0x1000}}, {0, 1},
         {{"clock-frequency", be32(25000000)}, {"wasmio,console", {}}}, true});
  b.add({"/apb/serial@40005000", "uart1", {"arm,cmsdk-uart"}, {{0x40005000, 0x1000}}, {2, 3},
         {{"clock-frequency", be32(25000000)}}, true});
  b.add({"/apb/serial@40006000", "uart2", {"arm,cmsdk-uart"}, {{0x40006000, 0x1000}}, {4, 5},
         {{"clock-frequency", be32(25000000)}}, false});
  b.add({"/apb/timer@40000000", "timer0", {"arm,cmsdk-timer"}, {{0x40000000, 0x1000}}, {8},
         {}, true});
  b.add({"/apb/ssp@40020000", "spi0", {"arm,pl022", "arm,primecell"}, {{0x40020000, 0x1000}},
         {11}, {}, true});
  b.add({"/apb/ssp@40021000", "spi1", {"arm,pl022", "arm,primecell"}, {{0x40021000, 0x1000}},
         {11}, {}, true});
  b.add({"/apb/small@40030000", "small0", {"vendor,small"}, {{0x40030000, 0x100}}, {}, {}, true});
  b.add({"/apb/serial@40040000", "fast0", {"vendor,uart-v2", "arm,cmsdk-uart"},
         {{0x40040000, 0x1000}, {0x40041000, 0x100}}, {30, 31}, {}, true});
  b.add({"/apb/gone@40050000", "gone0", {"vendor,gone"}, {{0x40050000, 0x1000}}, {}, {}, false});
  return b;
}

}  // namespace wasmio::io::testing
