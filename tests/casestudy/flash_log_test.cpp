// The flash log of the case study (casestudy/containers/flash_log.c, storage.log 1.0) on the
// W25Q16JV model: reports logged and read back over the line, the ring recycling sectors, a
// driver that traps or overruns its budget during an append (the application keeps reporting
// and is told), a chip with the wrong JEDEC ID refused, numbering kept across a reinstall, the
// same source built for the mapped access path.
#include <gtest/gtest.h>

#include "casestudy_fixture.h"

namespace wasmio::casestudy {
namespace {

// WASMIO_SVC_APP_BASE + the handler's code, as the application sees it.
std::string app_error(int code) { return std::to_string(-256 + code); }

TEST(FlashLog, RecordsReadBackOverTheLineEqualTheReports) {
  auto s = make();
  s->run_ms(1050);
  std::string requests;
  for (int n = 0; n < 10; ++n) requests += framed("LOG," + std::to_string(n));
  s->uart().inject_rx(requests + framed("LOG,10") + framed("LOG,x"));
  s->run_ms(100);
  const auto reports = payloads_of(s->uart_output(), "T");
  const auto answers = payloads_of(s->uart_output(), "L");
  ASSERT_EQ(reports.size(), 11u);
  ASSERT_EQ(answers.size(), 11u) << s->uart_output();  // "LOG,x" is not a request
  for (std::size_t n = 0; n < 10; ++n) {
    EXPECT_EQ(answers[n], "L," + std::to_string(n) + "," + reports[n]);
    EXPECT_EQ(logged_record(s->flash()->memory(), n), reports[n]);
  }
  // Record 10 is the report of this period, sent after the requests were answered.
  EXPECT_EQ(answers[10], "L,10,E," + app_error(-2));
  EXPECT_TRUE(payloads_of(s->uart_output(), "W").empty());
  EXPECT_EQ(s->flash()->programs(), 11u);
}

// A 50 ms period fills the 1024-slot ring in ~51 s: every sector boundary after the first
// pass erases the next sector ahead (45 ms, within a period), the oldest records go, the
// newest read back.
TEST(FlashLog, RingRecyclesTheOldestSector) {
  ScenarioOptions o = defaults();
  o.period_ms = 50;
  auto s = make(o);
  s->run_ms(54'525);  // 1090 reports: the ring wrapped into its second sector
  const auto reports = payloads_of(s->uart_output(), "T");
  ASSERT_EQ(reports.size(), 1090u);
  EXPECT_EQ(s->flash()->erases(), 2u);  // at records 1024 and 1088 (ahead of the write)
  EXPECT_TRUE(payloads_of(s->uart_output(), "W").empty()) << "the erase ran between reports";
  s->uart().inject_rx(framed("LOG,0") + framed("LOG,127") + framed("LOG,128") +
                      framed("LOG,1089"));
  s->run_ms(50);
  const auto answers = payloads_of(s->uart_output(), "L");
  ASSERT_EQ(answers.size(), 4u) << s->uart_output();
  EXPECT_EQ(answers[0], "L,0,E," + app_error(-2));  // recycled
  EXPECT_EQ(answers[1], "L,127,E," + app_error(-2));
  EXPECT_EQ(answers[2], "L,128," + reports[128]);
  EXPECT_EQ(answers[3], "L,1089," + reports[1089]);
  for (std::uint32_t n = 128; n < 1090; ++n) {
    ASSERT_EQ(logged_record(s->flash()->memory(), n), reports[n]) << n;
  }
}

// A driver fault during the append: the caller gets the error, the application keeps
// reporting, tells the line once, and the restarted driver continues the numbering.
void expect_fault_reported(const std::string& file, int service_error, std::uint64_t faults,
                           std::uint64_t overruns) {
  ScenarioOptions o = defaults();
  o.flash_log_file = file;
  auto s = make(o);
  s->run_ms(1050);
  const auto reports = payloads_of(s->uart_output(), "T");
  ASSERT_EQ(reports.size(), 10u) << s->uart_output();
  // Appends 5 and 10 since the driver's start fail; the restart in between serves again.
  EXPECT_EQ(payloads_of(s->uart_output(), "W"),
            (std::vector<std::string>{"W,5,LOG," + std::to_string(service_error), "W,6,LOG,OK",
                                      "W,10,LOG," + std::to_string(service_error)}));
  const auto log = s->hub().service("storage.log");
  ASSERT_TRUE(log);
  EXPECT_EQ(log->stats.faults, faults);
  EXPECT_EQ(log->stats.overruns, overruns);
  EXPECT_EQ(s->scheduler().info(*s->hub().id_of("report-app"))->task_state,
            sched::TaskState::kWaitingPeriod);
  // Records 0-3 from reports 1-4, then (numbering recovered from the flash) 4-7 from 6-9.
  for (std::uint32_t n = 0; n < 8; ++n) {
    EXPECT_EQ(logged_record(s->flash()->memory(), n), reports[n < 4 ? n : n + 1]) << n;
  }
  EXPECT_FALSE(logged_record(s->flash()->memory(), 8));
}

TEST(FlashLog, TrapDuringAnAppendIsReportedToTheApplication) {
  expect_fault_reported("cs_flash_log_trap.wasm", -7, 2, 0);  // WASMIO_SVC_EFAULT
}

TEST(FlashLog, BudgetOverrunDuringAnAppendIsReportedToTheApplication) {
  expect_fault_reported("cs_flash_log_overrun.wasm", -8, 0, 2);  // WASMIO_SVC_EBUDGET
}

TEST(FlashLog, WrongJedecIdIsRefused) {
  ScenarioOptions o = defaults();
  o.board_dtb = std::string(WASMIO_TEST_BOARDS_DIR) + "/mps2-an385-flash-wrong-id.dtb";
  auto s = make(o);
  s->run_ms(550);
  s->uart().inject_rx(framed("LOG,0"));
  s->run_ms(100);
  EXPECT_EQ(payloads_of(s->uart_output(), "W"),
            std::vector<std::string>{"W,1,LOG," + app_error(-7) + ",ID=C22015"});
  EXPECT_EQ(payloads_of(s->uart_output(), "L"),
            std::vector<std::string>{"L,0,E," + app_error(-7)});
  EXPECT_EQ(payloads_of(s->uart_output(), "T").size(), 6u);  // reporting goes on
  EXPECT_EQ(s->flash()->programs(), 0u);                       // nothing written to that chip
  EXPECT_EQ(s->flash()->erases(), 0u);
}

TEST(FlashLog, ReinstalledDriverContinuesTheNumbering) {
  auto s = make();
  s->run_ms(550);
  ASSERT_TRUE(s->hub().remove("flash-log"));
  s->run_ms(200);  // two reports find no logger
  std::string error;
  const auto bytes = read_file(std::string(WASMIO_CASESTUDY_DIR) + "/cs_flash_log.wasm", &error);
  sched::DriverOptions options;
  options.task_priority = 96;
  ASSERT_TRUE(s->hub().install(bytes, "cs_flash_log.wasm", options, &error)) << error;
  s->run_ms(300);
  const auto reports = payloads_of(s->uart_output(), "T");
  ASSERT_EQ(reports.size(), 10u);
  EXPECT_EQ(payloads_of(s->uart_output(), "W"),
            (std::vector<std::string>{"W,6,LOG," + std::to_string(-3), "W,8,LOG,OK"}));
  for (std::uint32_t n = 0; n < 8; ++n) {
    EXPECT_EQ(logged_record(s->flash()->memory(), n), reports[n < 5 ? n : n + 2]) << n;
  }
}

TEST(FlashLog, SameRunSameBytes) {
  std::string out[2];
  std::vector<std::uint8_t> cells[2];
  for (int i = 0; i < 2; ++i) {
    auto s = make();
    s->run_ms(650);
    s->uart().inject_rx(framed("LOG,2"));
    s->run_ms(400);
    out[i] = s->uart_output();
    cells[i] = s->flash()->memory();
  }
  EXPECT_EQ(out[0], out[1]);
  EXPECT_EQ(cells[0], cells[1]);
  EXPECT_EQ(payloads_of(out[0], "L").size(), 1u);
}

// The same driver source built for the mapped access path (registers as guest memory).
TEST(FlashLog, MappedBuildLogsTheSameRecords) {
  ScenarioOptions o = defaults();
  o.flash_log_file = "cs_flash_log_mapped.wasm";
  auto mapped = make(o);
  ASSERT_NE(mapped, nullptr);
  mapped->run_ms(1050);
  auto host_call = make();
  host_call->run_ms(1050);
  EXPECT_EQ(mapped->uart_output(), host_call->uart_output());
  EXPECT_EQ(mapped->flash()->memory(), host_call->flash()->memory());
  EXPECT_EQ(mapped->flash()->programs(), 10u);
}

}  // namespace
}  // namespace wasmio::casestudy
