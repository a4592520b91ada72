// ContainerSpec::on_instance may refuse an instance: install fails leaving nothing behind (the
// line is free again, no engine memory stays allocated), and a refused restart faults only that
// container. The driver loader uses this to refuse mapped windows the engine cannot place.
#include "sched_test_support.h"
#include "wasmio/allocator.h"

namespace wasmio::sched::test {
namespace {

const char* kHandlerGuest = R"((module
  (memory (export "mem") 1)
  (func (export "on_irq")
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
    (if (i32.ge_u (i32.load (i32.const 0)) (i32.const 3)) (then unreachable))))
)";

ContainerSpec hooked(std::shared_ptr<const Module> module, InstanceHook hook) {
  ContainerSpec spec;
  spec.name = "hooked";
  spec.module = std::move(module);
  HandlerSpec h = handler(7, "on_irq", 1, 1000);
  h.enabled_at_start = true;
  spec.handlers = {h};
  spec.on_instance = std::move(hook);
  return spec;
}

TEST(InstanceHook, ARefusalFailsInstallAndLeavesNothingBehind) {
  Rig rig;
  auto module = assemble(kHandlerGuest);
  ASSERT_NE(module, nullptr);
  int calls = 0;
  const std::size_t before = allocated_bytes();
  std::string error;
  auto id = rig.scheduler.install(
      hooked(module,
             [&](Instance& instance, std::string* why) {
               ++calls;
               EXPECT_NE(instance.memory(0), nullptr);  // a complete instance was offered
               *why = "windows do not fit";
               return false;
             }),
      &error);
  EXPECT_FALSE(id.has_value());
  EXPECT_EQ(calls, 1);
  EXPECT_NE(error.find("container 'hooked': windows do not fit"), std::string::npos) << error;
  EXPECT_EQ(allocated_bytes(), before);  // store, instance and executions are gone
  EXPECT_FALSE(rig.board.irqs().enabled(7));

  // The line was never claimed: an accepted container takes it and runs.
  const ContainerId ok = rig.install_and_start(hooked(module, [](Instance&) {}));
  PulseSource irq(rig.board, 7, 10 * kUs, 100 * kUs, 150 * kUs);  // at 10 and 110 us
  rig.scheduler.run_until(300 * kUs);
  EXPECT_EQ(rig.peek32(ok, 0), 2u);
}

TEST(InstanceHook, ARefusalWithoutAReasonStillSaysWhy) {
  Rig rig;
  std::string error;
  auto id = rig.scheduler.install(
      hooked(assemble(kHandlerGuest), [](Instance&, std::string*) { return false; }), &error);
  EXPECT_FALSE(id.has_value());
  EXPECT_NE(error.find("refused (on_instance)"), std::string::npos) << error;
}

TEST(InstanceHook, ARefusedRestartFaultsOnlyThatContainer) {
  Rig rig;
  ContainerSpec steady;
  steady.name = "steady";
  steady.module = assemble(periodic_guest(200));
  steady.task = periodic_task("task", 10, 500 * kUs);
  const ContainerId a = rig.install_and_start(std::move(steady));

  int instances = 0;
  ContainerSpec spec = hooked(assemble(kHandlerGuest), [&](Instance&, std::string* why) {
    if (++instances == 1) return true;
    *why = "no second instance";
    return false;
  });
  spec.fault_policy = FaultPolicy::kRestart;
  const ContainerId b = rig.install_and_start(std::move(spec));
  PulseSource irq(rig.board, 7, 10 * kUs, 100 * kUs);
  rig.scheduler.run_until(5000 * kUs);

  EXPECT_EQ(instances, 2);  // the third activation trapped; the restart was refused
  const ContainerInfo info = *rig.scheduler.info(b);
  EXPECT_NE(info.last_fault.find("restart failed: no second instance"), std::string::npos)
      << info.last_fault;
  EXPECT_EQ(rig.scheduler.instance(b), nullptr);
  EXPECT_FALSE(rig.board.irqs().enabled(7));  // masked: no handler left to take it
  EXPECT_EQ(rig.scheduler.handler_stats(b, 7)->activations, 3u);
  EXPECT_EQ(rig.scheduler.task_stats(a)->deadlines_missed, 0u);
  EXPECT_EQ(rig.scheduler.task_stats(a)->jobs, 10u);
}

}  // namespace
}  // namespace wasmio::sched::test
