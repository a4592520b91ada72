#include "devicetree.h"

#include <libfdt.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>

namespace wasmio::io {

struct Devicetree::NodeStorage {
  std::string path;
  std::string_view label;
  std::vector<std::string_view> compatible;
  std::vector<RegWindow> regs;
  std::vector<std::uint32_t> irqs;
  std::vector<BoardProperty> properties;
  bool enabled = true;
  std::uint32_t parent = UINT32_MAX;
  std::uint64_t bus_address = 0;
  int offset = -1;  // libfdt node offset while building
};

Devicetree::~Devicetree() = default;

namespace {

constexpr std::size_t kMaxBlobBytes = 16u << 20;  // far above any real board

std::uint64_t read_cells(const fdt32_t* cells, int count) {
  std::uint64_t value = 0;
  for (int i = 0; i < count; ++i) value = (value << 32) | fdt32_to_cpu(cells[i]);
  return value;
}

bool is_bookkeeping_node(std::string_view name) {
  return name == "__symbols__" || name == "__fixups__" || name == "__local_fixups__";
}

// #address-cells / #size-cells of `node` with the devicetree spec defaults (2 and 1).
int address_cells(const void* fdt, int node) {
  int len = 0;
  const auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "#address-cells", &len));
  return (p != nullptr && len == 4) ? static_cast<int>(fdt32_to_cpu(*p)) : 2;
}
int size_cells(const void* fdt, int node) {
  int len = 0;
  const auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "#size-cells", &len));
  return (p != nullptr && len == 4) ? static_cast<int>(fdt32_to_cpu(*p)) : 1;
}

// Translates `address` (in the address space of `node`'s parent bus) to a CPU address by walking
// the `ranges` of every ancestor bus. False if some ancestor does not map it.
bool translate(const void* fdt, int node, std::uint64_t& address) {
  int bus = fdt_parent_offset(fdt, node);
  while (bus > 0) {  // the root's address space is the CPU's
    int len = 0;
    const auto* ranges = static_cast<const fdt32_t*>(fdt_getprop(fdt, bus, "ranges", &len));
    if (ranges == nullptr) return false;
    if (len > 0) {
      const int parent = fdt_parent_offset(fdt, bus);
      if (parent < 0) return false;
      const int child_ac = address_cells(fdt, bus);
      const int parent_ac = address_cells(fdt, parent);
      const int sc = size_cells(fdt, bus);
      const int entry_cells = child_ac + parent_ac + sc;
      if (entry_cells <= 0) return false;
      const int entries = len / (4 * entry_cells);
      bool mapped = false;
      for (int i = 0; i < entries && !mapped; ++i) {
        const fdt32_t* e = ranges + i * entry_cells;
        const std::uint64_t child_base = read_cells(e, child_ac);
        const std::uint64_t parent_base = read_cells(e + child_ac, parent_ac);
        const std::uint64_t size = read_cells(e + child_ac + parent_ac, sc);
        if (address >= child_base && address - child_base < size) {
          address = parent_base + (address - child_base);
          mapped = true;
        }
      }
      if (!mapped) return false;
    }
    bus = fdt_parent_offset(fdt, bus);
  }
  return true;
}

// The interrupt controller node for `node`: the nearest `interrupt-parent` up the tree.
int interrupt_parent(const void* fdt, int node) {
  for (int n = node; n >= 0; n = fdt_parent_offset(fdt, n)) {
    int len = 0;
    const auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt, n, "interrupt-parent", &len));
    if (p != nullptr && len == 4) return fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*p));
    if (n == 0) break;
  }
  return -1;
}

int interrupt_cells(const void* fdt, int controller) {
  int len = 0;
  const auto* p =
      static_cast<const fdt32_t*>(fdt_getprop(fdt, controller, "#interrupt-cells", &len));
  return (p != nullptr && len == 4) ? static_cast<int>(fdt32_to_cpu(*p)) : -1;
}

}  // namespace

struct DevicetreeBuilder {
  static DevicetreeLoad build(std::span<const std::uint8_t> bytes, std::string_view name) {
    DevicetreeLoad result;
    const std::string who = std::string(name);
    if (bytes.size() < sizeof(fdt_header)) {
      result.error = "'" + who + "' is not a devicetree blob: " + std::to_string(bytes.size()) +
                     " bytes is shorter than a header";
      return result;
    }
    std::unique_ptr<Devicetree> tree(new Devicetree());
    tree->blob_.assign(bytes.begin(), bytes.end());  // operator new storage: 16-byte aligned
    const void* fdt = tree->blob_.data();
    int rc = fdt_check_header(fdt);
    if (rc == 0 && fdt_totalsize(fdt) > bytes.size()) rc = -FDT_ERR_TRUNCATED;
    if (rc != 0) {
      result.error = "'" + who + "' is not a valid devicetree blob: " + fdt_strerror(rc);
      return result;
    }

    // Labels from /__symbols__ (path -> first label naming it).
    std::map<std::string, std::string_view, std::less<>> labels;
    const int symbols = fdt_path_offset(fdt, "/__symbols__");
    if (symbols >= 0) {
      int prop;
      fdt_for_each_property_offset(prop, fdt, symbols) {
        const char* label = nullptr;
        int len = 0;
        const auto* value = static_cast<const char*>(fdt_getprop_by_offset(fdt, prop, &label, &len));
        if (value == nullptr || label == nullptr || len <= 0) continue;
        labels.emplace(std::string(value, strnlen(value, static_cast<std::size_t>(len))), label);
      }
    }

    // Pass 1: every node and its own properties.
    std::map<int, std::uint32_t> index_of_offset;
    auto& storage = tree->storage_;
    char path[1024];
    int depth = 0;
    int skip_below = -1;  // inside a bookkeeping subtree: depth of its root
    // The walk ends when it climbs back above the root (depth < 0) or runs out of nodes.
    for (int node = 0; node >= 0 && depth >= 0; node = fdt_next_node(fdt, node, &depth)) {
      if (skip_below >= 0) {
        if (depth > skip_below) continue;
        skip_below = -1;
      }
      const char* node_name = fdt_get_name(fdt, node, nullptr);
      if (node_name == nullptr) {
        result.error = "'" + who + "': unreadable node name";
        return result;
      }
      if (depth == 1 && is_bookkeeping_node(node_name)) {
        skip_below = depth;
        continue;
      }
      rc = fdt_get_path(fdt, node, path, sizeof(path));
      if (rc != 0) {
        result.error = "'" + who + "': node path: " + fdt_strerror(rc);
        return result;
      }
      Devicetree::NodeStorage s;
      s.offset = node;
      s.path = path;
      if (auto it = labels.find(s.path); it != labels.end()) {
        s.label = it->second;
      } else {
        s.label = node_name;
      }
      int prop;
      fdt_for_each_property_offset(prop, fdt, node) {
        const char* prop_name = nullptr;
        int len = 0;
        const void* value = fdt_getprop_by_offset(fdt, prop, &prop_name, &len);
        if (value == nullptr || prop_name == nullptr || len < 0) {
          result.error = "'" + who + "': unreadable property in " + s.path;
          return result;
        }
        s.properties.push_back(BoardProperty{
            prop_name, {static_cast<const std::uint8_t*>(value), static_cast<std::size_t>(len)}});
      }
      index_of_offset[node] = static_cast<std::uint32_t>(storage.size());
      storage.push_back(std::move(s));
    }

    // Pass 2: properties that need other nodes (parents, interrupt controllers).
    for (auto& s : storage) {
      const int node = s.offset;
      int len = 0;
      if (const auto* c = static_cast<const char*>(fdt_getprop(fdt, node, "compatible", &len))) {
        for (int pos = 0; pos < len;) {
          const std::size_t n = strnlen(c + pos, static_cast<std::size_t>(len - pos));
          if (n > 0) s.compatible.emplace_back(c + pos, n);
          pos += static_cast<int>(n) + 1;
        }
      }
      if (const auto* st = static_cast<const char*>(fdt_getprop(fdt, node, "status", &len))) {
        const std::string_view status(st, strnlen(st, static_cast<std::size_t>(len)));
        s.enabled = status == "okay" || status == "ok";
      }
      if (auto error = decode_reg(fdt, node, s, index_of_offset); !error.empty()) {
        result.error = "'" + who + "': " + s.path + ": " + error;
        return result;
      }
      if (auto error = decode_interrupts(fdt, node, s); !error.empty()) {
        result.error = "'" + who + "': " + s.path + ": " + error;
        return result;
      }
    }

    // Views last: storage no longer moves.
    tree->nodes_.reserve(storage.size());
    for (const auto& s : storage) {
      BoardNode n;
      n.path = s.path;
      n.label = s.label;
      n.compatible = s.compatible;
      n.regs = s.regs;
      n.irqs = s.irqs;
      n.properties = s.properties;
      n.enabled = s.enabled;
      n.parent = s.parent;
      n.bus_address = s.bus_address;
      tree->nodes_.push_back(n);
    }
    tree->board_.nodes = tree->nodes_;
    int len = 0;
    if (const auto* model = static_cast<const char*>(fdt_getprop(fdt, 0, "model", &len))) {
      tree->board_.model = std::string_view(model, strnlen(model, static_cast<std::size_t>(len)));
    }
    result.tree = std::move(tree);
    return result;
  }

  static std::string decode_reg(const void* fdt, int node, Devicetree::NodeStorage& s,
                                const std::map<int, std::uint32_t>& index_of_offset) {
    if (node == 0) return {};
    int len = 0;
    const auto* reg = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "reg", &len));
    if (reg == nullptr) return {};
    const int parent = fdt_parent_offset(fdt, node);
    if (parent < 0) return "no parent node";
    const int ac = address_cells(fdt, parent);
    const int sc = size_cells(fdt, parent);
    if (ac <= 0 || ac > 2 || sc < 0 || sc > 2) {
      return "unsupported #address-cells/#size-cells " + std::to_string(ac) + "/" +
             std::to_string(sc);
    }
    const int entry_cells = ac + sc;
    if (len % (4 * entry_cells) != 0) return "reg length is not a multiple of its entry size";
    const int entries = len / (4 * entry_cells);
    if (sc == 0) {
      // Not memory-mapped: a device on a bus (I2C address, chip select) or a CPU id.
      const char* parent_name = fdt_get_name(fdt, parent, nullptr);
      if (entries > 0 && parent != 0 && std::string_view(parent_name) != "cpus") {
        s.bus_address = read_cells(reg, ac);
        if (auto it = index_of_offset.find(parent); it != index_of_offset.end()) {
          s.parent = it->second;
        }
      }
      return {};
    }
    for (int i = 0; i < entries; ++i) {
      const fdt32_t* e = reg + i * entry_cells;
      std::uint64_t address = read_cells(e, ac);
      const std::uint64_t size = read_cells(e + ac, sc);
      if (translate(fdt, node, address)) s.regs.push_back(RegWindow{address, size});
    }
    return {};
  }

  static std::string decode_interrupts(const void* fdt, int node, Devicetree::NodeStorage& s) {
    int len = 0;
    if (const auto* ext =
            static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "interrupts-extended", &len))) {
      const int total = len / 4;
      for (int pos = 0; pos < total;) {
        const int controller = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(ext[pos]));
        if (controller < 0) return "interrupts-extended names an unknown phandle";
        const int cells = interrupt_cells(fdt, controller);
        if (cells <= 0 || pos + 1 + cells > total) return "bad interrupts-extended entry";
        s.irqs.push_back(fdt32_to_cpu(ext[pos + 1]));
        pos += 1 + cells;
      }
      return {};
    }
    const auto* irqs = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "interrupts", &len));
    if (irqs == nullptr) return {};
    const int controller = interrupt_parent(fdt, node);
    if (controller < 0) return "interrupts without an interrupt-parent";
    const int cells = interrupt_cells(fdt, controller);
    if (cells <= 0) return "interrupt parent has no #interrupt-cells";
    if (len % (4 * cells) != 0) return "interrupts length is not a multiple of #interrupt-cells";
    for (int i = 0; i < len / (4 * cells); ++i) s.irqs.push_back(fdt32_to_cpu(irqs[i * cells]));
    return {};
  }
};

const BoardNode* Devicetree::find_by_path(std::string_view path) const {
  for (const auto& n : nodes_) {
    if (n.path == path) return &n;
  }
  return nullptr;
}

const BoardNode* Devicetree::find_by_label(std::string_view label) const {
  for (const auto& n : nodes_) {
    if (n.label == label) return &n;
  }
  return nullptr;
}

std::uint32_t Devicetree::index_of(const BoardNode& node) const {
  return static_cast<std::uint32_t>(&node - nodes_.data());
}

std::vector<const BoardNode*> Devicetree::find_compatible(std::string_view compatible) const {
  std::vector<const BoardNode*> out;
  for (const auto& n : nodes_) {
    if (n.enabled && is_compatible(n, compatible)) out.push_back(&n);
  }
  return out;
}

DevicetreeLoad load_devicetree_blob(std::span<const std::uint8_t> bytes, std::string_view name) {
  return DevicetreeBuilder::build(bytes, name);
}

DevicetreeLoad load_devicetree_file(const std::string& path) {
  DevicetreeLoad result;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    result.error = "cannot open devicetree '" + path + "': " + std::strerror(errno);
    return result;
  }
  std::vector<std::uint8_t> bytes;
  char chunk[4096];
  while (in.read(chunk, sizeof(chunk)) || in.gcount() > 0) {
    bytes.insert(bytes.end(), chunk, chunk + in.gcount());
    if (bytes.size() > kMaxBlobBytes) {
      result.error = "devicetree '" + path + "' is larger than 16 MiB";
      return result;
    }
  }
  return load_devicetree_blob(bytes, path);
}

}  // namespace wasmio::io
