// The issue's scenarios: nested priorities, a handler looping forever stopped at its budget, an
// IRQ storm rate-limited, and interrupt latency from the cost model.
#include "sched_test_support.h"

namespace wasmio::sched::test {
namespace {

// low counts to 20000 (progress in a global); high records the progress it saw.
const char* kNestedGuest = R"((module
  (import "wasmio_irq" "enable" (func $enable (param i32)))
  (memory (export "mem") 1)
  (global $progress (mut i32) (i32.const 0))
  (func (export "task") (call $enable (i32.const 3)) (call $enable (i32.const 5)))
  (func (export "low") (local $i i32) (local $sum i64)
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
    (loop $l
      (global.set $progress (i32.add (global.get $progress) (i32.const 1)))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 20000))))
    (i32.store (i32.const 4) (local.get $i))
    (i64.store (i32.const 16) (local.get $sum)))
  (func (export "high")
    (i32.store (i32.const 8) (global.get $progress))
    (i32.store (i32.const 12) (i32.add (i32.load (i32.const 12)) (i32.const 1))))
))";

TEST(PriorityScenarios, HigherPriorityHandlerPreemptsLowerWhichResumesCorrectly) {
  Rig rig;
  ContainerSpec spec;
  spec.name = "nested";
  spec.module = assemble(kNestedGuest);
  spec.handlers = {handler(3, "low", 6, 0), handler(5, "high", 1, 1000)};
  spec.task = TaskSpec{"task", 100};
  const ContainerId id = rig.install_and_start(std::move(spec));
  PulseSource low(rig.board, 3, 1000, 0);
  PulseSource high(rig.board, 5, 40'000, 0);
  rig.scheduler.run_until(2'000'000);

  EXPECT_EQ(rig.peek32(id, 0), 1u);       // low ran once
  EXPECT_EQ(rig.peek32(id, 4), 20000u);   // and finished its loop with its locals intact
  std::uint64_t sum = 0;
  std::memcpy(&sum, Store::memory_data(rig.scheduler.instance(id)->memory(0)).data() + 16, 8);
  EXPECT_EQ(sum, 20000ull * 19999ull / 2);
  const std::uint32_t seen = rig.peek32(id, 8);
  EXPECT_GT(seen, 0u);  // high ran while low was part-way
  EXPECT_LT(seen, 20000u);
  EXPECT_EQ(rig.peek32(id, 12), 1u);
  const HandlerStats* low_stats = rig.scheduler.handler_stats(id, 3);
  const HandlerStats* high_stats = rig.scheduler.handler_stats(id, 5);
  EXPECT_EQ(low_stats->completed, 1u);
  EXPECT_GE(low_stats->preemptions, 1u);
  EXPECT_EQ(high_stats->completed, 1u);

  // In the trace, high's span lies between low's first and last spans.
  Cycles low_first = kNever, low_last = 0, high_start = 0;
  for (const TraceEvent& e : rig.scheduler.trace().events()) {
    if (e.kind != TraceKind::kHandlerSpan) continue;
    if (e.line == 3) {
      low_first = std::min(low_first, e.start);
      low_last = std::max(low_last, e.end);
    } else if (e.line == 5) {
      high_start = e.start;
    }
  }
  EXPECT_LT(low_first, high_start);
  EXPECT_LT(high_start, low_last);
  EXPECT_EQ(rig.scheduler.trace().count(TraceKind::kHandlerPreempted), low_stats->preemptions);
}

TEST(PriorityScenarios, EqualPriorityDoesNotPreempt) {
  Rig rig;
  ContainerSpec spec;
  spec.name = "nested";
  spec.module = assemble(kNestedGuest);
  spec.handlers = {handler(3, "low", 2, 0), handler(5, "high", 2, 1000)};
  spec.task = TaskSpec{"task", 100};
  const ContainerId id = rig.install_and_start(std::move(spec));
  PulseSource low(rig.board, 3, 1000, 0);
  PulseSource high(rig.board, 5, 40'000, 0);
  rig.scheduler.run_until(2'000'000);
  EXPECT_EQ(rig.peek32(id, 8), 20000u);  // "high" waited for "low" to finish
  EXPECT_EQ(rig.scheduler.handler_stats(id, 3)->preemptions, 0u);
}

const char* kRogueGuest = R"((module
  (import "wasmio_irq" "enable" (func $enable (param i32)))
  (import "wasmio_irq" "event_wait" (func $wait (param i32) (result i32)))
  (memory (export "mem") 1)
  (func (export "task")
    (call $enable (i32.const 4))
    (loop $again  ;; notify policy: count faults and re-enable the line
      (drop (call $wait (i32.const 0x80000000)))
      (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
      (call $enable (i32.const 4))
      (br $again)))
  (func (export "spin") (loop $forever (br $forever)))
))";

struct BudgetResult {
  HandlerStats rogue;
  TaskStats control;
  std::uint32_t control_jobs_in_memory;
  std::uint32_t faults_seen;
  std::uint64_t restarts;
};

BudgetResult run_budget_scenario(FaultPolicy policy, std::uint8_t rogue_priority = 0) {
  Rig rig;
  ContainerSpec rogue;
  rogue.name = "rogue";
  rogue.module = assemble(kRogueGuest);
  rogue.handlers = {handler(4, "spin", rogue_priority, 2000)};
  rogue.task = TaskSpec{"task", 50};
  rogue.fault_policy = policy;
  const ContainerId r = rig.install_and_start(std::move(rogue));

  ContainerSpec control;
  control.name = "control";
  control.module = assemble(periodic_guest(250));
  control.task = periodic_task("task", 10, 1000 * kUs);
  const ContainerId c = rig.install_and_start(std::move(control));

  PulseSource irq(rig.board, 4, 50 * kUs, 100 * kUs);
  rig.scheduler.run_until(20'000 * kUs);
  return {*rig.scheduler.handler_stats(r, 4), *rig.scheduler.task_stats(c), rig.peek32(c, 0),
          rig.peek32(r, 0), rig.scheduler.info(r)->restarts};
}

TEST(PriorityScenarios, ForeverLoopingHandlerStoppedAtBudgetAndOtherTaskMissesNoDeadline) {
  const BudgetResult d = run_budget_scenario(FaultPolicy::kDisable);
  EXPECT_EQ(d.rogue.activations, 1u);  // the line stays masked after the overrun
  EXPECT_EQ(d.rogue.overruns, 1u);
  EXPECT_EQ(d.rogue.completed, 0u);
  // Stopped at its next safe point: at most one loop iteration beyond the budget.
  CostModel costs;
  EXPECT_LE(d.rogue.wcet_max, costs.fuel_to_cycles(2000 + 8) + costs.dispatch);
  EXPECT_GE(d.rogue.wcet_max, costs.fuel_to_cycles(2000));
  EXPECT_EQ(d.control.deadlines_missed, 0u);
  EXPECT_GE(d.control.jobs, 19u);
  EXPECT_EQ(d.control.deadlines_met, d.control.jobs);
  EXPECT_EQ(d.control_jobs_in_memory, d.control.jobs + (d.control.jobs < 20 ? 1 : 0));
}

TEST(PriorityScenarios, NotifyPolicyLetsTheTaskReenableAfterEachOverrun) {
  const BudgetResult n = run_budget_scenario(FaultPolicy::kNotify);
  EXPECT_GT(n.rogue.overruns, 10u);  // every ~100 us, each stopped at its budget
  EXPECT_LE(n.rogue.activations - n.rogue.overruns, 1u);  // the last one may be running
  EXPECT_EQ(n.faults_seen, n.rogue.overruns);  // the task saw each fault event
  EXPECT_EQ(n.control.deadlines_missed, 0u);
}

TEST(PriorityScenarios, RestartPolicyReinstantiatesTheContainer) {
  const BudgetResult r = run_budget_scenario(FaultPolicy::kRestart);
  EXPECT_GT(r.restarts, 10u);
  EXPECT_EQ(r.restarts, r.rogue.overruns);
  EXPECT_EQ(r.control.deadlines_missed, 0u);
}

const char* kCounterGuest = R"((module
  (import "wasmio_irq" "enable" (func $enable (param i32)))
  (memory (export "mem") 1)
  (func (export "task") (call $enable (i32.const 6)))
  (func (export "on_irq") (local $i i32)
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
    (loop $w
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $w (i32.lt_u (local.get $i) (i32.const 5)))))
))";

struct StormResult {
  HandlerStats storm;
  TaskStats control;
  std::uint32_t handler_runs;
  std::uint64_t pulses;
};

StormResult run_storm(ArrivalPolicy policy) {
  Rig rig;
  ContainerSpec s;
  s.name = "storm";
  s.module = assemble(kCounterGuest);
  s.handlers = {handler(6, "on_irq", 0, 500, 40 * kUs)};
  s.handlers[0].arrival = policy;
  s.task = TaskSpec{"task", 5};
  const ContainerId id = rig.install_and_start(std::move(s));
  ContainerSpec control;
  control.name = "control";
  control.module = assemble(periodic_guest(60));
  control.task = periodic_task("task", 10, 250 * kUs);
  const ContainerId c = rig.install_and_start(std::move(control));
  PulseSource storm(rig.board, 6, 10 * kUs, 40, 2010 * kUs);  // every 1.6 us for 2 ms
  rig.scheduler.run_until(3000 * kUs);
  return {*rig.scheduler.handler_stats(id, 6), *rig.scheduler.task_stats(c), rig.peek32(id, 0),
          storm.pulses()};
}

TEST(PriorityScenarios, IrqStormIsRateLimitedByDeferral) {
  const StormResult r = run_storm(ArrivalPolicy::kDefer);
  EXPECT_GT(r.pulses, 1000u);
  // 2 ms of storm at one activation per 40 us: both ends of the span, plus the arrival latched
  // at the end and released 40 us later.
  EXPECT_LE(r.storm.activations, 2000u / 40u + 2u);
  EXPECT_GE(r.storm.activations, 2000u / 40u - 2u);
  EXPECT_EQ(r.handler_runs, r.storm.activations);
  EXPECT_GT(r.storm.deferred, 40u);
  EXPECT_EQ(r.storm.dropped, 0u);
  EXPECT_EQ(r.control.deadlines_missed, 0u);
  EXPECT_GE(r.control.jobs, 11u);
}

TEST(PriorityScenarios, IrqStormIsRateLimitedByDropping) {
  const StormResult r = run_storm(ArrivalPolicy::kDrop);
  EXPECT_LE(r.storm.activations, 2000u / 40u + 1u);
  EXPECT_GT(r.storm.dropped, 40u);
  EXPECT_EQ(r.storm.deferred, 0u);
  EXPECT_EQ(r.control.deadlines_missed, 0u);
}

TEST(PriorityScenarios, IdleLatencyIsTheCostOfEntryPrologueAndDispatch) {
  Rig rig;
  ContainerSpec s;
  s.name = "idle";
  s.module = assemble(kCounterGuest);
  s.handlers = {handler(6, "on_irq", 0, 500)};
  s.task = TaskSpec{"task", 50};
  const ContainerId id = rig.install_and_start(std::move(s));
  PulseSource once(rig.board, 6, 100 * kUs, 0);
  rig.scheduler.run_until(200 * kUs);
  const CostModel& k = rig.scheduler.costs();
  const HandlerStats& st = *rig.scheduler.handler_stats(id, 6);
  ASSERT_EQ(st.activations, 1u);
  EXPECT_EQ(st.latency_min, k.exception_entry + k.e0_prologue + k.exception_exit + k.dispatch);
}

TEST(PriorityScenarios, LatencyUnderABusyTaskIncludesTheWayToTheNextSafePoint) {
  Rig rig;
  ContainerSpec s;
  s.name = "busy";
  s.module = assemble(kCounterGuest);
  s.handlers = {handler(6, "on_irq", 0, 500)};
  s.task = TaskSpec{"task", 5};
  const ContainerId id = rig.install_and_start(std::move(s));
  ContainerSpec busy;
  busy.name = "background";
  busy.module = assemble(periodic_guest(1'000'000));  // one very long job
  busy.task = periodic_task("task", 10, 100'000 * kUs);
  rig.install_and_start(std::move(busy));
  PulseSource irq(rig.board, 6, 100 * kUs + 1, 37 * kUs + 3, 10'000 * kUs);
  rig.scheduler.run_until(10'000 * kUs);
  const CostModel& k = rig.scheduler.costs();
  const HandlerStats& st = *rig.scheduler.handler_stats(id, 6);
  const Cycles floor = k.exception_entry + k.e0_prologue + k.exception_exit + k.dispatch;
  EXPECT_GT(st.activations, 200u);
  EXPECT_GE(st.latency_min, floor);
  EXPECT_GT(st.latency_max, floor);  // the task's region to its next safe point
  // The loop body is one region of a few instructions.
  EXPECT_LE(st.latency_max, floor + k.fuel_to_cycles(16));
}

}  // namespace
}  // namespace wasmio::sched::test
