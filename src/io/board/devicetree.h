// Loads a compiled devicetree (.dtb) with libfdt into a BoardDescription that owns its storage.
//
// What the loader decides (the BoardDescription contract leaves it open):
// - nodes: every node of the tree in depth-first order, the root first, except the overlay
//   bookkeeping nodes /__symbols__, /__fixups__ and /__local_fixups__;
// - regs: translated to CPU addresses through every ancestor's `ranges` (empty `ranges` is the
//   identity; an ancestor without `ranges`, or an address outside all of its ranges, leaves the
//   entry out); cells per the parent's #address-cells/#size-cells (defaults 2 and 1);
// - bus devices: a node whose parent has #size-cells = 0 and is not /cpus (an I2C device) gets
//   `parent` = the bus node's index and `bus_address` = its reg address, and no regs;
// - irqs: the first cell of each `interrupts` tuple (tuple size = the interrupt parent's
//   #interrupt-cells, the parent found through `interrupt-parent` up the tree) or of each
//   `interrupts-extended` entry; for Cortex-M that cell is the NVIC line;
// - label: the first /__symbols__ entry naming the node (dtc -@), else the node's name;
// - enabled: `status` absent, "okay" or "ok".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "board_description.h"
#include "board_properties.h"

namespace wasmio::io {

class Devicetree {
 public:
  Devicetree(const Devicetree&) = delete;
  Devicetree& operator=(const Devicetree&) = delete;
  ~Devicetree();

  const BoardDescription& board() const { return board_; }
  // The raw blob, for consumers that want libfdt themselves.
  std::span<const std::uint8_t> blob() const { return blob_; }

  const BoardNode* find_by_path(std::string_view path) const;
  const BoardNode* find_by_label(std::string_view label) const;
  std::uint32_t index_of(const BoardNode& node) const;  // position in board().nodes
  // Enabled nodes whose compatible list contains `compatible`, in tree order.
  std::vector<const BoardNode*> find_compatible(std::string_view compatible) const;

 private:
  friend struct DevicetreeBuilder;
  Devicetree() = default;

  struct NodeStorage;
  std::vector<std::uint8_t> blob_;
  std::vector<NodeStorage> storage_;
  std::vector<BoardNode> nodes_;
  BoardDescription board_;
};

struct DevicetreeLoad {
  std::unique_ptr<Devicetree> tree;  // null on failure
  std::string error;                 // why, naming the file and the libfdt error
  explicit operator bool() const { return tree != nullptr; }
};

DevicetreeLoad load_devicetree_file(const std::string& path);
// `name` only labels error messages.
DevicetreeLoad load_devicetree_blob(std::span<const std::uint8_t> bytes,
                                    std::string_view name = "<memory>");

}  // namespace wasmio::io
