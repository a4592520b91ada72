#include "binding.h"

#include <algorithm>

#include "../manifest/text.h"

namespace wasmio::io {
namespace {

constexpr std::uint32_t kGuestPage = 4096;  // mapped windows start on their own 4 KiB page

bool has_compatible(const BoardNode& node, std::string_view compatible) {
  return std::find(node.compatible.begin(), node.compatible.end(), compatible) !=
         node.compatible.end();
}

bool has_property(const BoardNode& node, std::string_view name) {
  return std::any_of(node.properties.begin(), node.properties.end(),
                     [&](const BoardProperty& p) { return p.name == name; });
}

std::string quoted_list(const std::vector<std::string>& items) {
  std::string s;
  for (const std::string& item : items) {
    if (!s.empty()) s += ", ";
    s += "\"" + item + "\"";
  }
  return s;
}

std::string quoted_list(std::span<const std::string_view> items) {
  std::string s;
  for (std::string_view item : items) {
    if (!s.empty()) s += ", ";
    s += "\"" + std::string(item) + "\"";
  }
  return s;
}

}  // namespace

// The work of one GrantRegistry::bind call; keeps the registry untouched until everything holds.
class Binder {
 public:
  Binder(GrantRegistry& registry, std::string_view container, const Manifest& manifest,
         const Deployment& deployment)
      : registry_(registry), board_(registry.board_), container_(container), manifest_(manifest),
        deployment_(deployment), n_(manifest.peripherals.size()), hard_(n_), soft_(n_),
        candidates_(n_), exclusive_(n_, false), assigned_(n_, UINT32_MAX) {}

  BindResult run();

 private:
  std::string node_name(std::uint32_t node) const {
    return std::string(board_.nodes[node].path);
  }
  void reason(std::vector<RefusalReason>& into, RefusalKind kind, std::size_t label,
              std::uint32_t node, std::string text) const {
    into.push_back(RefusalReason{kind, label < n_ ? manifest_.peripherals[label].label : "",
                                 node == UINT32_MAX ? "" : node_name(node), std::move(text)});
  }
  std::optional<std::uint32_t> find_node(std::string_view path_or_label) const;
  const Deployment::Pin* pin_of(const std::string& label) const;
  // Appends why `node` cannot serve peripheral `i` to soft_[i]; true when it can.
  bool suitable(std::size_t i, std::uint32_t node);
  void collect_candidates(std::size_t i);
  bool augment(std::size_t label, std::vector<bool>& visited, std::vector<std::size_t>& owner);
  void match();
  BindResult refuse(std::vector<RefusalReason> reasons) const {
    return Refusal{container_, manifest_.driver, std::move(reasons)};
  }
  ContainerBinding build(std::vector<RefusalReason>& reasons) const;
  void commit(ContainerBinding& binding);

  GrantRegistry& registry_;
  const BoardDescription& board_;
  std::string container_;
  const Manifest& manifest_;
  const Deployment& deployment_;
  std::size_t n_;
  std::vector<std::vector<RefusalReason>> hard_;  // always reported: the deployment is wrong
  std::vector<std::vector<RefusalReason>> soft_;  // reported only if the label stays unbound
  std::vector<std::vector<std::uint32_t>> candidates_;  // suitable nodes, preferred first
  std::vector<bool> exclusive_;
  std::vector<std::uint32_t> assigned_;
};

std::optional<std::uint32_t> Binder::find_node(std::string_view path_or_label) const {
  for (std::uint32_t i = 0; i < board_.nodes.size(); ++i) {
    if (board_.nodes[i].path == path_or_label) return i;
  }
  for (std::uint32_t i = 0; i < board_.nodes.size(); ++i) {
    if (!board_.nodes[i].label.empty() && board_.nodes[i].label == path_or_label) return i;
  }
  return std::nullopt;
}

const Deployment::Pin* Binder::pin_of(const std::string& label) const {
  for (const Deployment::Pin& pin : deployment_.pins) {
    if (pin.label == label) return &pin;
  }
  return nullptr;
}

bool Binder::suitable(std::size_t i, std::uint32_t node_index) {
  const PeripheralNeed& p = manifest_.peripherals[i];
  const BoardNode& node = board_.nodes[node_index];
  const std::string name = node_name(node_index);
  auto& out = soft_[i];
  const std::size_t before = out.size();
  for (const WindowNeed& w : p.windows) {
    if (w.index >= node.regs.size()) {
      reason(out, RefusalKind::kWindowMissing, i, node_index,
             "node " + name + " has no window " + std::to_string(w.index) + " (it has " +
                 std::to_string(node.regs.size()) + ")");
    } else if (node.regs[w.index].size < w.min_size) {
      reason(out, RefusalKind::kWindowTooSmall, i, node_index,
             "node " + name + " has window " + std::to_string(w.index) + " of " +
                 text::hex(node.regs[w.index].size) + " < " + text::hex(w.min_size));
    }
  }
  for (const IrqNeed& q : p.irqs) {
    if (q.index >= node.irqs.size()) {
      reason(out, RefusalKind::kIrqMissing, i, node_index,
             "node " + name + " has no IRQ index " + std::to_string(q.index) + " (it has " +
                 std::to_string(node.irqs.size()) + ")");
      continue;
    }
    const std::uint32_t line = node.irqs[q.index];
    for (const GrantRegistry::LineGrant& g : registry_.line_grants_) {
      if (g.line == line) {
        reason(out, RefusalKind::kIrqLineGranted, i, node_index,
               "IRQ line " + std::to_string(line) + " (node " + name + " IRQ index " +
                   std::to_string(q.index) + ") is granted to container '" + g.container + "'");
      }
    }
  }
  for (const std::string& property : p.properties) {
    if (!has_property(node, property)) {
      reason(out, RefusalKind::kPropertyMissing, i, node_index,
             "node " + name + " lacks property '" + property + "'");
    }
  }
  for (const GrantRegistry::NodeGrant& g : registry_.node_grants_[node_index]) {
    if (g.exclusive) {
      reason(out, RefusalKind::kExclusivelyGranted, i, node_index,
             "node " + name + " is exclusively granted to container '" + g.container + "'");
    } else if (exclusive_[i]) {
      reason(out, RefusalKind::kNodeInUse, i, node_index,
             "node " + name + " is wanted exclusively but is granted to container '" +
                 g.container + "'");
    }
  }
  return out.size() == before;
}

void Binder::collect_candidates(std::size_t i) {
  const PeripheralNeed& p = manifest_.peripherals[i];
  if (const Deployment::Pin* pin = pin_of(p.label)) {
    std::optional<std::uint32_t> node = find_node(pin->node);
    if (!node) {
      reason(hard_[i], RefusalKind::kPinnedNodeNotFound, i, UINT32_MAX,
             "pinned node '" + pin->node + "' not found on board '" + std::string(board_.model) +
                 "'");
      return;
    }
    const BoardNode& n = board_.nodes[*node];
    if (!n.enabled) {
      reason(hard_[i], RefusalKind::kPinnedNodeDisabled, i, *node,
             "pinned node " + node_name(*node) + " is disabled (status is not \"okay\")");
      return;
    }
    bool compatible = false;
    for (const std::string& c : p.compatible) compatible = compatible || has_compatible(n, c);
    if (!compatible) {
      reason(hard_[i], RefusalKind::kPinnedNodeIncompatible, i, *node,
             "pinned node " + node_name(*node) + " (compatible " + quoted_list(n.compatible) +
                 ") matches none of " + quoted_list(p.compatible));
      return;
    }
    if (suitable(i, *node)) {
      candidates_[i].push_back(*node);
    } else {
      // The deployment chose this node: its defects are errors even for an optional label.
      hard_[i].insert(hard_[i].end(), soft_[i].begin(), soft_[i].end());
      soft_[i].clear();
    }
    return;
  }
  std::vector<std::uint32_t> disabled;
  bool any_enabled = false;
  for (const std::string& c : p.compatible) {
    for (std::uint32_t node = 0; node < board_.nodes.size(); ++node) {
      const BoardNode& n = board_.nodes[node];
      if (!has_compatible(n, c)) continue;
      if (!n.enabled) {
        if (std::find(disabled.begin(), disabled.end(), node) == disabled.end()) {
          disabled.push_back(node);
        }
        continue;
      }
      any_enabled = true;
      const bool seen = std::find(candidates_[i].begin(), candidates_[i].end(), node) !=
                            candidates_[i].end() ||
                        std::any_of(soft_[i].begin(), soft_[i].end(), [&](const RefusalReason& r) {
                          return r.node == n.path;
                        });
      if (seen) continue;  // also listed under a preferred compatible
      if (suitable(i, node)) candidates_[i].push_back(node);
    }
  }
  if (!any_enabled) {
    std::string text = "no enabled node is compatible with " + quoted_list(p.compatible);
    if (!disabled.empty()) {
      text += " (disabled:";
      for (std::uint32_t node : disabled) text += " " + node_name(node);
      text += ")";
    }
    reason(soft_[i], RefusalKind::kNoCompatibleNode, i, UINT32_MAX, std::move(text));
  }
}

// Kuhn's augmenting path, free nodes first: a label takes its most preferred free node; only
// when none is free does it move an earlier label to another suitable node. So earlier labels
// keep their choice unless a later label could not bind at all otherwise.
bool Binder::augment(std::size_t label, std::vector<bool>& visited,
                     std::vector<std::size_t>& owner) {
  for (std::uint32_t node : candidates_[label]) {
    if (owner[node] == SIZE_MAX && !visited[node]) {
      visited[node] = true;
      owner[node] = label;
      assigned_[label] = node;
      return true;
    }
  }
  for (std::uint32_t node : candidates_[label]) {
    if (visited[node]) continue;
    visited[node] = true;
    if (augment(owner[node], visited, owner)) {
      owner[node] = label;
      assigned_[label] = node;
      return true;
    }
  }
  return false;
}

void Binder::match() {
  std::vector<std::size_t> owner(board_.nodes.size(), SIZE_MAX);
  // Required peripherals first, so an optional one never takes a node a required one needs.
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < n_; ++i) {
      if (manifest_.peripherals[i].optional() != (pass == 1)) continue;
      std::vector<bool> visited(board_.nodes.size(), false);
      augment(i, visited, owner);
    }
  }
}

ContainerBinding Binder::build(std::vector<RefusalReason>& reasons) const {
  ContainerBinding b;
  b.container = container_;
  b.driver = manifest_.driver;
  b.access_path = manifest_.access_path;
  std::uint64_t guest_cursor = 0;  // offset into the guest map range
  for (std::size_t i = 0; i < n_; ++i) {
    const PeripheralNeed& p = manifest_.peripherals[i];
    BoundPeripheral bp;
    bp.label = p.label;
    bp.exclusive = exclusive_[i];
    bp.present = assigned_[i] != UINT32_MAX;
    if (!bp.present) {
      b.peripherals.push_back(std::move(bp));
      continue;
    }
    const std::uint32_t node_index = assigned_[i];
    const BoardNode& node = board_.nodes[node_index];
    bp.node = node_index;
    bp.node_path = std::string(node.path);
    b.peripherals.push_back(std::move(bp));
    for (const WindowNeed& w : p.windows) {
      GrantedWindow g;
      g.handle = static_cast<std::uint32_t>(b.windows.size());
      g.label = p.label;
      g.index = w.index;
      g.address = node.regs[w.index].address;
      g.size = w.min_size;
      g.widths = w.widths;
      g.volatile_ranges = w.volatile_ranges;
      if (manifest_.access_path == AccessPath::kMapped) {
        guest_cursor = (guest_cursor + kGuestPage - 1) / kGuestPage * kGuestPage;
        g.guest_address = static_cast<std::uint32_t>(manifest_.map_base + guest_cursor);
        guest_cursor += w.min_size;
      }
      b.windows.push_back(std::move(g));
    }
    for (const IrqNeed& q : p.irqs) {
      b.irqs.push_back(GrantedIrq{p.label, q.index, node.irqs[q.index], q.handler, q.priority,
                                  q.budget, q.min_interarrival_us});
    }
    for (const std::string& name : p.properties) {
      for (const BoardProperty& prop : node.properties) {
        if (prop.name == name) b.properties.push_back(GrantedProperty{p.label, name, prop.value});
      }
    }
  }
  if (manifest_.access_path == AccessPath::kMapped && guest_cursor > manifest_.map_size) {
    reasons.push_back(RefusalReason{
        RefusalKind::kMapRangeTooSmall, "", "",
        "the windows need " + text::hex(guest_cursor) +
            " bytes of guest address space (each on its own 4 KiB page) but the mapped range "
            "has " + text::hex(manifest_.map_size)});
  }
  return b;
}

void Binder::commit(ContainerBinding& binding) {
  for (const BoundPeripheral& bp : binding.peripherals) {
    if (bp.present) {
      registry_.node_grants_[bp.node].push_back(GrantRegistry::NodeGrant{container_, bp.exclusive});
    }
  }
  for (const GrantedIrq& q : binding.irqs) {
    const bool held = std::any_of(registry_.line_grants_.begin(), registry_.line_grants_.end(),
                                  [&](const GrantRegistry::LineGrant& g) { return g.line == q.line; });
    if (!held) registry_.line_grants_.push_back(GrantRegistry::LineGrant{q.line, container_});
  }
  registry_.bindings_.push_back(binding);
}

BindResult Binder::run() {
  std::vector<RefusalReason> container_reasons;
  if (registry_.binding(container_) != nullptr) {
    reason(container_reasons, RefusalKind::kContainerAlreadyBound, SIZE_MAX, UINT32_MAX,
           "container '" + container_ + "' is bound already; unbind it first");
    return refuse(std::move(container_reasons));
  }
  for (std::size_t k = 0; k < deployment_.pins.size(); ++k) {
    const Deployment::Pin& pin = deployment_.pins[k];
    if (manifest_.find(pin.label) == nullptr) {
      reason(container_reasons, RefusalKind::kPinUnknownLabel, SIZE_MAX, UINT32_MAX,
             "the deployment pins label '" + pin.label + "', which the manifest does not declare");
    }
    for (std::size_t j = 0; j < k; ++j) {
      if (deployment_.pins[j].label == pin.label) {
        reason(container_reasons, RefusalKind::kPinUnknownLabel, SIZE_MAX, UINT32_MAX,
               "the deployment pins label '" + pin.label + "' twice");
      }
    }
  }
  for (const std::string& label : deployment_.exclusive) {
    if (manifest_.find(label) == nullptr) {
      reason(container_reasons, RefusalKind::kPinUnknownLabel, SIZE_MAX, UINT32_MAX,
             "the deployment grants label '" + label +
                 "' exclusively, but the manifest does not declare it");
    }
  }
  for (std::size_t i = 0; i < n_; ++i) {
    const PeripheralNeed& p = manifest_.peripherals[i];
    exclusive_[i] = p.exclusive() || std::find(deployment_.exclusive.begin(),
                                               deployment_.exclusive.end(),
                                               p.label) != deployment_.exclusive.end();
  }
  for (std::size_t i = 0; i < n_; ++i) collect_candidates(i);
  match();

  std::vector<RefusalReason> reasons = std::move(container_reasons);
  for (std::size_t i = 0; i < n_; ++i) {
    const PeripheralNeed& p = manifest_.peripherals[i];
    reasons.insert(reasons.end(), hard_[i].begin(), hard_[i].end());
    if (assigned_[i] != UINT32_MAX || !hard_[i].empty() || p.optional()) continue;
    reasons.insert(reasons.end(), soft_[i].begin(), soft_[i].end());
    if (!candidates_[i].empty()) {
      std::string text = "every suitable node (";
      for (std::size_t k = 0; k < candidates_[i].size(); ++k) {
        text += (k ? ", " : "") + node_name(candidates_[i][k]);
      }
      text += ") is needed by other labels of this driver";
      reason(reasons, RefusalKind::kNodeTakenByOtherLabel, i, UINT32_MAX, std::move(text));
    }
  }
  if (!reasons.empty()) return refuse(std::move(reasons));
  ContainerBinding binding = build(reasons);
  if (!reasons.empty()) return refuse(std::move(reasons));
  commit(binding);
  return binding;
}

const char* refusal_kind_name(RefusalKind kind) noexcept {
  switch (kind) {
    case RefusalKind::kContainerAlreadyBound: return "container already bound";
    case RefusalKind::kPinUnknownLabel: return "deployment names an unknown label";
    case RefusalKind::kPinnedNodeNotFound: return "pinned node not found";
    case RefusalKind::kPinnedNodeDisabled: return "pinned node disabled";
    case RefusalKind::kPinnedNodeIncompatible: return "pinned node incompatible";
    case RefusalKind::kNoCompatibleNode: return "no compatible node";
    case RefusalKind::kWindowMissing: return "window missing";
    case RefusalKind::kWindowTooSmall: return "window too small";
    case RefusalKind::kIrqMissing: return "IRQ missing";
    case RefusalKind::kPropertyMissing: return "property missing";
    case RefusalKind::kExclusivelyGranted: return "node exclusively granted";
    case RefusalKind::kNodeInUse: return "node in use";
    case RefusalKind::kIrqLineGranted: return "IRQ line granted";
    case RefusalKind::kNodeTakenByOtherLabel: return "node taken by another label";
    case RefusalKind::kMapRangeTooSmall: return "guest map range too small";
  }
  return "?";
}

bool Refusal::has(RefusalKind kind) const noexcept {
  return std::any_of(reasons.begin(), reasons.end(),
                     [&](const RefusalReason& r) { return r.kind == kind; });
}

std::string Refusal::message() const {
  std::string m = "container '" + container + "' (driver '" + driver + "') refused:";
  for (const RefusalReason& r : reasons) {
    m += "\n  ";
    if (!r.label.empty()) m += r.label + ": ";
    m += r.text;
  }
  return m;
}

const GrantedWindow* ContainerBinding::find_window(std::string_view label,
                                                   std::uint8_t index) const noexcept {
  for (const GrantedWindow& w : windows) {
    if (w.label == label && w.index == index) return &w;
  }
  return nullptr;
}

const BoundPeripheral* ContainerBinding::find(std::string_view label) const noexcept {
  for (const BoundPeripheral& p : peripherals) {
    if (p.label == label) return &p;
  }
  return nullptr;
}

GrantRegistry::GrantRegistry(const BoardDescription& board)
    : board_(board), node_grants_(board.nodes.size()) {}

BindResult GrantRegistry::bind(std::string_view container, const Manifest& manifest,
                               const Deployment& deployment) {
  return Binder(*this, container, manifest, deployment).run();
}

bool GrantRegistry::unbind(std::string_view container) {
  auto it = std::find_if(bindings_.begin(), bindings_.end(),
                         [&](const ContainerBinding& b) { return b.container == container; });
  if (it == bindings_.end()) return false;
  for (auto& grants : node_grants_) {
    std::erase_if(grants, [&](const NodeGrant& g) { return g.container == container; });
  }
  std::erase_if(line_grants_, [&](const LineGrant& g) { return g.container == container; });
  bindings_.erase(it);
  return true;
}

const ContainerBinding* GrantRegistry::binding(std::string_view container) const noexcept {
  for (const ContainerBinding& b : bindings_) {
    if (b.container == container) return &b;
  }
  return nullptr;
}

std::vector<std::string_view> GrantRegistry::holders(std::uint32_t node) const {
  std::vector<std::string_view> out;
  if (node < node_grants_.size()) {
    for (const NodeGrant& g : node_grants_[node]) out.push_back(g.container);
  }
  return out;
}

std::optional<std::string_view> GrantRegistry::irq_holder(std::uint32_t line) const {
  for (const LineGrant& g : line_grants_) {
    if (g.line == line) return std::string_view(g.container);
  }
  return std::nullopt;
}

BindResult bind(const Manifest& manifest, const BoardDescription& board,
                const Deployment& deployment, std::string_view container) {
  GrantRegistry registry(board);
  return registry.bind(container, manifest, deployment);
}

}  // namespace wasmio::io
