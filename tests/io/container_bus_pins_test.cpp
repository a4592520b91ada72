// A device behind a bus controller decides which controller its driver gets.
#include "container_test_support.h"

#include "io/container/bus_pins.h"

namespace wasmio::io::test {
namespace {

// Two I2C controllers; a sensor only on the second one.
struct TwoBuses {
  testing::TestBoard nodes;
  TwoBuses() {
    nodes.add({"/", "", {}, {}, {}, {}});
    nodes.add({"/i2c@1000", "i2c_a", {"arm,versatile-i2c"}, {{0x1000, 0x1000}}, {}, {}});
    nodes.add({"/i2c@2000", "i2c_b", {"arm,versatile-i2c"}, {{0x2000, 0x1000}}, {}, {}});
    nodes.add({"/i2c@2000/sensor@48", "temp", {"ti,tmp105"}, {}, {}, {}});
    nodes.add({"/i2c@2000/sensor@49", "temp2", {"ti,tmp105"}, {}, {}, {}});
  }
};

Manifest sensor_driver() {
  Manifest m = one_window_manifest(AccessPath::kHostCall, "i2c", "arm,versatile-i2c", 8, kWidth32);
  PeripheralNeed sensor;
  sensor.label = "sensor";
  sensor.compatible = {"ti,tmp105"};
  m.peripherals.push_back(sensor);
  return m;
}

// TestBoard has no parent links; set them as the devicetree loader would.
std::vector<BoardNode> with_parents(const BoardDescription& b) {
  std::vector<BoardNode> nodes(b.nodes.begin(), b.nodes.end());
  nodes[3].parent = 2;
  nodes[3].bus_address = 0x48;
  nodes[4].parent = 2;
  nodes[4].bus_address = 0x49;
  return nodes;
}

TEST(BusPins, TheControllerFollowsTheSensorsBus) {
  TwoBuses t;
  const BoardDescription described = t.nodes.board();
  const std::vector<BoardNode> nodes = with_parents(described);
  const BoardDescription board{"two-buses", nodes};
  const Deployment d = with_bus_pins(sensor_driver(), board, {});
  ASSERT_EQ(d.pins.size(), 2u);
  EXPECT_EQ(d.pins[0].label, "i2c");
  EXPECT_EQ(d.pins[0].node, "/i2c@2000");
  EXPECT_EQ(d.pins[1].label, "sensor");
  EXPECT_EQ(d.pins[1].node, "/i2c@2000/sensor@48");
  const BindResult bound = bind(sensor_driver(), board, d);
  ASSERT_TRUE(bound) << bound.refusal().message();
  EXPECT_EQ(bound.binding().windows[0].address, 0x2000u);
}

TEST(BusPins, APinnedSensorAlsoDecidesAndExplicitPinsWin) {
  TwoBuses t;
  const BoardDescription described = t.nodes.board();
  const std::vector<BoardNode> nodes = with_parents(described);
  const BoardDescription board{"two-buses", nodes};
  Deployment pinned;
  pinned.pins.push_back({"sensor", "temp2"});
  const Deployment d = with_bus_pins(sensor_driver(), board, pinned);
  ASSERT_EQ(d.pins.size(), 2u);
  EXPECT_EQ(d.pins[1].label, "i2c");
  EXPECT_EQ(d.pins[1].node, "/i2c@2000");

  Deployment explicit_bus;
  explicit_bus.pins.push_back({"i2c", "i2c_a"});
  const Deployment kept = with_bus_pins(sensor_driver(), board, explicit_bus);
  ASSERT_GE(kept.pins.size(), 1u);
  EXPECT_EQ(kept.pins[0].node, "i2c_a");
  for (const Deployment::Pin& p : kept.pins) EXPECT_NE(p.node, "/i2c@2000") << p.label;
}

TEST(BusPins, DevicesNotOnABusAddNoPins) {
  TwoBuses t;
  const BoardDescription described = t.nodes.board();
  const Manifest m = one_window_manifest(AccessPath::kHostCall, "i2c", "arm,versatile-i2c", 8, kWidth32);
  EXPECT_TRUE(with_bus_pins(m, described, {}).pins.empty());
}

}  // namespace
}  // namespace wasmio::io::test
