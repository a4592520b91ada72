// Binding: what the board grants a driver container, decided from its manifest, the board's
// devicetree and the deployment. One GrantRegistry per board keeps every grant, so several
// containers can be bound and unbound; a bind either grants everything the manifest needs or
// grants nothing and says every reason why (see docs/design/0007-manifest-and-binding.md).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../board/board_description.h"
#include "../manifest/manifest.h"

namespace wasmio::io {

// How this deployment of a driver differs from "first suitable node, shared".
struct Deployment {
  struct Pin {
    std::string label;  // the manifest's peripheral label
    std::string node;   // devicetree path ("/apb@40000000/serial@40004000") or node label ("uart0")
  };
  std::vector<Pin> pins;
  // Labels whose nodes this container gets exclusively even if its manifest does not ask.
  std::vector<std::string> exclusive;
};

struct GrantedWindow {
  std::uint32_t handle = 0;  // what wasmio.window_handle returns: 0..n-1 within the container
  std::string label;
  std::uint8_t index = 0;
  std::uint64_t address = 0;  // CPU address of the first granted byte
  std::uint32_t size = 0;     // exactly the manifest's size, never the whole reg entry
  std::uint8_t widths = 0;    // kWidth* bitmask
  std::uint32_t guest_address = 0;  // mapped path: where the window appears in the guest; else 0
  std::vector<VolatileRange> volatile_ranges;
};

struct GrantedIrq {
  std::string label;
  std::uint8_t index = 0;
  std::uint32_t line = 0;  // interrupt number on the board (NVIC line)
  std::string handler;
  std::uint8_t priority = 0;
  std::uint32_t budget = 0;
  std::uint32_t min_interarrival_us = 0;
};

struct GrantedProperty {
  std::string label;
  std::string name;
  std::span<const std::uint8_t> value;  // the board's bytes (big-endian cells); board-owned
};

struct BoundPeripheral {
  std::string label;
  bool present = false;          // false only for an optional peripheral the board lacks
  std::uint32_t node = UINT32_MAX;  // index into BoardDescription::nodes
  std::string node_path;
  bool exclusive = false;
};

struct ContainerBinding {
  std::string container;
  std::string driver;
  AccessPath access_path = AccessPath::kHostCall;
  std::vector<BoundPeripheral> peripherals;  // manifest order
  std::vector<GrantedWindow> windows;        // handle order
  std::vector<GrantedIrq> irqs;
  std::vector<GrantedProperty> properties;

  const GrantedWindow* find_window(std::string_view label, std::uint8_t index) const noexcept;
  const BoundPeripheral* find(std::string_view label) const noexcept;
};

enum class RefusalKind : std::uint8_t {
  kContainerAlreadyBound,
  kPinUnknownLabel,        // the deployment pins or grants a label the manifest lacks
  kPinnedNodeNotFound,
  kPinnedNodeDisabled,
  kPinnedNodeIncompatible,
  kNoCompatibleNode,       // no enabled node carries any accepted compatible
  kWindowMissing,          // node has fewer reg entries than the window index needs
  kWindowTooSmall,
  kIrqMissing,
  kPropertyMissing,
  kExclusivelyGranted,     // another container holds the node exclusively
  kNodeInUse,              // exclusive wanted, but another container shares the node
  kIrqLineGranted,         // the interrupt line belongs to another container
  kNodeTakenByOtherLabel,  // every suitable node went to another label of the same driver
  kMapRangeTooSmall,       // mapped path: windows do not fit the guest range
};
const char* refusal_kind_name(RefusalKind kind) noexcept;

struct RefusalReason {
  RefusalKind kind;
  std::string label;  // the manifest label concerned; empty for container-wide reasons
  std::string node;   // the devicetree path concerned; may be empty
  std::string text;   // one sentence: "node /x has window 0 of 0x100 < 0x1000"
};

struct Refusal {
  std::string container;
  std::string driver;
  std::vector<RefusalReason> reasons;  // every reason, grouped by label in manifest order

  bool has(RefusalKind kind) const noexcept;
  // "container 'c' (driver 'd') refused: uart: no enabled node ...; ..." one reason per line.
  std::string message() const;
};

class BindResult {
 public:
  BindResult(ContainerBinding binding) : binding_(std::move(binding)) {}  // NOLINT
  BindResult(Refusal refusal) : refusal_(std::move(refusal)) {}           // NOLINT

  bool ok() const noexcept { return binding_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  const ContainerBinding& binding() const noexcept { return *binding_; }
  const Refusal& refusal() const noexcept { return refusal_; }

 private:
  std::optional<ContainerBinding> binding_;
  Refusal refusal_;
};

// Board-wide record of grants: which containers hold which nodes (shared or exclusive) and
// which interrupt lines. The board description must outlive the registry.
class GrantRegistry {
 public:
  explicit GrantRegistry(const BoardDescription& board);

  // Grants everything `manifest` needs to `container`, or nothing.
  BindResult bind(std::string_view container, const Manifest& manifest,
                  const Deployment& deployment = {});
  // Frees every grant of the container; false when it was not bound.
  bool unbind(std::string_view container);

  const ContainerBinding* binding(std::string_view container) const noexcept;
  std::size_t container_count() const noexcept { return bindings_.size(); }
  // Containers holding the node (shared or exclusive).
  std::vector<std::string_view> holders(std::uint32_t node) const;
  // The container holding an interrupt line, if any.
  std::optional<std::string_view> irq_holder(std::uint32_t line) const;
  const BoardDescription& board() const noexcept { return board_; }

 private:
  struct NodeGrant {
    std::string container;
    bool exclusive;
  };
  struct LineGrant {
    std::uint32_t line;
    std::string container;
  };
  friend class Binder;

  const BoardDescription& board_;
  std::vector<std::vector<NodeGrant>> node_grants_;  // per node
  std::vector<LineGrant> line_grants_;
  std::vector<ContainerBinding> bindings_;
};

// One-shot binding against an empty registry (nothing granted yet).
BindResult bind(const Manifest& manifest, const BoardDescription& board,
                const Deployment& deployment = {}, std::string_view container = "container");

}  // namespace wasmio::io
