// The 32-bit -> 64-bit counter extension behind NvicPlatform::now() (sched/counter_extension.h):
// wraps, half-period steps, and a reader interrupted by another reader between its state load
// and its publish (what E0 does to thread mode on the Cortex-M).
#include "sched/counter_extension.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace wasmio::sched {
namespace {

TEST(CounterExtension, PureStepCountsHalfPeriods) {
  EXPECT_EQ(extend_counter(0, 5).time, 5u);
  EXPECT_EQ(extend_counter(0, 5).halves, 0u);
  EXPECT_EQ(extend_counter(0, 0x80000000u).halves, 1u);  // into the upper half
  EXPECT_EQ(extend_counter(1, 0xFFFFFFFFu).time, 0xFFFFFFFFull);
  const CounterStep wrapped = extend_counter(1, 3);  // upper half -> wrapped to the lower
  EXPECT_EQ(wrapped.halves, 2u);
  EXPECT_EQ(wrapped.time, (1ull << 32) | 3);
  EXPECT_EQ(extend_counter(7, 0x90000000u).time, (3ull << 32) | 0x90000000u);
}

// A counter that advances by irregular steps below a half period through many wraps: the
// extended time equals the true 64-bit count at every reading.
TEST(CounterExtension, FollowsTheTrueCountThroughWraps) {
  std::uint64_t truth = 0xFFFFF000u;
  CounterExtension clock(static_cast<std::uint32_t>(truth));
  std::uint32_t lcg = 12345;
  for (int i = 0; i < 20000; ++i) {
    lcg = lcg * 1664525u + 1013904223u;
    truth += (lcg >> 4) % 0x7FFFFFFFu;  // < 2^31: at most one half period per step
    const std::uint64_t t = clock.read([&] { return static_cast<std::uint32_t>(truth); });
    ASSERT_EQ(t, truth) << "reading " << i;
  }
  EXPECT_GT(truth >> 32, 500u);  // it really wrapped many times
}

// Thread mode loads the state, then an "interrupt" reads the clock (and publishes a wrap) before
// thread mode reads the counter: both readers get the true time, and the state never goes back.
TEST(CounterExtension, AnInterruptingReaderDoesNotBreakTheInterruptedOne) {
  std::uint64_t truth = 0xFFFFFFF0u;
  CounterExtension clock(static_cast<std::uint32_t>(truth));
  std::uint64_t interrupt_saw = 0;
  const std::uint64_t thread_saw = clock.read([&] {
    truth += 0x20;  // the counter wraps while the interrupt runs
    interrupt_saw = clock.read([&] { return static_cast<std::uint32_t>(truth); });
    truth += 1;
    return static_cast<std::uint32_t>(truth);
  });
  EXPECT_EQ(interrupt_saw, 0x100000010ull);
  EXPECT_EQ(thread_saw, 0x100000011ull);
  // The interrupted reader's publish failed (the interrupt's was newer): later reads agree.
  truth += 0x70000000u;
  EXPECT_EQ(clock.read([&] { return static_cast<std::uint32_t>(truth); }), truth);
}

// The interrupt reads before the wrap, thread mode after it: the thread's later state wins and
// the interrupt's older publish (none: it saw no change) cannot roll it back.
TEST(CounterExtension, AnOlderInterruptedPublishCannotRollTheStateBack) {
  std::uint64_t truth = 0x7FFFFFF0u;  // lower half, just before the upper
  CounterExtension clock(static_cast<std::uint32_t>(truth));
  const std::uint64_t thread_saw = clock.read([&] {
    truth += 0x20;  // upper half now; the interrupt publishes that
    EXPECT_EQ(clock.read([&] { return static_cast<std::uint32_t>(truth); }), truth);
    return static_cast<std::uint32_t>(truth);
  });
  EXPECT_EQ(thread_saw, truth);
  truth += 0x7FFFFFF0u;  // past the wrap, within a half period of the last reading
  EXPECT_EQ(clock.read([&] { return static_cast<std::uint32_t>(truth); }), truth);
}

}  // namespace
}  // namespace wasmio::sched
