// The levels below E1/4: native E0 handlers, E1/2 deferred work, E1 reservations and priorities.
#include "sched_test_support.h"

namespace wasmio::sched::test {
namespace {

// A task that never blocks: counts forever in mem[0].
const char* kSpinner = R"((module
  (memory (export "mem") 1)
  (func (export "task")
    (loop $l
      (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
      (br $l))))
)";

TEST(Levels, ReservationThrottlesATaskAndLeavesTheRestToLowerPriorities) {
  Rig rig;
  ContainerSpec hog;
  hog.name = "hog";
  hog.module = assemble(kSpinner);
  hog.task = TaskSpec{"task", 1};
  hog.task->reservation_budget = 200 * kUs;  // 20 % of each millisecond
  hog.task->reservation_period = 1000 * kUs;
  const ContainerId h = rig.install_and_start(std::move(hog));
  ContainerSpec low;
  low.name = "low";
  low.module = assemble(kSpinner);
  low.task = TaskSpec{"task", 9};
  const ContainerId l = rig.install_and_start(std::move(low));
  rig.scheduler.run_until(10'000 * kUs);
  const TaskStats& hs = *rig.scheduler.task_stats(h);
  const TaskStats& ls = *rig.scheduler.task_stats(l);
  EXPECT_EQ(hs.throttled, 10u);
  // 200 us per period, overshooting by at most one loop region and a dispatch.
  EXPECT_GE(hs.cpu, 10 * 200 * kUs);
  EXPECT_LE(hs.cpu, 10 * (200 * kUs + 100));
  EXPECT_GT(ls.cpu, 10 * 700 * kUs);
  EXPECT_GT(rig.peek32(l, 0), 0u);
}

TEST(Levels, HigherPriorityTaskStarvesLowerWithoutReservation) {
  Rig rig;
  ContainerSpec hog;
  hog.name = "hog";
  hog.module = assemble(kSpinner);
  hog.task = TaskSpec{"task", 1};
  rig.install_and_start(std::move(hog));
  ContainerSpec low;
  low.name = "low";
  low.module = assemble(kSpinner);
  low.task = TaskSpec{"task", 9};
  const ContainerId l = rig.install_and_start(std::move(low));
  rig.scheduler.run_until(2'000 * kUs);
  EXPECT_EQ(rig.peek32(l, 0), 0u);  // fixed priorities: nothing left for it
}

struct NativeLog {
  std::vector<Cycles> entered;
  Scheduler* scheduler = nullptr;
  std::vector<std::string>* order = nullptr;
};

void native_isr(void* context, std::uint32_t, Cycles entered) {
  auto* log = static_cast<NativeLog*>(context);
  log->entered.push_back(entered);
  log->order->push_back("E0");
  // Epilogue work for E1/2, as a native driver would defer it.
  std::vector<std::string>* order = log->order;
  log->scheduler->post_deferred([order] { order->push_back("E1/2"); }, 40);
}

TEST(Levels, NativeHandlerRunsAtE0AndDeferredWorkBeforeTasks) {
  Rig rig;
  std::vector<std::string> order;
  NativeLog log;
  log.scheduler = &rig.scheduler;
  log.order = &order;
  ASSERT_TRUE(rig.scheduler.attach_native(11, 0, NativeHandler{&native_isr, &log, 6}));
  EXPECT_FALSE(rig.scheduler.attach_native(11, 0, NativeHandler{&native_isr, &log, 6}));
  ContainerSpec spin;
  spin.name = "spin";
  spin.module = assemble(kSpinner);
  spin.task = TaskSpec{"task", 1};
  rig.install_and_start(std::move(spin));
  PulseSource irq(rig.board, 11, 100 * kUs + 3, 250 * kUs, 1000 * kUs);
  rig.scheduler.run_until(1000 * kUs);
  ASSERT_EQ(log.entered.size(), 4u);
  // E0 is entered exception-entry cycles after the raise, whatever Wasm was doing.
  EXPECT_EQ(log.entered[0], 100 * kUs + 3 + rig.scheduler.costs().exception_entry);
  ASSERT_EQ(order.size(), 8u);
  for (std::size_t i = 0; i < order.size(); i += 2) {
    EXPECT_EQ(order[i], "E0");
    EXPECT_EQ(order[i + 1], "E1/2");
  }
  // A container cannot claim a native line.
  ContainerSpec thief;
  thief.name = "thief";
  thief.module = assemble(R"((module (func (export "h"))))");
  thief.handlers = {handler(11, "h", 0, 10)};
  std::string error;
  EXPECT_FALSE(rig.scheduler.install(std::move(thief), &error).has_value());
  EXPECT_NE(error.find("native handler"), std::string::npos) << error;
}

}  // namespace
}  // namespace wasmio::sched::test
