// `wasmio run --board B.dtb irq_demo.wasm --trace FILE.json`: the trace parses as Chrome JSON and
// shows the demo's interrupts; the summary is printed.
#if defined(WASMIO_CLI) && defined(WASMIO_IRQ_DRIVERS_DIR)
#include <nlohmann/json.hpp>

#include "sched_test_support.h"

namespace wasmio::sched::test {
namespace {

std::string run_command(const std::string& command, int* status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  *status = pclose(pipe);
  return out;
}

TEST(CliTrace, RunWithTraceWritesChromeJsonAndASummary) {
  const std::string trace = testing::TempDir() + "wasmio-irq-demo-trace.json";
  int status = -1;
  const std::string out = run_command(
      std::string(WASMIO_CLI) + " run --board " + WASMIO_BOARDS_DIR + "/mps2-an385.dtb " +
          WASMIO_IRQ_DRIVERS_DIR + "/irq_demo.wasm --trace " + trace +
          " --run-ms 250 --uart-rx ping --press-button 0 2>&1",
      &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("ping"), std::string::npos) << out;
  EXPECT_NE(out.find("[button 0 pressed"), std::string::npos) << out;
  EXPECT_NE(out.find("handler irq-demo/blink_timer_irq line 8"), std::string::npos) << out;
  std::ifstream in(trace);
  const nlohmann::json doc = nlohmann::json::parse(in);
  std::size_t raised = 0, handler_spans = 0;
  for (const auto& e : doc["traceEvents"]) {
    if (e["name"] == "irq raised") ++raised;
    if (e["ph"] == "X" && e["cat"] == "E1/4") ++handler_spans;
  }
  EXPECT_GT(raised, 20u);
  EXPECT_GE(handler_spans, raised);
  std::remove(trace.c_str());
}

}  // namespace
}  // namespace wasmio::sched::test
#endif
