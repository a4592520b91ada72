// CMSDK APB timer, dual timer and watchdog models counting in virtual time: values, reloads,
// interrupt status and the exact cycle each interrupt line pends.
#include <gtest/gtest.h>

#include <vector>

#include "io/sim/cmsdk_dualtimer.h"
#include "io/sim/cmsdk_watchdog.h"
#include "sim_test_support.h"

namespace wasmio::io::sim {
namespace {

using test::make_an385;
using test::rd32;
using test::wr32;

// Records (line, cycle) each time an enabled line becomes pending.
struct PendLog {
  SimBoard* board = nullptr;
  std::vector<std::pair<std::uint32_t, Cycles>> events;
  void attach(SimBoard& b) {
    board = &b;
    b.irqs().set_listener([](void* self, std::uint32_t line) {
      auto* log = static_cast<PendLog*>(self);
      log->events.emplace_back(line, log->board->clock().now());
    }, this);
  }
};

constexpr std::uint64_t kTimer0 = 0x40000000;
constexpr std::uint64_t kCtrl = 0x0, kValue = 0x4, kReload = 0x8, kIntStatus = 0xC;
constexpr std::uint32_t kEnable = 1, kIrqEnable = 8;

TEST(SimTimer, ResetValues) {
  auto b = make_an385();
  for (std::uint64_t off : {kCtrl, kValue, kReload, kIntStatus}) EXPECT_EQ(rd32(*b, kTimer0 + off), 0u);
  wr32(*b, kTimer0 + kCtrl, 0xFF);
  EXPECT_EQ(rd32(*b, kTimer0 + kCtrl), 0xFu);
}

TEST(SimTimer, CountsDownReloadsAndInterruptsAtTheExactCycle) {
  auto b = make_an385();
  PendLog log;
  log.attach(*b);
  b->irqs().enable(8);
  wr32(*b, kTimer0 + kReload, 99);
  EXPECT_EQ(rd32(*b, kTimer0 + kValue), 99u);  // writing RELOAD also sets VALUE
  wr32(*b, kTimer0 + kCtrl, kEnable | kIrqEnable);
  b->clock().advance_to(40);
  EXPECT_EQ(rd32(*b, kTimer0 + kValue), 59u);
  b->clock().advance_to(98);
  EXPECT_EQ(rd32(*b, kTimer0 + kValue), 1u);
  EXPECT_EQ(rd32(*b, kTimer0 + kIntStatus), 0u);
  b->clock().advance_to(99);
  EXPECT_EQ(rd32(*b, kTimer0 + kValue), 0u);
  EXPECT_EQ(rd32(*b, kTimer0 + kIntStatus), 1u);
  b->clock().advance_to(100);
  EXPECT_EQ(rd32(*b, kTimer0 + kValue), 99u);  // reloaded the tick after reaching 0
  // The handler: exception entry, INTCLEAR, exception return.
  b->irqs().acknowledge(8);
  wr32(*b, kTimer0 + kIntStatus, 1);
  EXPECT_EQ(rd32(*b, kTimer0 + kIntStatus), 0u);
  EXPECT_FALSE(b->irqs().level(8));
  b->irqs().complete(8);
  EXPECT_FALSE(b->irqs().pending(8));
  b->clock().advance_to(250);
  // Period RELOAD + 1 = 100 cycles: interrupts at 99 and 199 (the second still pending).
  ASSERT_EQ(log.events.size(), 2u);
  EXPECT_EQ(log.events[0], (std::pair<std::uint32_t, Cycles>{8, 99}));
  EXPECT_EQ(log.events[1], (std::pair<std::uint32_t, Cycles>{8, 199}));
  EXPECT_EQ(rd32(*b, kTimer0 + kValue), 99u - 50u);
}

TEST(SimTimer, NoInterruptStatusWithoutIrqEnableAndNoCountingWhenDisabled) {
  auto b = make_an385();
  wr32(*b, kTimer0 + kReload, 10);
  b->clock().advance_to(100);
  EXPECT_EQ(rd32(*b, kTimer0 + kValue), 10u);  // disabled: frozen
  wr32(*b, kTimer0 + kCtrl, kEnable);
  b->clock().advance_to(200);
  EXPECT_EQ(rd32(*b, kTimer0 + kIntStatus), 0u);
  EXPECT_EQ(b->clock().pending_events(), 0u);  // no interrupt to deliver: no event either
  // 100 ticks: 10 to reach 0, then 8 periods of 11 and 2 ticks into the next (11 - 2 = 9).
  EXPECT_EQ(rd32(*b, kTimer0 + kValue), 9u);
  // Enabling the interrupt later does not invent a past one.
  wr32(*b, kTimer0 + kCtrl, kEnable | kIrqEnable);
  EXPECT_EQ(rd32(*b, kTimer0 + kIntStatus), 0u);
  wr32(*b, kTimer0 + kCtrl, 0);
  const std::uint32_t frozen = rd32(*b, kTimer0 + kValue);
  b->clock().advance(1000);
  EXPECT_EQ(rd32(*b, kTimer0 + kValue), frozen);
}

TEST(SimTimer, ReloadZeroRunsDownOnceAndStops) {
  auto b = make_an385();
  wr32(*b, kTimer0 + kValue, 5);
  wr32(*b, kTimer0 + kCtrl, kEnable | kIrqEnable);
  b->clock().advance_to(5);
  EXPECT_EQ(rd32(*b, kTimer0 + kIntStatus), 1u);
  wr32(*b, kTimer0 + kIntStatus, 1);
  b->clock().advance_to(1000);
  EXPECT_EQ(rd32(*b, kTimer0 + kValue), 0u);
  EXPECT_EQ(rd32(*b, kTimer0 + kIntStatus), 0u);
}

TEST(SimTimer, TwoTimersHaveTheirOwnLines) {
  auto b = make_an385();
  PendLog log;
  log.attach(*b);
  b->irqs().enable(8);
  b->irqs().enable(9);
  wr32(*b, 0x40001000 + kReload, 30);
  wr32(*b, 0x40001000 + kCtrl, kEnable | kIrqEnable);
  wr32(*b, kTimer0 + kReload, 50);
  wr32(*b, kTimer0 + kCtrl, kEnable | kIrqEnable);
  b->clock().advance_to(60);
  ASSERT_EQ(log.events.size(), 2u);
  EXPECT_EQ(log.events[0], (std::pair<std::uint32_t, Cycles>{9, 30}));
  EXPECT_EQ(log.events[1], (std::pair<std::uint32_t, Cycles>{8, 50}));
}

TEST(SimTimer, WaitForInterruptWakesAtTheExpiry) {
  auto b = make_an385();
  b->irqs().enable(8);
  wr32(*b, kTimer0 + kReload, 24'999);  // 1 ms at 25 MHz
  wr32(*b, kTimer0 + kCtrl, kEnable | kIrqEnable);
  EXPECT_EQ(b->wait_for_interrupt(10'000), std::nullopt);  // nothing before the deadline
  EXPECT_EQ(b->clock().now(), 10'000u);
  EXPECT_EQ(b->wait_for_interrupt(1'000'000), 8u);
  EXPECT_EQ(b->clock().now(), 24'999u);
  EXPECT_EQ(b->wait_for_interrupt(2'000'000), 8u);  // still pending: returns at once
  EXPECT_EQ(b->clock().now(), 24'999u);
}

constexpr std::uint64_t kDual = 0x40002000;
constexpr std::uint64_t kLoad = 0x00, kDValue = 0x04, kControl = 0x08, kIntClr = 0x0C, kRis = 0x10,
                        kMis = 0x14, kBgLoad = 0x18, kTimer2 = 0x20;
constexpr std::uint32_t kOneShot = 0x01, kSize32 = 0x02, kPrescale16 = 0x04, kPrescale256 = 0x08,
                        kIntEn = 0x20, kPeriodic = 0x40, kDEnable = 0x80;

TEST(SimDualTimer, ResetValues) {
  auto b = make_an385();
  for (std::uint64_t t : {std::uint64_t{0}, kTimer2}) {
    EXPECT_EQ(rd32(*b, kDual + t + kLoad), 0u);
    EXPECT_EQ(rd32(*b, kDual + t + kControl), 0x20u);
    EXPECT_EQ(rd32(*b, kDual + t + kRis), 0u);
    EXPECT_EQ(rd32(*b, kDual + t + kDValue), 0xFFFFFFFFu);
  }
}

TEST(SimDualTimer, SixteenBitModeCountsTheLowHalfOnly) {
  auto b = make_an385();
  wr32(*b, kDual + kLoad, 0x12340003);
  EXPECT_EQ(rd32(*b, kDual + kDValue), 0x12340003u);
  wr32(*b, kDual + kControl, kDEnable | kIntEn);  // 16-bit free-running
  b->clock().advance(3);
  EXPECT_EQ(rd32(*b, kDual + kDValue), 0x12340000u);
  EXPECT_EQ(rd32(*b, kDual + kRis), 1u);
  b->clock().advance(1);
  EXPECT_EQ(rd32(*b, kDual + kDValue), 0x1234FFFFu);  // wraps at 16 bits, top half kept
  wr32(*b, kDual + kControl, kDEnable | kIntEn | kSize32);
  b->clock().advance(0x10000);
  EXPECT_EQ(rd32(*b, kDual + kDValue), 0x1233FFFFu);  // now all 32 bits count
}

TEST(SimDualTimer, SubwordAccessesUseByteLanes) {
  // QEMU gives the dual timer a 4-byte minimum access size: narrower accesses see their bytes of
  // the register, and writes are zero-padded into the register.
  auto b = make_an385();
  wr32(*b, kDual + kLoad, 0xAABBCCDD);
  EXPECT_EQ(b->read(kDual + kLoad + 1, 1).value, 0xCCu);
  EXPECT_EQ(b->read(kDual + kLoad + 2, 2).value, 0xAABBu);
  ASSERT_EQ(b->write(kDual + kBgLoad + 1, 1, 0x12), BusStatus::kOk);
  EXPECT_EQ(rd32(*b, kDual + kBgLoad), 0x1200u);
}

TEST(SimDualTimer, PeriodicWithPrescaleInterruptsOnTheCombinedLine) {
  auto b = make_an385();
  PendLog log;
  log.attach(*b);
  b->irqs().enable(10);
  wr32(*b, kDual + kLoad, 9);
  wr32(*b, kDual + kControl, kDEnable | kPeriodic | kSize32 | kIntEn | kPrescale16);
  b->clock().advance_to(16 * 3);
  EXPECT_EQ(rd32(*b, kDual + kDValue), 6u);
  b->clock().advance_to(16 * 3 + 15);
  EXPECT_EQ(rd32(*b, kDual + kDValue), 6u);  // next tick only after 16 cycles
  b->clock().advance_to(16 * 9);
  EXPECT_EQ(rd32(*b, kDual + kRis), 1u);
  EXPECT_EQ(rd32(*b, kDual + kMis), 1u);
  ASSERT_EQ(log.events.size(), 1u);
  EXPECT_EQ(log.events[0], (std::pair<std::uint32_t, Cycles>{10, 144}));
  b->clock().advance_to(16 * 10);
  EXPECT_EQ(rd32(*b, kDual + kDValue), 9u);  // reloaded from LOAD
  wr32(*b, kDual + kIntClr, 0x1234);         // any value clears
  EXPECT_EQ(rd32(*b, kDual + kRis), 0u);
  EXPECT_FALSE(b->irqs().level(10));
  // BGLOAD changes the next reload, not the current count.
  wr32(*b, kDual + kBgLoad, 3);
  EXPECT_EQ(rd32(*b, kDual + kDValue), 9u);
  EXPECT_EQ(rd32(*b, kDual + kLoad), 3u);
  b->clock().advance_to(16 * 20);  // reaches 0 at 16*19, reloads 3 at 16*20
  EXPECT_EQ(rd32(*b, kDual + kDValue), 3u);
}

TEST(SimDualTimer, FreeRunningWrapsAtTheCounterWidth) {
  auto b = make_an385();
  wr32(*b, kDual + kLoad, 5);
  wr32(*b, kDual + kControl, kDEnable | kIntEn);  // 16-bit, free-running, /1
  b->clock().advance_to(5);
  EXPECT_EQ(rd32(*b, kDual + kRis), 1u);
  b->clock().advance_to(6);
  EXPECT_EQ(rd32(*b, kDual + kDValue), 0xFFFFu);
  wr32(*b, kDual + kControl, 0);
  wr32(*b, kDual + kLoad, 2);
  wr32(*b, kDual + kControl, kDEnable | kSize32);
  b->clock().advance(3);
  EXPECT_EQ(rd32(*b, kDual + kDValue), 0xFFFFFFFFu);
}

TEST(SimDualTimer, OneShotStopsAtZero) {
  auto b = make_an385();
  wr32(*b, kDual + kLoad, 4);
  wr32(*b, kDual + kControl, kDEnable | kOneShot | kSize32 | kIntEn | kPeriodic);
  b->clock().advance(4);
  EXPECT_EQ(rd32(*b, kDual + kRis), 1u);
  b->clock().advance(1000);
  EXPECT_EQ(rd32(*b, kDual + kDValue), 0u);
  wr32(*b, kDual + kIntClr, 1);
  b->clock().advance(1000);
  EXPECT_EQ(rd32(*b, kDual + kRis), 0u);
  wr32(*b, kDual + kLoad, 2);  // writing LOAD restarts it
  b->clock().advance(2);
  EXPECT_EQ(rd32(*b, kDual + kRis), 1u);
}

TEST(SimDualTimer, MaskedRawInterruptAndTheSecondCounter) {
  auto b = make_an385();
  b->irqs().enable(10);
  wr32(*b, kDual + kTimer2 + kLoad, 7);
  wr32(*b, kDual + kTimer2 + kControl, kDEnable | kSize32 | kPeriodic | kPrescale256);  // INTEN off
  b->clock().advance(7 * 256);
  EXPECT_EQ(rd32(*b, kDual + kTimer2 + kRis), 1u);
  EXPECT_EQ(rd32(*b, kDual + kTimer2 + kMis), 0u);
  EXPECT_FALSE(b->irqs().level(10));
  wr32(*b, kDual + kTimer2 + kControl, kDEnable | kSize32 | kPeriodic | kPrescale256 | kIntEn);
  EXPECT_EQ(rd32(*b, kDual + kTimer2 + kMis), 1u);
  EXPECT_TRUE(b->irqs().level(10));
  EXPECT_EQ(rd32(*b, kDual + kRis), 0u);  // timer 1 untouched
}

TEST(SimDualTimer, IntegrationTestRegistersDriveTheOutputs) {
  auto b = make_an385();
  auto* dt = b->find_as<CmsdkDualTimer>("dtimer0");
  ASSERT_NE(dt, nullptr);
  wr32(*b, kDual + 0xF00, 1);
  wr32(*b, kDual + 0xF04, 2);
  EXPECT_FALSE(dt->counter_irq(0).level());
  EXPECT_TRUE(dt->counter_irq(1).level());
  EXPECT_TRUE(b->irqs().level(10));
  wr32(*b, kDual + 0xF00, 0);
  EXPECT_FALSE(b->irqs().level(10));
}

constexpr std::uint64_t kWdog = 0x40008000;
constexpr std::uint32_t kUnlock = 0x1ACCE551;

TEST(SimWatchdog, InterruptThenResetOnTheSecondExpiry) {
  auto b = make_an385();
  auto* wd = b->find_as<CmsdkWatchdog>("wdog0");
  ASSERT_NE(wd, nullptr);
  EXPECT_EQ(wd->irq().line(), b->irqs().nmi_line());  // AN385: watchdog -> NMI
  Cycles reset_at = 0;
  wd->on_reset_request([&](Cycles when) { reset_at = when; });
  EXPECT_EQ(rd32(*b, kWdog + 0x0), 0xFFFFFFFFu);
  wr32(*b, kWdog + 0x0, 100);
  wr32(*b, kWdog + 0x8, 3);  // INTEN | RESEN
  b->clock().advance_to(99);
  EXPECT_EQ(rd32(*b, kWdog + 0x4), 1u);
  EXPECT_EQ(rd32(*b, kWdog + 0x10), 0u);
  b->clock().advance_to(100);
  EXPECT_EQ(rd32(*b, kWdog + 0x10), 1u);
  EXPECT_EQ(rd32(*b, kWdog + 0x14), 1u);
  EXPECT_TRUE(b->irqs().pending(b->irqs().nmi_line()));
  EXPECT_FALSE(wd->reset_requested());
  b->clock().advance_to(201);
  EXPECT_TRUE(wd->reset_requested());
  EXPECT_EQ(reset_at, 201u);
}

TEST(SimWatchdog, ServicingInTimePreventsTheResetAndTheLockProtectsIt) {
  auto b = make_an385();
  auto* wd = b->find_as<CmsdkWatchdog>("wdog0");
  wr32(*b, kWdog + 0x0, 1000);
  wr32(*b, kWdog + 0x8, 3);
  wr32(*b, kWdog + 0xC00, 0);  // lock
  EXPECT_EQ(rd32(*b, kWdog + 0xC00), 1u);
  wr32(*b, kWdog + 0x8, 0);    // ignored while locked
  EXPECT_EQ(rd32(*b, kWdog + 0x8), 3u);
  for (int i = 0; i < 5; ++i) {
    b->clock().advance(1500);  // first expiry at +1000 raises the interrupt
    EXPECT_EQ(rd32(*b, kWdog + 0x10), 1u);
    wr32(*b, kWdog + 0xC00, kUnlock);
    wr32(*b, kWdog + 0xC, 1);  // INTCLR: clears and reloads
    wr32(*b, kWdog + 0xC00, 0);
    EXPECT_EQ(rd32(*b, kWdog + 0x4), 1000u);
  }
  EXPECT_FALSE(wd->reset_requested());
}

TEST(SimWatchdog, WithoutResetEnableTheSecondExpiryOnlyKeepsTheInterrupt) {
  auto b = make_an385();
  auto* wd = b->find_as<CmsdkWatchdog>("wdog0");
  wr32(*b, kWdog + 0x0, 10);
  wr32(*b, kWdog + 0x8, 1);  // INTEN only
  b->clock().advance(10 * 11 * 5);
  EXPECT_FALSE(wd->reset_requested());
  EXPECT_EQ(rd32(*b, kWdog + 0x14), 1u);
  EXPECT_TRUE(b->irqs().level(b->irqs().nmi_line()));
  wr32(*b, kWdog + 0x8, 0);  // INTEN off: the output drops, RIS stays
  EXPECT_FALSE(b->irqs().level(b->irqs().nmi_line()));
  EXPECT_EQ(rd32(*b, kWdog + 0x10), 1u);
  EXPECT_EQ(rd32(*b, kWdog + 0x14), 0u);
}

TEST(SimWatchdog, SubwordWritesAreZeroPaddedIntoTheRegister) {
  auto b = make_an385();
  ASSERT_EQ(b->write(kWdog + 0x1, 1, 0x01), BusStatus::kOk);  // LOAD byte 1
  EXPECT_EQ(rd32(*b, kWdog + 0x0), 0x100u);
  EXPECT_EQ(b->read(kWdog + 0x1, 1).value, 0x01u);
  EXPECT_EQ(b->read(kWdog + 0xFE0, 1).value, 0x24u);  // PID0
}

TEST(SimWatchdog, DoesNotCountUntilInterruptEnabled) {
  auto b = make_an385();
  wr32(*b, kWdog + 0x0, 50);
  b->clock().advance(500);
  EXPECT_EQ(rd32(*b, kWdog + 0x4), 50u);
  wr32(*b, kWdog + 0x8, 1);
  b->clock().advance(10);
  EXPECT_EQ(rd32(*b, kWdog + 0x4), 40u);
}

}  // namespace
}  // namespace wasmio::io::sim
