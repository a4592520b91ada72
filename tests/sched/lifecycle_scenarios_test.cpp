// Containers come and go at run time; tasks block and get preempted without losing state; a
// guest reaching for a line it does not own traps alone.
#include "sched_test_support.h"

namespace wasmio::sched::test {
namespace {

const char* kLineOwner = R"((module
  (import "wasmio_irq" "enable" (func $enable (param i32)))
  (import "wasmio_irq" "line_of" (func $line_of (param i32) (result i32)))
  (memory (export "mem") 1)
  (func (export "task") (call $enable (call $line_of (i32.const 0))))
  (func (export "on_irq")
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1))))
))";

TEST(LifecycleScenarios, ContainerRemovedAndReinstalledWhileAnotherKeepsRunning) {
  Rig rig;
  ContainerSpec steady;
  steady.name = "steady";
  steady.module = assemble(periodic_guest(200));
  steady.task = periodic_task("task", 10, 500 * kUs);
  const ContainerId a = rig.install_and_start(std::move(steady));

  auto make_b = [&] {
    ContainerSpec b;
    b.name = "coming-and-going";
    b.module = assemble(kLineOwner);
    b.handlers = {handler(7, "on_irq", 1, 200)};
    b.task = TaskSpec{"task", 20};
    return b;
  };
  PulseSource irq(rig.board, 7, 10 * kUs, 100 * kUs);
  ContainerId b = rig.install_and_start(make_b());
  rig.scheduler.run_until(5000 * kUs);
  const std::uint32_t b_runs = rig.peek32(b, 0);
  EXPECT_GE(b_runs, 45u);  // from when b's task enabled the line

  // While b holds line 7 nobody else may claim it.
  std::string error;
  EXPECT_FALSE(rig.scheduler.install(make_b(), &error).has_value());
  EXPECT_NE(error.find("belongs to container 'coming-and-going'"), std::string::npos) << error;

  EXPECT_TRUE(rig.scheduler.remove(b));
  EXPECT_EQ(rig.scheduler.instance(b), nullptr);
  rig.scheduler.run_until(10'000 * kUs);
  EXPECT_EQ(rig.scheduler.spurious_interrupts(), 0u);  // the line was masked, not orphaned
  EXPECT_FALSE(rig.board.irqs().enabled(7));

  const ContainerId b2 = rig.install_and_start(make_b());
  EXPECT_NE(b2, b);
  rig.scheduler.run_until(15'000 * kUs);
  EXPECT_GE(rig.peek32(b2, 0), 45u);  // a fresh instance counting from zero again
  EXPECT_LE(rig.peek32(b2, 0), 51u);

  const TaskStats& s = *rig.scheduler.task_stats(a);
  EXPECT_EQ(s.deadlines_missed, 0u);
  EXPECT_EQ(s.jobs, 30u);  // 15 ms / 500 us: undisturbed by the removal
  EXPECT_EQ(rig.peek32(a, 0), 30u);
}

TEST(LifecycleScenarios, StopMasksLinesAndStartResumesService) {
  Rig rig;
  ContainerSpec b;
  b.name = "b";
  b.module = assemble(kLineOwner);
  b.handlers = {handler(7, "on_irq", 1, 200)};
  b.task = TaskSpec{"task", 20};
  const ContainerId id = rig.install_and_start(std::move(b));
  PulseSource irq(rig.board, 7, 10 * kUs, 100 * kUs);
  rig.scheduler.run_until(1000 * kUs);
  const std::uint32_t before = rig.peek32(id, 0);
  EXPECT_TRUE(rig.scheduler.stop(id));
  rig.scheduler.run_until(2000 * kUs);
  EXPECT_EQ(rig.peek32(id, 0), before);  // no handler ran while stopped
  EXPECT_TRUE(rig.scheduler.start(id));  // the task enables its line again
  rig.scheduler.run_until(3000 * kUs);
  EXPECT_GE(rig.peek32(id, 0), before + 9);
}

// A task hashing with locals, i64 and f64 state, a call chain and the operand stack in use;
// between two phases it blocks on an event its handler posts.
const char* kHasher = R"((module
  (import "wasmio_irq" "enable" (func $enable (param i32)))
  (import "wasmio_irq" "event_wait" (func $wait (param i32) (result i32)))
  (import "wasmio_irq" "event_post" (func $post (param i32)))
  (memory (export "mem") 1)
  (func $mix (param $h i64) (param $x i32) (result i64)
    (i64.mul (i64.xor (local.get $h) (i64.extend_i32_u (local.get $x)))
             (i64.const 0x100000001b3)))
  (func $phase (param $h i64) (param $n i32) (result i64) (local $i i32) (local $f f64)
    (loop $l
      (local.set $h (call $mix (local.get $h) (local.get $i)))
      (local.set $f (f64.add (local.get $f) (f64.convert_i32_u (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i64.add (local.get $h) (i64.trunc_f64_u (local.get $f))))
  (func (export "task") (local $h i64) (local $keep i32)
    (call $enable (i32.const 9))
    (local.set $keep (i32.const 12345))
    (local.set $h (call $phase (i64.const 0xcbf29ce484222325) (i32.const 10000)))
    (i32.store (i32.const 32) (call $wait (i32.const 2)))
    (local.set $h (call $phase (local.get $h) (i32.const 10000)))
    (i64.store (i32.const 8) (local.get $h))
    (i32.store (i32.const 16) (local.get $keep)))
  (func (export "on_irq")
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
    (if (i32.eq (i32.load (i32.const 0)) (i32.const 50)) (then (call $post (i32.const 2))))
    (i32.store (i32.const 64) (i32.const 0xdead)))
))";

struct HashRun {
  std::uint64_t hash;
  std::uint32_t keep;
  std::uint32_t woke_with;
  std::uint64_t preemptions;
  std::uint32_t irqs;
};

HashRun run_hasher(Cycles irq_period) {
  Rig rig;
  ContainerSpec s;
  s.name = "hasher";
  s.module = assemble(kHasher);
  s.handlers = {handler(9, "on_irq", 0, 1000)};
  s.task = TaskSpec{"task", 10};
  const ContainerId id = rig.install_and_start(std::move(s));
  PulseSource irq(rig.board, 9, 7 * kUs, irq_period);
  rig.scheduler.run_until(500'000 * kUs);
  EXPECT_EQ(rig.scheduler.info(id)->task_state, TaskState::kReturned)
      << rig.scheduler.info(id)->last_fault;
  std::uint64_t hash = 0;
  std::memcpy(&hash, Store::memory_data(rig.scheduler.instance(id)->memory(0)).data() + 8, 8);
  return {hash, rig.peek32(id, 16), rig.peek32(id, 32), rig.scheduler.task_stats(id)->preemptions,
          rig.peek32(id, 0)};
}

TEST(LifecycleScenarios, TaskSuspendAndResumePreservesAllState) {
  // Interrupts every 600 cycles versus every 1 ms: the task is preempted hundreds of times in
  // the first run and blocks for the event in both; the result must not differ.
  const HashRun dense = run_hasher(600);
  const HashRun sparse = run_hasher(1000 * kUs);
  EXPECT_GT(dense.preemptions, 200u);
  EXPECT_EQ(dense.hash, sparse.hash);
  EXPECT_NE(dense.hash, 0u);
  EXPECT_EQ(dense.keep, 12345u);
  EXPECT_EQ(sparse.keep, 12345u);
  EXPECT_EQ(dense.woke_with, 2u);
  EXPECT_EQ(sparse.woke_with, 2u);
  EXPECT_GE(sparse.irqs, 50u);
}

const char* kTrespasser = R"((module
  (import "wasmio_irq" "acknowledge" (func $ack (param i32)))
  (import "wasmio_irq" "wait_period" (func $wait))
  (memory (export "mem") 1)
  (func (export "task")
    (call $wait)
    (i32.store (i32.const 0) (i32.const 1))
    (call $ack (i32.const 3))  ;; line 3 belongs to another container
    (i32.store (i32.const 0) (i32.const 2)))
  (func (export "on_irq"))
))";

TEST(LifecycleScenarios, AcknowledgingALineOfAnotherContainerTrapsOnlyTheTrespasser) {
  Rig rig;
  ContainerSpec owner;
  owner.name = "owner";
  owner.module = assemble(kLineOwner);
  owner.handlers = {handler(3, "on_irq", 1, 200)};
  owner.task = TaskSpec{"task", 20};
  const ContainerId a = rig.install_and_start(std::move(owner));
  ContainerSpec bad;
  bad.name = "trespasser";
  bad.module = assemble(kTrespasser);
  bad.handlers = {handler(4, "on_irq", 1, 200)};
  bad.task = periodic_task("task", 20, 300 * kUs);
  const ContainerId b = rig.install_and_start(std::move(bad));
  PulseSource irq(rig.board, 3, 10 * kUs, 100 * kUs);
  rig.scheduler.run_until(2000 * kUs);

  const ContainerInfo info = *rig.scheduler.info(b);
  EXPECT_EQ(info.task_state, TaskState::kFaulted);
  EXPECT_NE(info.last_fault.find("access outside granted windows"), std::string::npos)
      << info.last_fault;
  EXPECT_EQ(rig.peek32(b, 0), 1u);  // trapped at the acknowledge, not after it
  EXPECT_GE(rig.peek32(a, 0), 19u);  // the owner's handler kept running
  EXPECT_TRUE(rig.scheduler.info(a)->last_fault.empty());
}

TEST(LifecycleScenarios, InstallRefusesWhatCannotWork) {
  Rig rig;
  std::string error;
  ContainerSpec missing;
  missing.name = "m";
  missing.module = assemble(kLineOwner);
  missing.handlers = {handler(3, "no_such_export", 1, 200)};
  EXPECT_FALSE(rig.scheduler.install(std::move(missing), &error).has_value());
  EXPECT_NE(error.find("no_such_export"), std::string::npos) << error;

  ContainerSpec twice;
  twice.name = "t";
  twice.module = assemble(kLineOwner);
  twice.handlers = {handler(3, "on_irq", 1, 200), handler(3, "on_irq", 2, 200)};
  EXPECT_FALSE(rig.scheduler.install(std::move(twice), &error).has_value());

  ContainerSpec unknown_import;
  unknown_import.name = "u";
  unknown_import.module = assemble(R"((module (import "wasmio_irq" "global_disable" (func))))");
  EXPECT_FALSE(rig.scheduler.install(std::move(unknown_import), &error).has_value());
  EXPECT_NE(error.find("global_disable"), std::string::npos) << error;

  ContainerSpec no_line;
  no_line.name = "n";
  no_line.module = assemble(kLineOwner);
  no_line.handlers = {handler(200, "on_irq", 1, 200)};
  EXPECT_FALSE(rig.scheduler.install(std::move(no_line), &error).has_value());
}

}  // namespace
}  // namespace wasmio::sched::test
