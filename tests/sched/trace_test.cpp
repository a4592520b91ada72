// Traces: Chrome/Perfetto JSON that parses, and bit-for-bit identical replays.
#include <nlohmann/json.hpp>

#include "sched_test_support.h"

namespace wasmio::sched::test {
namespace {

const char* kGuest = R"((module
  (import "wasmio_irq" "enable" (func $enable (param i32)))
  (import "wasmio_irq" "event_post" (func $post (param i32)))
  (import "wasmio_irq" "event_wait" (func $wait (param i32) (result i32)))
  (memory (export "mem") 1)
  (func (export "task")
    (call $enable (i32.const 2))
    (loop $l (drop (call $wait (i32.const 1)))
      (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1))) (br $l)))
  (func (export "on_irq") (call $post (i32.const 1)))
  (func (export "spin") (loop $l (br $l)))
))";

std::string run_once(std::string* summary) {
  Rig rig;
  ContainerSpec s;
  s.name = "traced";
  s.module = assemble(kGuest);
  s.handlers = {handler(2, "on_irq", 1, 100), handler(8, "spin", 0, 300)};
  s.handlers[1].enabled_at_start = true;
  s.task = TaskSpec{"task", 10};
  rig.install_and_start(std::move(s));
  ContainerSpec p;
  p.name = "periodic";
  p.module = assemble(periodic_guest(60));
  p.task = periodic_task("task", 5, 200 * kUs);
  rig.install_and_start(std::move(p));
  PulseSource a(rig.board, 2, 3 * kUs, 50 * kUs);
  PulseSource b(rig.board, 8, 500 * kUs, 0);
  rig.scheduler.run_until(2000 * kUs);
  *summary = rig.scheduler.summary();
  return rig.scheduler.trace().chrome_json(static_cast<double>(kUs));
}

TEST(Trace, ReplaysBitForBitAndParsesAsChromeJson) {
  std::string s1, s2;
  const std::string t1 = run_once(&s1);
  const std::string t2 = run_once(&s2);
  EXPECT_EQ(t1, t2);
  EXPECT_EQ(s1, s2);
  const nlohmann::json doc = nlohmann::json::parse(t1);
  ASSERT_TRUE(doc.contains("traceEvents"));
  std::size_t spans = 0, raised = 0, overruns = 0, suspends = 0;
  for (const auto& e : doc["traceEvents"]) {
    ASSERT_TRUE(e.contains("ph"));
    ASSERT_TRUE(e.contains("pid"));
    if (e["ph"] == "X") {
      ++spans;
      EXPECT_GE(e["dur"].get<double>(), 0.0);
    }
    if (e["name"] == "irq raised") ++raised;
    if (e["name"] == "handler overrun") ++overruns;
    if (e["name"] == "task suspend") ++suspends;
  }
  EXPECT_GT(spans, 50u);
  EXPECT_GE(raised, 39u);
  EXPECT_EQ(overruns, 1u);
  EXPECT_GT(suspends, 20u);
  EXPECT_NE(s1.find("handler traced/on_irq line 2"), std::string::npos) << s1;
  EXPECT_NE(s1.find("deadlines met 10 missed 0"), std::string::npos) << s1;
}

}  // namespace
}  // namespace wasmio::sched::test
