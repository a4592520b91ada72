// The case study end to end: five containers that talk only through services, the frames they
// put on UART0, a live update of the sensor driver under load, a refused update, removal of
// the sensor while the application runs, and a request received over the line.
#include <gtest/gtest.h>

#include <algorithm>

#include "casestudy_fixture.h"
#include "native_baseline.h"

namespace wasmio::casestudy {
namespace {

TEST(CaseStudy, ReportsEveryPeriodForTwoSecondsDeterministically) {
  auto a = make();
  a->run_ms(2050);
  const auto fa = frames(a->uart_output());
  ASSERT_EQ(fa.size(), 20u) << a->uart_output();
  for (std::size_t i = 0; i < fa.size(); ++i) {
    ASSERT_TRUE(fa[i].checksum_ok) << i;
    const auto f = fields(fa[i].payload);
    ASSERT_EQ(f.size(), 5u) << fa[i].payload;
    EXPECT_EQ(f[0], "T");
    EXPECT_EQ(f[1], std::to_string(i + 1));                  // sequence
    EXPECT_NEAR(std::stoi(f[2]), 100.0 * (i + 1), 2.0);      // timer ticks (ms)
    EXPECT_EQ(f[3], "23500");                                 // the TMP105's temperature
    EXPECT_EQ(f[4], "v0");
  }
  auto b = make();
  b->run_ms(2050);
  EXPECT_EQ(a->uart_output(), b->uart_output());  // bit for bit
  EXPECT_EQ(a->flash()->memory(), b->flash()->memory());  // the same log, cell for cell
  EXPECT_EQ(a->scheduler().platform().now(), b->scheduler().platform().now());
  EXPECT_EQ(a->scheduler().idle_cycles(), b->scheduler().idle_cycles());
}

TEST(CaseStudy, FollowsTheSensorsTemperature) {
  auto s = make();
  s->run_ms(450);
  s->sensor().set_temperature_mc(-12'750);
  s->run_ms(300);
  const auto f = frames(s->uart_output());
  ASSERT_EQ(f.size(), 7u);
  EXPECT_EQ(fields(f[3].payload)[3], "23500");
  EXPECT_EQ(fields(f[4].payload)[3], "-12750");
}

TEST(CaseStudy, LiveUpdateUnderLoadNeverShowsAWrongValue) {
  auto s = make();
  s->run_ms(1050);
  s->sensor().set_temperature_mc(30'125);
  std::string error;
  ASSERT_TRUE(s->update_sensor("cs_sensor_v1_1.wasm", &error)) << error;
  s->run_ms(1000);
  const auto all = frames(s->uart_output());
  std::size_t v0 = 0, v1 = 0;
  for (const Frame& f : all) {
    ASSERT_TRUE(f.checksum_ok);
    const auto x = fields(f.payload);
    ASSERT_EQ(x[0], "T") << f.payload;  // no failed read either: the update fell between reads
    if (x[4] == "v0") {
      ++v0;
      EXPECT_EQ(x[3], "23500");
    } else {
      ++v1;
      EXPECT_EQ(x[4], "v1");
      EXPECT_EQ(x[3], "30125");
    }
  }
  EXPECT_EQ(v0, 10u);
  EXPECT_EQ(v1, 10u);
  // The logger kept logging across the update: every report of both versions is in the flash.
  for (std::uint32_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(logged_record(s->flash()->memory(), i), all[i].payload) << i;
  }
  EXPECT_EQ(s->hub().service("storage.log")->stats.refused, 0u);
  ASSERT_EQ(s->hub().updates().size(), 1u);
  const auto& u = s->hub().updates()[0];
  ASSERT_TRUE(u.gap());
  ASSERT_TRUE(u.ready_at);
  EXPECT_LT(*u.ready_at - u.at, *u.gap());
  // The other containers never stopped: the timer kept counting, the UART kept sending.
  EXPECT_EQ(s->hub().service("clock.ticks")->stats.refused, 0u);
  EXPECT_EQ(s->hub().service("uart.frames")->stats.refused, 0u);
}

TEST(CaseStudy, FlatOutCallerSeesOnlyGoodValuesAcrossTheUpdate) {
  ScenarioOptions o = defaults();
  o.flat_out = true;
  auto s = make(o);
  s->run_ms(200);
  std::string error;
  ASSERT_TRUE(s->update_sensor("cs_sensor_v1_1.wasm", &error)) << error;
  s->run_ms(200);
  const auto all = frames(s->uart_output());
  std::size_t v0 = 0, v1 = 0;
  for (const Frame& f : all) {
    ASSERT_TRUE(f.checksum_ok);
    const auto x = fields(f.payload);
    if (x[0] == "E") {
      EXPECT_EQ(x[3], "-4") << f.payload;  // WASMIO_SVC_EUPDATING: never a made-up value
      continue;
    }
    EXPECT_EQ(x[3], "23500");
    ++(x[4] == "v0" ? v0 : v1);
    if (x[4] == "v0") EXPECT_EQ(v1, 0u) << "1.0 answered after 1.1";
  }
  EXPECT_GT(v0, 100u);  // back to back: hundreds of reports per second
  EXPECT_GT(v1, 100u);
  const auto& u = s->hub().updates().at(0);
  ASSERT_TRUE(u.gap());
  ASSERT_TRUE(u.ready_at);
  // A caller that never stops asking sees the service back within the new driver's start-up
  // plus one report.
  EXPECT_LE(*u.ready_at - u.at, *u.gap());
  EXPECT_LT(*u.gap(), s->board().clock().cycles_from_ms(5));
}

TEST(CaseStudy, RefusedUpdateKeepsTheOldDriverServing) {
  auto s = make();
  s->run_ms(550);
  std::string error;
  EXPECT_FALSE(s->update_sensor("cs_sensor_unbindable.wasm", &error));
  EXPECT_NE(error.find("acme,absent-adc"), std::string::npos) << error;
  s->run_ms(500);
  const auto all = frames(s->uart_output());
  ASSERT_EQ(all.size(), 10u);
  for (const Frame& f : all) {
    EXPECT_EQ(fields(f.payload)[0], "T");
    EXPECT_EQ(fields(f.payload)[4], "v0");
  }
}

TEST(CaseStudy, SensorRemovedWhileTheApplicationRuns) {
  auto s = make();
  s->run_ms(550);
  ASSERT_TRUE(s->hub().remove("tmp105-sensor"));
  s->run_ms(500);
  const auto all = frames(s->uart_output());
  ASSERT_EQ(all.size(), 10u);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto x = fields(all[i].payload);
    if (i < 5) {
      EXPECT_EQ(x[0], "T");
    } else {
      EXPECT_EQ(x[0], "E");
      EXPECT_EQ(x[3], "-3");  // unavailable
      EXPECT_NEAR(std::stoi(x[2]), 100.0 * (i + 1), 2.0);  // the clock service still answers
    }
  }
  EXPECT_EQ(s->scheduler().info(*s->hub().id_of("report-app"))->task_state,
            sched::TaskState::kWaitingPeriod);
}

TEST(CaseStudy, RequestOverTheLineChangesTheReportRate) {
  auto s = make();
  s->run_ms(250);
  s->uart().inject_rx("noise$RATE,3*00\r\n" + framed("RATE,3"));  // a bad checksum, then good
  s->run_ms(1000);
  const auto all = frames(s->uart_output());
  std::vector<std::string> payloads;
  for (const Frame& f : all) payloads.push_back(f.payload);
  const auto ack = std::find(payloads.begin(), payloads.end(), "ACK,RATE,3");
  ASSERT_NE(ack, payloads.end()) << s->uart_output() << s->scheduler().summary();
  // Periods 1 and 2 report; the request is handled in period 3, which then reports as every
  // third one does: 3, 6, 9, 12.
  EXPECT_EQ(std::count_if(payloads.begin(), payloads.end(),
                          [](const std::string& p) { return p.rfind("T,", 0) == 0; }),
            6);
  EXPECT_EQ(fields(payloads.back())[1], "6");  // sequence numbers count reports
}

// The native baseline runs the same sources: the same frames, values and sequence. (Once per
// process: the native drivers keep static state.)
TEST(CaseStudy, NativeBaselineReportsTheSameFrames) {
  std::string error;
  auto native = NativeBaseline::create(defaults(), &error);
  ASSERT_NE(native, nullptr) << error;
  native->run_ms(1050);
  auto wasm = make();
  wasm->run_ms(1050);
  const auto n = frames(native->uart_output());
  const auto w = frames(wasm->uart_output());
  ASSERT_EQ(n.size(), 10u) << native->uart_output();
  ASSERT_EQ(w.size(), n.size());
  for (std::size_t i = 0; i < n.size(); ++i) {
    ASSERT_TRUE(n[i].checksum_ok);
    const auto a = fields(n[i].payload), b = fields(w[i].payload);
    EXPECT_EQ(a[0], b[0]);
    EXPECT_EQ(a[1], b[1]);
    EXPECT_NEAR(std::stoi(a[2]), std::stoi(b[2]), 1.0);  // the tick at the report
    EXPECT_EQ(a[3], b[3]);
    EXPECT_EQ(a[4], b[4]);
  }
  EXPECT_GT(native->register_accesses(), 1000u);  // it really drove the bit-banged bus
  // Both logged every report to their own board's flash, in the same layout.
  const auto& native_flash =
      native->board().find_as<io::sim::SpiNorFlash>(kFlashLabel)->memory();
  for (std::uint32_t i = 0; i < n.size(); ++i) {
    EXPECT_EQ(logged_record(native_flash, i), n[i].payload) << i;
    EXPECT_EQ(logged_record(wasm->flash()->memory(), i), w[i].payload) << i;
  }
  EXPECT_FALSE(logged_record(native_flash, 10u));
  // Natively, work costs less virtual time: the busy share is below the containers'.
  const auto busy = [](sched::Scheduler& s) { return s.platform().now() - s.idle_cycles(); };
  EXPECT_LT(busy(native->scheduler()), busy(wasm->scheduler()));
  EXPECT_FALSE(NativeBaseline::create(defaults(), &error));
  EXPECT_NE(error.find("once per process"), std::string::npos);
}

}  // namespace
}  // namespace wasmio::casestudy
