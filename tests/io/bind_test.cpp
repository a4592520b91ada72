// Binding against a hand-built board: what is granted on success, every refusal with its
// reason text, and the board-wide grant registry (exclusive nodes, interrupt lines, unbind).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "bind_test_board.h"
#include "io/bind/binding.h"

namespace wasmio::io {
namespace {

using testing::an385_like;
using testing::TestBoard;

PeripheralNeed uart_need(std::string label = "console", std::uint32_t size = 0x14) {
  PeripheralNeed p;
  p.label = std::move(label);
  p.compatible = {"arm,cmsdk-uart"};
  p.windows.push_back(WindowNeed{0, kWidth32, size, {{0x0, 4}}});
  p.irqs.push_back(IrqNeed{0, 2, 20000, 80, "on_rx"});
  p.properties = {"clock-frequency"};
  return p;
}

Manifest manifest_of(std::vector<PeripheralNeed> peripherals,
                     AccessPath path = AccessPath::kHostCall) {
  Manifest m;
  m.driver = "test-driver";
  m.access_path = path;
  if (path == AccessPath::kMapped) {
    m.map_base = 0xF0000000;
    m.map_size = 0x10000;
  }
  m.peripherals = std::move(peripherals);
  return m;
}

// The refusal's reasons of one kind, for EXPECTs on their texts.
std::vector<std::string> texts(const Refusal& r, RefusalKind kind) {
  std::vector<std::string> out;
  for (const RefusalReason& reason : r.reasons) {
    if (reason.kind == kind) out.push_back(reason.text);
  }
  return out;
}

class Bind : public ::testing::Test {
 protected:
  TestBoard test_board = an385_like();
  const BoardDescription& board = test_board.board();
  GrantRegistry registry{board};

  ContainerBinding must_bind(std::string_view container, const Manifest& m,
                             const Deployment& d = {}) {
    BindResult r = registry.bind(container, m, d);
    EXPECT_TRUE(r.ok()) << r.refusal().message();
    if (!r.ok()) throw std::runtime_error("bind refused");
    return r.binding();
  }
  Refusal must_refuse(std::string_view container, const Manifest& m, const Deployment& d = {}) {
    const std::size_t before = registry.container_count();
    BindResult r = registry.bind(container, m, d);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(registry.container_count(), before) << "a refusal must grant nothing";
    return r.ok() ? Refusal{} : r.refusal();
  }
  std::uint32_t node(std::string_view path) {
    for (std::uint32_t i = 0; i < board.nodes.size(); ++i) {
      if (board.nodes[i].path == path) return i;
    }
    throw std::runtime_error("no node");
  }
};

TEST_F(Bind, GrantsExactlyTheDeclaredWindowIrqAndProperty) {
  const ContainerBinding& b = must_bind("echo", manifest_of({uart_need()}));
  EXPECT_EQ(b.container, "echo");
  EXPECT_EQ(b.driver, "test-driver");
  ASSERT_EQ(b.peripherals.size(), 1u);
  EXPECT_TRUE(b.peripherals[0].present);
  EXPECT_EQ(b.peripherals[0].node_path, "/apb/serial@40004000");
  EXPECT_FALSE(b.peripherals[0].exclusive);
  ASSERT_EQ(b.windows.size(), 1u);
  const GrantedWindow& w = b.windows[0];
  EXPECT_EQ(w.handle, 0u);
  EXPECT_EQ(w.address, 0x40004000u);
  EXPECT_EQ(w.size, 0x14u) << "the grant is the declared size, not the node's 0x1000";
  EXPECT_EQ(w.widths, kWidth32);
  EXPECT_EQ(w.guest_address, 0u);
  EXPECT_EQ(w.volatile_ranges, (std::vector<VolatileRange>{{0x0, 4}}));
  ASSERT_EQ(b.irqs.size(), 1u);
  EXPECT_EQ(b.irqs[0].line, 0u);
  EXPECT_EQ(b.irqs[0].handler, "on_rx");
  EXPECT_EQ(b.irqs[0].budget, 20000u);
  ASSERT_EQ(b.properties.size(), 1u);
  EXPECT_EQ(b.properties[0].name, "clock-frequency");
  EXPECT_EQ(std::vector<std::uint8_t>(b.properties[0].value.begin(), b.properties[0].value.end()),
            testing::be32(25000000));
  EXPECT_EQ(registry.holders(node("/apb/serial@40004000")),
            std::vector<std::string_view>{"echo"});
  EXPECT_EQ(registry.irq_holder(0), std::optional<std::string_view>("echo"));
  EXPECT_EQ(b.find_window("console", 0), &b.windows[0]);
  EXPECT_EQ(b.find_window("console", 1), nullptr);
}

TEST_F(Bind, FollowsCompatiblePreferenceOverTreeOrder) {
  PeripheralNeed p = uart_need();
  p.compatible = {"vendor,uart-v2", "arm,cmsdk-uart"};
  p.properties.clear();
  const ContainerBinding& b = must_bind("c", manifest_of({p}));
  EXPECT_EQ(b.peripherals[0].node_path, "/apb/serial@40040000");
  EXPECT_EQ(b.irqs[0].line, 30u);
}

TEST_F(Bind, FallsBackToLaterCompatibleWhenNoneOfTheFirstExists) {
  PeripheralNeed p = uart_need();
  p.compatible = {"ns16550a", "arm,cmsdk-uart"};
  const ContainerBinding& b = must_bind("c", manifest_of({p}));
  EXPECT_EQ(b.peripherals[0].node_path, "/apb/serial@40004000");
}

TEST_F(Bind, GivesEachLabelItsOwnNodeAndSequentialHandles) {
  PeripheralNeed timer;
  timer.label = "tick";
  timer.compatible = {"arm,cmsdk-timer"};
  timer.windows.push_back(WindowNeed{0, kWidth32, 0x10, {}});
  const ContainerBinding& b =
      must_bind("c", manifest_of({uart_need("console"), uart_need("aux"), timer}));
  EXPECT_EQ(b.find("console")->node_path, "/apb/serial@40004000");
  EXPECT_EQ(b.find("aux")->node_path, "/apb/serial@40005000");
  EXPECT_EQ(b.find("tick")->node_path, "/apb/timer@40000000");
  ASSERT_EQ(b.windows.size(), 3u);
  for (std::uint32_t i = 0; i < 3; ++i) EXPECT_EQ(b.windows[i].handle, i);
  EXPECT_EQ(b.find_window("aux", 0)->address, 0x40005000u);
  EXPECT_EQ(b.find_window("aux", 0)->handle, 1u);
}

TEST_F(Bind, MovesAnEarlierLabelWhenALaterOneFitsOnlyItsNode) {
  // "any" prefers uart0, but "special" needs a property only uart0 has: matching, not greed.
  PeripheralNeed special = uart_need("special");
  special.properties = {"wasmio,console"};
  const ContainerBinding& b = must_bind("c", manifest_of({uart_need("any"), special}));
  EXPECT_EQ(b.find("special")->node_path, "/apb/serial@40004000");
  EXPECT_EQ(b.find("any")->node_path, "/apb/serial@40005000");
}

TEST_F(Bind, PinsByPathAndByLabel) {
  Deployment by_label{{{"console", "uart1"}}, {}};
  EXPECT_EQ(must_bind("a", manifest_of({uart_need()}), by_label).peripherals[0].node_path,
            "/apb/serial@40005000");
  Deployment by_path{{{"console", "/apb/serial@40040000"}}, {}};
  PeripheralNeed p = uart_need();
  p.properties.clear();
  EXPECT_EQ(must_bind("b", manifest_of({p}), by_path).peripherals[0].node_path,
            "/apb/serial@40040000");
}

TEST_F(Bind, RefusesWhenNoEnabledNodeIsCompatible) {
  PeripheralNeed p = uart_need();
  p.compatible = {"ns16550a", "snps,dw-apb-uart"};
  Refusal r = must_refuse("c", manifest_of({p}));
  ASSERT_EQ(r.reasons.size(), 1u);
  EXPECT_EQ(r.reasons[0].kind, RefusalKind::kNoCompatibleNode);
  EXPECT_EQ(r.reasons[0].label, "console");
  EXPECT_EQ(r.reasons[0].text,
            "no enabled node is compatible with \"ns16550a\", \"snps,dw-apb-uart\"");
  EXPECT_EQ(r.message(),
            "container 'c' (driver 'test-driver') refused:\n  console: no enabled node is "
            "compatible with \"ns16550a\", \"snps,dw-apb-uart\"");
}

TEST_F(Bind, NamesDisabledNodesWhenOnlyThoseAreCompatible) {
  PeripheralNeed p;
  p.label = "g";
  p.compatible = {"vendor,gone"};
  Refusal r = must_refuse("c", manifest_of({p}));
  EXPECT_EQ(texts(r, RefusalKind::kNoCompatibleNode),
            std::vector<std::string>{"no enabled node is compatible with \"vendor,gone\" "
                                     "(disabled: /apb/gone@40050000)"});
}

TEST_F(Bind, RefusesWindowsTooSmallOrMissing) {
  PeripheralNeed p;
  p.label = "s";
  p.compatible = {"vendor,small"};
  p.windows.push_back(WindowNeed{0, kWidth32, 0x1000, {}});
  p.windows.push_back(WindowNeed{1, kWidth32, 0x10, {}});
  Refusal r = must_refuse("c", manifest_of({p}));
  EXPECT_EQ(texts(r, RefusalKind::kWindowTooSmall),
            std::vector<std::string>{"node /apb/small@40030000 has window 0 of 0x100 < 0x1000"});
  EXPECT_EQ(texts(r, RefusalKind::kWindowMissing),
            std::vector<std::string>{"node /apb/small@40030000 has no window 1 (it has 1)"});
}

TEST_F(Bind, RefusesMissingIrqAndPropertyOnEveryCandidate) {
  PeripheralNeed p;
  p.label = "t";
  p.compatible = {"arm,cmsdk-timer"};
  p.irqs.push_back(IrqNeed{1, 0, 100, 0, "on_t"});
  p.properties = {"clock-frequency"};
  Refusal r = must_refuse("c", manifest_of({p}));
  EXPECT_EQ(texts(r, RefusalKind::kIrqMissing),
            std::vector<std::string>{"node /apb/timer@40000000 has no IRQ index 1 (it has 1)"});
  EXPECT_EQ(texts(r, RefusalKind::kPropertyMissing),
            std::vector<std::string>{"node /apb/timer@40000000 lacks property 'clock-frequency'"});
}

TEST_F(Bind, ReportsEveryReasonOfEveryFailingLabelAndGrantsNothing) {
  PeripheralNeed too_big = uart_need("big", 0x2000);  // every enabled UART is 0x1000
  PeripheralNeed none = uart_need("none");
  none.compatible = {"vendor,none"};
  PeripheralNeed fine = uart_need("fine");
  Refusal r = must_refuse("c", manifest_of({fine, too_big, none}));
  // One reason per enabled cmsdk-uart node for "big" (uart0, uart1, fast0), one for "none".
  EXPECT_EQ(texts(r, RefusalKind::kWindowTooSmall).size(), 3u) << r.message();
  EXPECT_TRUE(r.has(RefusalKind::kNoCompatibleNode));
  EXPECT_TRUE(r.has(RefusalKind::kPropertyMissing)) << "fast0 lacks clock-frequency too";
  for (const RefusalReason& reason : r.reasons) EXPECT_NE(reason.label, "fine");
  EXPECT_TRUE(registry.holders(node("/apb/serial@40004000")).empty());
  EXPECT_FALSE(registry.irq_holder(0).has_value());
  EXPECT_EQ(registry.binding("c"), nullptr);
}

TEST_F(Bind, RefusesBrokenPins) {
  Deployment missing{{{"console", "uart9"}}, {}};
  Refusal r = must_refuse("c", manifest_of({uart_need()}), missing);
  EXPECT_EQ(texts(r, RefusalKind::kPinnedNodeNotFound),
            std::vector<std::string>{"pinned node 'uart9' not found on board 'test-board'"});

  Deployment disabled{{{"console", "uart2"}}, {}};
  r = must_refuse("c", manifest_of({uart_need()}), disabled);
  EXPECT_TRUE(r.has(RefusalKind::kPinnedNodeDisabled)) << r.message();

  Deployment incompatible{{{"console", "timer0"}}, {}};
  r = must_refuse("c", manifest_of({uart_need()}), incompatible);
  EXPECT_EQ(texts(r, RefusalKind::kPinnedNodeIncompatible),
            std::vector<std::string>{"pinned node /apb/timer@40000000 (compatible "
                                     "\"arm,cmsdk-timer\") matches none of \"arm,cmsdk-uart\""});

  Deployment unknown{{{"consol", "uart0"}}, {"nothing"}};
  r = must_refuse("c", manifest_of({uart_need()}), unknown);
  EXPECT_EQ(texts(r, RefusalKind::kPinUnknownLabel).size(), 2u) << r.message();

  Deployment twice{{{"console", "uart0"}, {"console", "uart1"}}, {}};
  r = must_refuse("c", manifest_of({uart_need()}), twice);
  EXPECT_TRUE(r.has(RefusalKind::kPinUnknownLabel)) << r.message();
}

TEST_F(Bind, PinnedNodeMustStillFitTheNeeds) {
  Deployment pin{{{"console", "fast0"}}, {}};
  Refusal r = must_refuse("c", manifest_of({uart_need()}), pin);
  EXPECT_EQ(texts(r, RefusalKind::kPropertyMissing),
            std::vector<std::string>{"node /apb/serial@40040000 lacks property 'clock-frequency'"});
}

TEST_F(Bind, ExclusiveGrantRefusesASecondContainerUntilUnbound) {
  Deployment exclusive{{{"console", "uart0"}}, {"console"}};
  const ContainerBinding& a = must_bind("a", manifest_of({uart_need()}), exclusive);
  EXPECT_TRUE(a.peripherals[0].exclusive);

  PeripheralNeed shared = uart_need();
  shared.irqs.clear();
  Refusal r = must_refuse("b", manifest_of({shared}), Deployment{{{"console", "uart0"}}, {}});
  EXPECT_EQ(texts(r, RefusalKind::kExclusivelyGranted),
            std::vector<std::string>{"node /apb/serial@40004000 is exclusively granted to "
                                     "container 'a'"});
  // Unpinned, the second container gets the next UART instead.
  EXPECT_EQ(must_bind("b", manifest_of({shared})).peripherals[0].node_path, "/apb/serial@40005000");

  EXPECT_TRUE(registry.unbind("a"));
  EXPECT_FALSE(registry.unbind("a"));
  EXPECT_TRUE(registry.holders(node("/apb/serial@40004000")).empty());
  EXPECT_FALSE(registry.irq_holder(0).has_value());
  must_bind("c", manifest_of({shared}), Deployment{{{"console", "uart0"}}, {}});
  EXPECT_EQ(registry.container_count(), 2u);
}

TEST_F(Bind, ExclusiveWishRefusesANodeAlreadyShared) {
  PeripheralNeed shared = uart_need();
  shared.irqs.clear();
  must_bind("a", manifest_of({shared}), Deployment{{{"console", "uart0"}}, {}});
  PeripheralNeed wants = shared;
  wants.flags = kPeripheralExclusive;
  Refusal r = must_refuse("b", manifest_of({wants}), Deployment{{{"console", "uart0"}}, {}});
  EXPECT_EQ(texts(r, RefusalKind::kNodeInUse),
            std::vector<std::string>{"node /apb/serial@40004000 is wanted exclusively but is "
                                     "granted to container 'a'"});
}

TEST_F(Bind, InterruptLinesBelongToOneContainer) {
  // spi0 and spi1 share NVIC line 11 on the AN385.
  PeripheralNeed spi;
  spi.label = "spi";
  spi.compatible = {"arm,pl022"};
  spi.windows.push_back(WindowNeed{0, kWidth16 | kWidth32, 0x28, {{0x8, 4}}});
  spi.irqs.push_back(IrqNeed{0, 1, 5000, 0, "on_spi"});
  must_bind("a", manifest_of({spi}), Deployment{{{"spi", "spi0"}}, {}});
  Refusal r = must_refuse("b", manifest_of({spi}));
  EXPECT_EQ(texts(r, RefusalKind::kIrqLineGranted),
            (std::vector<std::string>{
                "IRQ line 11 (node /apb/ssp@40020000 IRQ index 0) is granted to container 'a'",
                "IRQ line 11 (node /apb/ssp@40021000 IRQ index 0) is granted to container 'a'"}));
  // Without interrupts another container may share the registers (neither asked exclusivity).
  spi.irqs.clear();
  EXPECT_EQ(must_bind("b", manifest_of({spi})).peripherals[0].node_path, "/apb/ssp@40020000");
  EXPECT_EQ(registry.holders(node("/apb/ssp@40020000")),
            (std::vector<std::string_view>{"a", "b"}));
}

TEST_F(Bind, TwoLabelsOfOneContainerMayShareAnInterruptLine) {
  PeripheralNeed spi;
  spi.compatible = {"arm,pl022"};
  spi.irqs.push_back(IrqNeed{0, 1, 5000, 0, "on_spi"});
  PeripheralNeed a = spi, b = spi;
  a.label = "left";
  b.label = "right";
  const ContainerBinding& bound = must_bind("c", manifest_of({a, b}));
  EXPECT_EQ(bound.irqs.size(), 2u);
  EXPECT_EQ(registry.irq_holder(11), std::optional<std::string_view>("c"));
}

TEST_F(Bind, RefusesWhenAllSuitableNodesGoToOtherLabels) {
  // Three UART labels, but uart2 is disabled and fast0 lacks clock-frequency: two fit.
  Refusal r = must_refuse("c", manifest_of({uart_need("a"), uart_need("b"), uart_need("x")}));
  EXPECT_EQ(texts(r, RefusalKind::kNodeTakenByOtherLabel),
            std::vector<std::string>{"every suitable node (/apb/serial@40004000, "
                                     "/apb/serial@40005000) is needed by other labels of this "
                                     "driver"});
  EXPECT_EQ(r.reasons.back().label, "x");
}

TEST_F(Bind, OptionalPeripheralMayBeAbsentAndNeverTakesARequiredNode) {
  PeripheralNeed opt = uart_need("maybe");
  opt.properties = {"wasmio,console"};  // only uart0
  opt.flags = kPeripheralOptional;
  PeripheralNeed req = uart_need("needed");
  req.properties = {"wasmio,console"};
  PeripheralNeed gone;
  gone.label = "gone";
  gone.compatible = {"vendor,gone"};
  gone.flags = kPeripheralOptional;
  const ContainerBinding& b = must_bind("c", manifest_of({opt, req, gone}));
  EXPECT_TRUE(b.find("needed")->present);
  EXPECT_EQ(b.find("needed")->node_path, "/apb/serial@40004000");
  EXPECT_FALSE(b.find("maybe")->present);
  EXPECT_FALSE(b.find("gone")->present);
  EXPECT_EQ(b.windows.size(), 1u);
  EXPECT_EQ(b.find_window("maybe", 0), nullptr);
}

TEST_F(Bind, OptionalPeripheralWithABrokenPinIsStillRefused) {
  PeripheralNeed opt = uart_need("maybe");
  opt.flags = kPeripheralOptional;
  Refusal r = must_refuse("c", manifest_of({opt}), Deployment{{{"maybe", "nowhere"}}, {}});
  EXPECT_TRUE(r.has(RefusalKind::kPinnedNodeNotFound));
  // Pinned to a node that cannot serve it: the deployment asked for it, so it is an error.
  r = must_refuse("c", manifest_of({opt}), Deployment{{{"maybe", "fast0"}}, {}});
  EXPECT_EQ(texts(r, RefusalKind::kPropertyMissing),
            std::vector<std::string>{"node /apb/serial@40040000 lacks property 'clock-frequency'"});
}

TEST_F(Bind, MappedPathPlacesWindowsOnOwnGuestPages) {
  PeripheralNeed fast;
  fast.label = "fast";
  fast.compatible = {"vendor,uart-v2"};
  fast.windows.push_back(WindowNeed{0, kWidth32, 0x1000, {}});
  fast.windows.push_back(WindowNeed{1, kWidth8, 0x10, {}});
  const ContainerBinding& b =
      must_bind("c", manifest_of({uart_need(), fast}, AccessPath::kMapped));
  EXPECT_EQ(b.access_path, AccessPath::kMapped);
  ASSERT_EQ(b.windows.size(), 3u);
  EXPECT_EQ(b.windows[0].guest_address, 0xF0000000u);  // console 0x14 bytes
  EXPECT_EQ(b.windows[1].guest_address, 0xF0001000u);  // fast 0x1000 bytes
  EXPECT_EQ(b.windows[2].guest_address, 0xF0002000u);
  EXPECT_EQ(b.windows[2].address, 0x40041000u);
}

TEST_F(Bind, RefusesMappedWindowsThatDoNotFitTheGuestRange) {
  Manifest m = manifest_of({uart_need("a"), uart_need("b")}, AccessPath::kMapped);
  m.map_size = 0x1000;
  Refusal r = must_refuse("c", m);
  EXPECT_EQ(texts(r, RefusalKind::kMapRangeTooSmall),
            std::vector<std::string>{"the windows need 0x1014 bytes of guest address space "
                                     "(each on its own 4 KiB page) but the mapped range has "
                                     "0x1000"});
}

TEST_F(Bind, RefusesBindingTheSameContainerTwice) {
  must_bind("c", manifest_of({uart_need()}));
  PeripheralNeed t;
  t.label = "t";
  t.compatible = {"arm,cmsdk-timer"};
  Refusal r = must_refuse("c", manifest_of({t}));
  EXPECT_TRUE(r.has(RefusalKind::kContainerAlreadyBound));
}

TEST(BindOneShot, BindsAgainstAnEmptyRegistry) {
  TestBoard test_board = an385_like();
  Manifest m = manifest_of({uart_need()});
  BindResult r = bind(m, test_board.board());
  ASSERT_TRUE(r.ok()) << r.refusal().message();
  EXPECT_EQ(r.binding().container, "container");
  // A second one-shot bind does not see the first one's grants.
  EXPECT_TRUE(bind(m, test_board.board(), Deployment{{}, {"console"}}).ok());
}

}  // namespace
}  // namespace wasmio::io
