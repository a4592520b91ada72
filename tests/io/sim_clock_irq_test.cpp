// Virtual time (event order, cancellation, re-arming) and the NVIC-like interrupt controller
// (level vs pulse, shared lines, priorities, NMI, listener).
#include <gtest/gtest.h>

#include <vector>

#include "io/sim/interrupt_controller.h"
#include "io/sim/sim_clock.h"

namespace wasmio::io::sim {
namespace {

struct Recorder {
  std::vector<std::pair<int, Cycles>> fired;
};
struct Tagged {
  Recorder* r;
  int tag;
  SimEvent event{&Tagged::fire, this};
  static void fire(void* self, Cycles now) {
    auto* t = static_cast<Tagged*>(self);
    t->r->fired.emplace_back(t->tag, now);
  }
};

TEST(SimClock, EventsRunInDeadlineThenArmingOrder) {
  SimClock clock(25'000'000);
  Recorder r;
  Tagged a{&r, 1}, b{&r, 2}, c{&r, 3}, d{&r, 4};
  clock.schedule(c.event, 300);
  clock.schedule(a.event, 100);
  clock.schedule(d.event, 100);  // same cycle as a, armed later
  clock.schedule(b.event, 200);
  clock.advance_to(250);
  EXPECT_EQ(clock.now(), 250u);
  ASSERT_EQ(r.fired.size(), 3u);
  EXPECT_EQ(r.fired[0], (std::pair<int, Cycles>{1, 100}));
  EXPECT_EQ(r.fired[1], (std::pair<int, Cycles>{4, 100}));
  EXPECT_EQ(r.fired[2], (std::pair<int, Cycles>{2, 200}));
  EXPECT_TRUE(c.event.armed());
  EXPECT_EQ(clock.next_deadline(), 300u);
  EXPECT_TRUE(clock.run_next());
  EXPECT_EQ(clock.now(), 300u);
  EXPECT_FALSE(clock.run_next());
}

TEST(SimClock, CancelRearmAndDestroy) {
  SimClock clock(1000);
  Recorder r;
  Tagged a{&r, 1};
  clock.schedule(a.event, 10);
  clock.schedule(a.event, 50);  // moves, does not duplicate
  EXPECT_EQ(clock.pending_events(), 1u);
  clock.advance_to(20);
  EXPECT_TRUE(r.fired.empty());
  clock.cancel(a.event);
  clock.advance_to(100);
  EXPECT_TRUE(r.fired.empty());
  {
    Tagged gone{&r, 9};
    clock.schedule(gone.event, 150);
  }  // destructor cancels
  EXPECT_EQ(clock.pending_events(), 0u);
  clock.advance_to(200);
  EXPECT_TRUE(r.fired.empty());
  // Past deadlines clamp to now and run on the next advance.
  clock.schedule(a.event, 5);
  EXPECT_EQ(a.event.deadline(), 200u);
  clock.advance(0);
  ASSERT_EQ(r.fired.size(), 1u);
  EXPECT_EQ(r.fired[0].second, 200u);
}

TEST(SimClock, CallbacksCanRearmThemselves) {
  SimClock clock(1000);
  struct Periodic {
    SimClock* clock;
    std::vector<Cycles> at;
    SimEvent event{&Periodic::fire, this};
    static void fire(void* self, Cycles now) {
      auto* p = static_cast<Periodic*>(self);
      p->at.push_back(now);
      p->clock->schedule(p->event, now + 7);
    }
  } p{&clock};
  clock.schedule(p.event, 7);
  clock.advance_to(30);
  EXPECT_EQ(p.at, (std::vector<Cycles>{7, 14, 21, 28}));
  EXPECT_EQ(clock.cycles_from_ms(3), 3u);
}

TEST(InterruptController, LevelInputPendsOnRisingEdgeAndAgainAfterCompletion) {
  InterruptController nvic(32, 3);
  IrqOutput out;
  out.connect(&nvic, 8);
  nvic.enable(8);
  out.set(true);
  EXPECT_TRUE(nvic.pending(8));
  EXPECT_EQ(nvic.highest_pending(), 8u);
  nvic.acknowledge(8);
  EXPECT_FALSE(nvic.pending(8));
  EXPECT_TRUE(nvic.active(8));
  nvic.complete(8);  // handler did not clear the device: level still high
  EXPECT_TRUE(nvic.pending(8));
  nvic.acknowledge(8);
  out.set(false);  // handler cleared the device
  nvic.complete(8);
  EXPECT_FALSE(nvic.pending(8));
  EXPECT_EQ(nvic.pend_count(8), 2u);
}

TEST(InterruptController, PulsePendsOnceWithoutHoldingTheLevel) {
  InterruptController nvic(32, 3);
  IrqOutput out;
  out.connect(&nvic, 3);
  out.pulse();
  EXPECT_TRUE(nvic.pending(3));
  EXPECT_FALSE(nvic.level(3));
  nvic.acknowledge(3);
  out.pulse();  // during the handler: pending again (runs once more)
  EXPECT_TRUE(nvic.pending(3));
  nvic.complete(3);
  nvic.acknowledge(3);
  nvic.complete(3);
  EXPECT_FALSE(nvic.pending(3));
}

TEST(InterruptController, SharedLineIsTheOrOfItsSources) {
  InterruptController nvic(32, 3);
  IrqOutput a, b;
  a.connect(&nvic, 12);
  b.connect(&nvic, 12);
  a.set(true);
  b.set(true);
  EXPECT_EQ(nvic.pend_count(12), 1u);  // one rising edge of the OR
  a.set(false);
  EXPECT_TRUE(nvic.level(12));
  nvic.clear_pending(12);  // still asserted by b: pends again
  EXPECT_TRUE(nvic.pending(12));
  b.set(false);
  nvic.clear_pending(12);
  EXPECT_FALSE(nvic.pending(12));
  EXPECT_FALSE(nvic.level(12));
}

TEST(InterruptController, PriorityOrderMaskingAndNmi) {
  InterruptController nvic(32, 3);
  nvic.set_priority(5, 0xFF);
  EXPECT_EQ(nvic.priority(5), 0xE0);  // 3 implemented bits
  nvic.set_priority(9, 0x40);
  nvic.set_priority(2, 0x40);
  for (std::uint32_t l : {2u, 5u, 9u}) {
    nvic.enable(l);
    nvic.set_pending(l);
  }
  EXPECT_EQ(nvic.highest_pending(), 2u);  // equal priority: lower line first
  nvic.disable(2);
  EXPECT_EQ(nvic.highest_pending(), 9u);
  IrqOutput wdog;
  wdog.connect(&nvic, nvic.nmi_line());
  wdog.set(true);
  EXPECT_EQ(nvic.highest_pending(), nvic.nmi_line());
  nvic.disable(nvic.nmi_line());  // NMI cannot be disabled
  EXPECT_TRUE(nvic.enabled(nvic.nmi_line()));
}

TEST(InterruptController, ListenerSeesPendingEnabledLines) {
  InterruptController nvic(32, 8);
  std::vector<std::uint32_t> seen;
  nvic.set_listener([](void* ctx, std::uint32_t line) {
    static_cast<std::vector<std::uint32_t>*>(ctx)->push_back(line);
  }, &seen);
  IrqOutput out;
  out.connect(&nvic, 4);
  out.set(true);  // pending but disabled: no callback yet
  EXPECT_TRUE(seen.empty());
  nvic.enable(4);
  EXPECT_EQ(seen, (std::vector<std::uint32_t>{4}));
  out.set(false);
  nvic.reset();
  EXPECT_FALSE(nvic.pending(4));
  EXPECT_FALSE(nvic.enabled(4));
}

TEST(InterruptController, DestroyedOutputReleasesItsLine) {
  InterruptController nvic(32, 8);
  {
    IrqOutput out;
    out.connect(&nvic, 1);
    out.set(true);
    EXPECT_TRUE(nvic.level(1));
  }
  EXPECT_FALSE(nvic.level(1));
}

}  // namespace
}  // namespace wasmio::io::sim
