// storage.log 1.0's contract, op by op, through a probe container that calls it while the case
// study runs: count, status, append and read of a given record, erase (busy while the block
// erase runs, the application told and logging again after it), and the refusals of bad
// requests.
#include <gtest/gtest.h>

#include <cstring>

#include "casestudy_fixture.h"

namespace wasmio::casestudy {
namespace {

constexpr std::int32_t kAppBase = -256;

class LogProbe {
 public:
  explicit LogProbe(Scenario& s) : s_(s) {
    std::string error;
    const auto bytes = read_file(std::string(WASMIO_CASESTUDY_DIR) + "/cs_probe_log.wasm", &error);
    sched::DriverOptions options;
    options.name = "log-probe";
    id_ = s.hub().install(bytes, "cs_probe_log.wasm", options, &error);
    EXPECT_TRUE(id_) << error;
    handle_ = value("probe_open", {1, 0});
    EXPECT_GE(handle_, 0);
  }
  std::int32_t value(const char* name, std::vector<std::uint32_t> args = {}) {
    auto r = invoke_export(s_.scheduler(), *id_, name, std::move(args));
    EXPECT_TRUE(r) << name << " trapped";
    return r ? *r : 0;
  }
  // Puts `bytes` in the probe's request buffer.
  void request(const void* bytes, std::size_t length) {
    const auto at = static_cast<std::uint32_t>(value("probe_request"));
    auto memory = Store::memory_data(s_.scheduler().instance(*id_)->memory(0));
    ASSERT_LE(at + length, memory.size());
    std::memcpy(memory.data() + at, bytes, length);
  }
  std::int32_t call(std::uint32_t op, std::uint32_t request_length, std::uint32_t capacity) {
    return value("probe_call", {static_cast<std::uint32_t>(handle_), op, request_length, capacity});
  }
  std::int32_t reply_i32(std::uint32_t offset) { return value("probe_reply_i32", {offset}); }
  std::array<std::int32_t, 3> count() {
    EXPECT_EQ(call(3, 0, 12), 12);
    return {reply_i32(0), reply_i32(4), reply_i32(8)};
  }

 private:
  Scenario& s_;
  std::optional<sched::ContainerId> id_;
  std::int32_t handle_ = -1;
};

TEST(FlashLogService, EveryOperationAndRefusal) {
  auto s = make();
  s->run_ms(320);  // three reports logged
  LogProbe probe(*s);
  EXPECT_EQ(probe.count(), (std::array<std::int32_t, 3>{3, 0, 1024}));
  ASSERT_EQ(probe.call(5, 0, 8), 8);  // status: serving, EF 40 15
  EXPECT_EQ(probe.reply_i32(0), 1);
  EXPECT_EQ(probe.reply_i32(4), 0x001540EF);

  probe.request("hello", 5);
  ASSERT_EQ(probe.call(1, 5, 4), 4);
  EXPECT_EQ(probe.reply_i32(0), 3);  // its number
  const std::uint32_t three = 3;
  probe.request(&three, 4);
  ASSERT_EQ(probe.call(2, 4, 48), 5);
  EXPECT_EQ(probe.reply_i32(0), 0x6C6C6568);  // "hell"
  EXPECT_EQ(logged_record(s->flash()->memory(), 3), "hello");

  EXPECT_EQ(probe.call(1, 0, 4), kAppBase - 4);   // empty record
  EXPECT_EQ(probe.call(1, 49, 4), -5);            // longer than declared: ETOOBIG
  EXPECT_EQ(probe.call(2, 3, 48), kAppBase - 4);  // read wants a u32
  EXPECT_EQ(probe.call(2, 4, 4), -6);             // record longer than the reply buffer: ERANGE
  EXPECT_EQ(probe.call(9, 0, 0), kAppBase - 6);   // unknown op
  const std::uint32_t four = 4;
  probe.request(&four, 4);
  EXPECT_EQ(probe.call(2, 4, 48), kAppBase - 2);  // not written yet

  ASSERT_EQ(probe.call(4, 0, 0), 0);  // erase: 64 KiB block, 150 ms
  EXPECT_EQ(probe.count(), (std::array<std::int32_t, 3>{0, 0, 1024}));
  probe.request("x", 1);
  EXPECT_EQ(probe.call(1, 1, 4), kAppBase - 1);   // busy
  EXPECT_EQ(probe.call(4, 0, 0), kAppBase - 1);
  s->run_ms(230);  // the report at 400 ms finds the flash busy, the one at 500 ms logs
  EXPECT_EQ(payloads_of(s->uart_output(), "W"),
            (std::vector<std::string>{"W,4,LOG," + std::to_string(kAppBase - 1), "W,5,LOG,OK"}));
  const auto reports = payloads_of(s->uart_output(), "T");
  ASSERT_EQ(reports.size(), 5u);
  EXPECT_EQ(logged_record(s->flash()->memory(), 0), reports[4]);
  EXPECT_FALSE(logged_record(s->flash()->memory(), 3));  // "hello" went with the erase
  EXPECT_EQ(probe.count(), (std::array<std::int32_t, 3>{1, 0, 1024}));
}

}  // namespace
}  // namespace wasmio::casestudy
