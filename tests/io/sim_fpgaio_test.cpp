// MPS2 FPGAIO model: LEDs (masked, logged, callback), scripted buttons, the 1 Hz / 100 Hz
// counters and the PRESCALE/PSCNTR/COUNTER chain in virtual time.
#include <gtest/gtest.h>

#include "io/sim/mps2_fpgaio.h"
#include "io/sim/sim_script.h"
#include "sim_test_support.h"

namespace wasmio::io::sim {
namespace {

using test::make_an385;
using test::rd32;
using test::wr32;

constexpr std::uint64_t kIo = 0x40028000;
constexpr std::uint64_t kLed0 = kIo + 0x00, kButton = kIo + 0x08, kClk1Hz = kIo + 0x10,
                        kClk100Hz = kIo + 0x14, kCounter = kIo + 0x18, kPrescale = kIo + 0x1C,
                        kPsCntr = kIo + 0x20, kMisc = kIo + 0x4C;
constexpr Cycles kHz = 25'000'000;

TEST(SimFpgaio, LedsAreMaskedLoggedAndReported) {
  auto b = make_an385();
  auto* io = b->find_as<Mps2Fpgaio>("fpgaio");
  ASSERT_NE(io, nullptr);
  std::vector<LedChange> seen;
  io->on_led_change([&](const LedChange& c) { seen.push_back(c); });
  wr32(*b, kLed0, 0x1);
  b->clock().advance_to(1000);
  wr32(*b, kLed0, 0xFF);  // two LEDs on AN385
  wr32(*b, kLed0, 0x3);   // no change: not logged
  EXPECT_EQ(rd32(*b, kLed0), 0x3u);
  EXPECT_EQ(io->leds(), 0x3u);
  ASSERT_EQ(io->led_log().size(), 2u);
  EXPECT_EQ(io->led_log()[0].when, 0u);
  EXPECT_EQ(io->led_log()[0].after, 1u);
  EXPECT_EQ(io->led_log()[1].when, 1000u);
  EXPECT_EQ(io->led_log()[1].before, 1u);
  EXPECT_EQ(io->led_log()[1].after, 3u);
  EXPECT_EQ(seen.size(), 2u);
}

TEST(SimFpgaio, ButtonsFollowTheScriptAndAreReadOnly) {
  auto b = make_an385();
  SimScript script(*b);
  ASSERT_TRUE(script.press_button(100, 0));
  ASSERT_TRUE(script.press_button(200, 1));
  ASSERT_TRUE(script.release_button(300, 0));
  EXPECT_FALSE(script.press_button(10, 0, "uart0"));  // not an FPGAIO
  EXPECT_EQ(script.pending(), 3u);
  EXPECT_EQ(rd32(*b, kButton), 0u);
  b->clock().advance_to(150);
  EXPECT_EQ(rd32(*b, kButton), 1u);
  wr32(*b, kButton, 0);  // read-only
  EXPECT_EQ(rd32(*b, kButton), 1u);
  b->clock().advance_to(250);
  EXPECT_EQ(rd32(*b, kButton), 3u);
  b->clock().advance_to(300);
  EXPECT_EQ(rd32(*b, kButton), 2u);
  EXPECT_EQ(script.pending(), 0u);
}

TEST(SimFpgaio, SlowCountersFollowVirtualTimeAndCanBeSet) {
  auto b = make_an385();
  b->clock().advance_to(kHz * 3 + kHz / 2);
  EXPECT_EQ(rd32(*b, kClk1Hz), 3u);
  EXPECT_EQ(rd32(*b, kClk100Hz), 350u);
  wr32(*b, kClk1Hz, 100);  // the phase restarts at the write
  b->clock().advance(kHz - 1);
  EXPECT_EQ(rd32(*b, kClk1Hz), 100u);
  b->clock().advance(1);
  EXPECT_EQ(rd32(*b, kClk1Hz), 101u);
  wr32(*b, kClk100Hz, 7);
  b->clock().advance(kHz / 100 * 5);
  EXPECT_EQ(rd32(*b, kClk100Hz), 12u);
}

TEST(SimFpgaio, CounterIsTheBoardClockWithPrescaleZero) {
  auto b = make_an385();
  b->clock().advance_to(12345);
  EXPECT_EQ(rd32(*b, kCounter), 12345u);
  EXPECT_EQ(rd32(*b, kPsCntr), 0u);
}

TEST(SimFpgaio, PrescaledCounterFollowsPscntrReloads) {
  auto b = make_an385();
  // PRESCALE 5, PSCNTR 7: PSCNTR 7,6,...,0 then 5 (COUNTER+1) ... (the AN385 / QEMU scheme).
  wr32(*b, kPrescale, 5);
  wr32(*b, kPsCntr, 7);
  wr32(*b, kCounter, 0);
  const std::uint32_t expected_pscntr[] = {7, 6, 5, 4, 3, 2, 1, 0, 5, 4, 3, 2, 1, 0, 5};
  const std::uint32_t expected_counter[] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2};
  for (int tick = 0; tick < 15; ++tick) {
    SCOPED_TRACE(tick);
    EXPECT_EQ(rd32(*b, kPsCntr), expected_pscntr[tick]);
    EXPECT_EQ(rd32(*b, kCounter), expected_counter[tick]);
    b->clock().advance(1);
  }
  // A long jump agrees with the pattern: reloads (COUNTER+1) happen at ticks 8 + 6k, so at
  // tick 1014 = 8 + 6 * 167 + 4, COUNTER = 168 and PSCNTR = 5 - 4.
  b->clock().advance_to(1014);
  EXPECT_EQ(rd32(*b, kCounter), 168u);
  EXPECT_EQ(rd32(*b, kPsCntr), 1u);
  EXPECT_EQ(rd32(*b, kPrescale), 5u);
}

TEST(SimFpgaio, MiscReadsBackAndResetClearsState) {
  auto b = make_an385();
  wr32(*b, kMisc, 0xA5);
  EXPECT_EQ(rd32(*b, kMisc), 0xA5u);
  wr32(*b, kLed0, 2);
  b->reset();
  EXPECT_EQ(rd32(*b, kMisc), 0u);
  EXPECT_EQ(rd32(*b, kLed0), 0u);
  EXPECT_EQ(b->find_as<Mps2Fpgaio>("fpgaio")->led_log().back().after, 0u);
}

}  // namespace
}  // namespace wasmio::io::sim
