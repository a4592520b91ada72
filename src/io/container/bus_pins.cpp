#include "bus_pins.h"

#include <algorithm>

#include "../board/board_properties.h"

namespace wasmio::io {
namespace {

const Deployment::Pin* pin_of(const Deployment& d, std::string_view label) {
  for (const Deployment::Pin& p : d.pins) {
    if (p.label == label) return &p;
  }
  return nullptr;
}

// A pin names a node by devicetree path or label.
const BoardNode* pinned_node(const Deployment::Pin& pin, const BoardDescription& board) {
  for (const BoardNode& n : board.nodes) {
    if (n.path == pin.node || (!n.label.empty() && n.label == pin.node)) return &n;
  }
  return nullptr;
}

bool accepts(const PeripheralNeed& p, const BoardNode& node) {
  return std::any_of(p.compatible.begin(), p.compatible.end(),
                     [&](const std::string& c) { return is_compatible(node, c); });
}

// The preferred enabled node for `p`: its first compatible that any node carries wins.
const BoardNode* preferred_node(const PeripheralNeed& p, const BoardDescription& board) {
  for (const std::string& c : p.compatible) {
    for (const BoardNode& n : board.nodes) {
      if (n.enabled && is_compatible(n, c)) return &n;
    }
  }
  return nullptr;
}

}  // namespace

Deployment with_bus_pins(const Manifest& manifest, const BoardDescription& board,
                         Deployment deployment) {
  for (const PeripheralNeed& device : manifest.peripherals) {
    // A pinned device decides the bus as much as a matched one does.
    const Deployment::Pin* device_pin = pin_of(deployment, device.label);
    const BoardNode* node = device_pin != nullptr ? pinned_node(*device_pin, board)
                                                  : preferred_node(device, board);
    if (node == nullptr || node->parent >= board.nodes.size()) continue;
    const BoardNode& bus = board.nodes[node->parent];
    for (const PeripheralNeed& controller : manifest.peripherals) {
      if (&controller == &device || pin_of(deployment, controller.label) != nullptr) continue;
      if (!accepts(controller, bus)) continue;
      deployment.pins.push_back(Deployment::Pin{controller.label, std::string(bus.path)});
      if (device_pin == nullptr) {
        deployment.pins.push_back(Deployment::Pin{device.label, std::string(node->path)});
      }
      break;
    }
  }
  return deployment;
}

}  // namespace wasmio::io
