#include "bus_pins.h"

#include <algorithm>

#include "../board/devicetree.h"

namespace wasmio::io {
namespace {

bool pinned(const Deployment& d, std::string_view label) {
  return std::any_of(d.pins.begin(), d.pins.end(),
                     [&](const Deployment::Pin& p) { return p.label == label; });
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
    if (pinned(deployment, device.label)) continue;
    const BoardNode* node = preferred_node(device, board);
    if (node == nullptr || node->parent >= board.nodes.size()) continue;
    const BoardNode& bus = board.nodes[node->parent];
    for (const PeripheralNeed& controller : manifest.peripherals) {
      if (&controller == &device || pinned(deployment, controller.label)) continue;
      if (!accepts(controller, bus)) continue;
      deployment.pins.push_back(Deployment::Pin{controller.label, std::string(bus.path)});
      deployment.pins.push_back(Deployment::Pin{device.label, std::string(node->path)});
      break;
    }
  }
  return deployment;
}

}  // namespace wasmio::io
