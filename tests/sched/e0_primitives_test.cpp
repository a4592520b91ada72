// The lock-free pieces E0 is made of: the trace event ring and the software interrupt
// controller (NVIC semantics: held while masked, one delivery per claim, re-delivered after
// completion when raised again while active).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "sched/isr_event_ring.h"
#include "sched/soft_irq_controller.h"

namespace wasmio::sched::test {
namespace {

TEST(IsrEventRing, KeepsOrderAcrossWrapAroundAndCountsWhatDoesNotFit) {
  IsrEventRing ring(5);  // rounded up to 8
  EXPECT_EQ(ring.capacity(), 8u);
  IsrEvent e;
  EXPECT_FALSE(ring.pop(&e));
  std::uint32_t next_in = 0, next_out = 0;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 6; ++i) EXPECT_TRUE(ring.push(IsrEvent{next_in++, 0, 0, 0}));
    for (int i = 0; i < 6; ++i) {
      ASSERT_TRUE(ring.pop(&e));
      EXPECT_EQ(e.time, next_out++);
    }
  }
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(ring.push(IsrEvent{static_cast<Cycles>(i), 0, 1, 0}));
  EXPECT_FALSE(ring.push(IsrEvent{99, 0, 1, 0}));
  EXPECT_FALSE(ring.push(IsrEvent{100, 0, 1, 0}));
  EXPECT_EQ(ring.lost(), 2u);
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(ring.pop(&e));
    EXPECT_EQ(e.time, static_cast<Cycles>(i));
  }
  EXPECT_FALSE(ring.pop(&e));
}

TEST(IsrEventRing, ManyProducersLoseNothingThatFits) {
  constexpr int kThreads = 4, kEach = 20000;
  IsrEventRing ring(1024);
  std::atomic<bool> go{false};
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kEach; ++i) {
        while (!ring.push(IsrEvent{static_cast<Cycles>(i), static_cast<std::uint32_t>(t), 0, 0})) {
          std::this_thread::yield();  // full: the consumer catches up (lost() counts the tries)
        }
      }
    });
  }
  go = true;
  std::vector<Cycles> next(kThreads, 0);
  int received = 0;
  IsrEvent e;
  while (received < kThreads * kEach) {
    if (!ring.pop(&e)) {
      std::this_thread::yield();
      continue;
    }
    ASSERT_LT(e.container, static_cast<std::uint32_t>(kThreads));
    EXPECT_EQ(e.time, next[e.container]++);  // each producer's events arrive in its order
    ++received;
  }
  for (auto& p : producers) p.join();
  EXPECT_FALSE(ring.pop(&e));
}

struct Recorder final : InterruptSink {
  SoftIrqController* irqs = nullptr;
  std::vector<std::uint32_t> lines;
  bool complete_at_once = false;
  void on_interrupt(std::uint32_t line) override {
    lines.push_back(line);
    if (complete_at_once) irqs->complete(line);
  }
};

TEST(SoftIrqController, HoldsWhileMaskedDeliversOncePerClaimAndAgainAfterCompletion) {
  SoftIrqController irqs(4);
  Recorder sink;
  sink.irqs = &irqs;
  irqs.set_sink(&sink);
  EXPECT_FALSE(irqs.raise(4));  // no such line
  irqs.raise(1);                // masked: held
  EXPECT_TRUE(sink.lines.empty());
  EXPECT_TRUE(irqs.pending(1));
  irqs.unmask(1);  // delivered now
  ASSERT_EQ(sink.lines.size(), 1u);
  EXPECT_TRUE(irqs.active(1));
  EXPECT_FALSE(irqs.pending(1));
  irqs.raise(1);  // while active: held, not nested
  irqs.raise(1);  // coalesces with the held one
  EXPECT_EQ(sink.lines.size(), 1u);
  irqs.complete(1);  // the held raise enters now
  EXPECT_EQ(sink.lines.size(), 2u);
  irqs.raise(1);
  irqs.clear_pending(1);  // ICPR: the held raise is dropped
  irqs.complete(1);
  EXPECT_EQ(sink.lines.size(), 2u);
  irqs.raise(1);  // idle and enabled: enters at once
  EXPECT_EQ(sink.lines.size(), 3u);
  irqs.raise(1);
  irqs.mask(1);  // masked while active: the raise is held until unmask + completion
  irqs.complete(1);
  EXPECT_EQ(sink.lines.size(), 3u);
  irqs.unmask(1);
  EXPECT_EQ(sink.lines.size(), 4u);
  EXPECT_EQ(irqs.delivered(), 4u);
  irqs.set_sink(nullptr);
  irqs.complete(1);
  irqs.raise(1);  // no sink: the line is completed again by itself
  EXPECT_FALSE(irqs.active(1));
  EXPECT_EQ(sink.lines.size(), 4u);
}

}  // namespace
}  // namespace wasmio::sched::test
