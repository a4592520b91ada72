// Service calls between real containers on the simulated AN385: the TMP105 sensor driver
// (casestudy/containers/sensor.c) provides sensor.temperature; a probe container calls it. The
// test invokes the probe's exports directly, so each call's result is seen exactly. Covers
// success, every refusal, a provider that traps, overruns or replies too much during a call,
// fault policies, removal of the provider and live update (accepted and refused).
#include <gtest/gtest.h>

#include <array>

#include "../casestudy/casestudy_fixture.h"

namespace wasmio::services {
namespace {

constexpr std::int32_t kRead = 1;

class Rig {
 public:
  Rig() {
    std::string error;
    session_ = io::BoardSession::open_file(std::string(WASMIO_BOARDS_DIR) + "/mps2-an385.dtb",
                                           &error);
    EXPECT_NE(session_, nullptr) << error;
    platform_ = std::make_unique<sched::SimPlatform>(session_->board());
    scheduler_ = std::make_unique<sched::Scheduler>(*platform_);
    windows_ = std::make_unique<sched::TimedWindows>(session_->windows(), *scheduler_);
    hub_ = std::make_unique<ServiceHub>(*scheduler_, session_->registry(), *windows_);
    session_->board().find_as<io::sim::Tmp105>("tmp105")->set_temperature_mc(21'250);
  }
  ~Rig() { hub_.reset(); }

  static std::vector<std::uint8_t> bytes(const std::string& file) {
    std::string error;
    auto b = casestudy::read_file(std::string(WASMIO_CASESTUDY_DIR) + "/" + file, &error);
    EXPECT_FALSE(b.empty()) << error;
    return b;
  }
  std::optional<sched::ContainerId> install(const std::string& file,
                                            sched::FaultPolicy policy = sched::FaultPolicy::kDisable,
                                            std::string* error = nullptr,
                                            const std::string& name = "") {
    std::string e;
    sched::DriverOptions options;
    options.fault_policy = policy;
    options.name = name;
    auto id = hub_->install(bytes(file), file, options, error ? error : &e);
    if (!error) EXPECT_TRUE(id) << e;
    return id;
  }
  void run_ms(std::uint64_t ms) {
    scheduler_->run_until(scheduler_->platform().now() +
                          session_->board().clock().cycles_from_ms(ms));
  }
  // Calls an export of a container's instance from outside the scheduler, as a test harness.
  Expected<std::int32_t> invoke(sched::ContainerId id, const char* name,
                                std::vector<std::uint32_t> args = {}) {
    return casestudy::invoke_export(*scheduler_, id, name, std::move(args), &suspensions);
  }
  std::int32_t call(sched::ContainerId probe, std::int32_t handle, std::uint32_t op,
                    std::uint32_t request = 0, std::uint32_t reply_capacity = 8) {
    auto r = invoke(probe, "probe_call",
                    {static_cast<std::uint32_t>(handle), op, request, reply_capacity});
    EXPECT_TRUE(r) << "probe trapped";
    return r ? *r : 0;
  }

  // Starts a read through the probe and leaves it waiting between two quanta of the sensor's
  // handler: a call in flight.
  std::unique_ptr<Execution> call_in_flight(sched::ContainerId probe, std::int32_t handle) {
    auto ex = std::make_unique<Execution>();
    const std::array<Value, 4> args{Value::i32(static_cast<std::uint32_t>(handle)),
                                    Value::i32(kRead), Value::i32(0), Value::i32(8)};
    auto r = ex->invoke(scheduler_->instance(probe)->exported_function("probe_call"), args);
    EXPECT_TRUE(r && *r == RunState::kSuspended);
    return ex;
  }
  static std::int32_t finish(Execution& ex) {
    auto r = ex.resume();
    while (r && *r == RunState::kSuspended) r = ex.resume();
    EXPECT_TRUE(r);
    return r ? static_cast<std::int32_t>(ex.results()[0].of.i32) : 0;
  }

  sched::Scheduler& scheduler() { return *scheduler_; }
  ServiceHub& hub() { return *hub_; }
  std::uint64_t suspensions = 0;

 private:
  std::unique_ptr<io::BoardSession> session_;
  std::unique_ptr<sched::SimPlatform> platform_;
  std::unique_ptr<sched::Scheduler> scheduler_;
  std::unique_ptr<sched::TimedWindows> windows_;
  std::unique_ptr<ServiceHub> hub_;
};

std::int32_t code(CallError e) { return static_cast<std::int32_t>(e); }

TEST(ServiceCalls, ReplyIsCopiedIntoTheCallersMemory) {
  Rig rig;
  rig.install("cs_sensor.wasm");
  auto probe = rig.install("cs_probe.wasm");
  rig.run_ms(5);  // the sensor's task configures the TMP105 and calls ready
  ASSERT_EQ(rig.hub().service("sensor.temperature")->state, ServiceState::kReady);
  const std::int32_t h = *rig.invoke(*probe, "probe_open", {1, 0});
  ASSERT_GE(h, 0);
  EXPECT_EQ(rig.call(*probe, h, kRead), 8);
  EXPECT_EQ(*rig.invoke(*probe, "probe_reply_i32", {0}), 21'250);
  EXPECT_EQ(*rig.invoke(*probe, "probe_reply_i32", {4}), 0x10000);  // version 1.0
  const ServiceInfo info = *rig.hub().service("sensor.temperature");
  EXPECT_EQ(info.stats.replies, 1u);
  EXPECT_GT(info.stats.fuel_max, 100u);  // a real bit-banged I2C transaction ran
  EXPECT_LE(info.stats.fuel_max, 20'000u);
  // The caller yielded once per quantum of the provider's handler.
  // A quantum ends at the first safe point past kCallQuantum fuel (one region at most more).
  EXPECT_LE(rig.suspensions, info.stats.fuel_max / kCallQuantum);
  EXPECT_GE(rig.suspensions, info.stats.fuel_max / (kCallQuantum + 64) - 1);
  EXPECT_GE(rig.suspensions, 1u);
}

TEST(ServiceCalls, RefusalsHaveTheirOwnCodes) {
  Rig rig;
  rig.install("cs_sensor.wasm");
  auto probe = rig.install("cs_probe.wasm");
  rig.run_ms(5);
  const std::int32_t h = *rig.invoke(*probe, "probe_open", {1, 0});
  EXPECT_EQ(*rig.invoke(*probe, "probe_open_unknown"), code(CallError::kUndeclared));
  EXPECT_EQ(*rig.invoke(*probe, "probe_open", {1, 1}), code(CallError::kUndeclared));
  EXPECT_EQ(rig.call(*probe, h, kRead, 1), code(CallError::kTooBig));   // max request is 0
  EXPECT_EQ(rig.call(*probe, h, kRead, 0, 4), code(CallError::kRange));  // 8-byte reply
  EXPECT_EQ(rig.call(*probe, 7, kRead), code(CallError::kHandle));
  EXPECT_EQ(rig.call(*probe, -1, kRead), code(CallError::kHandle));
  EXPECT_EQ(rig.call(*probe, h, 99), kAppErrorBase - 2);  // the handler's "unknown operation"
  // A reply buffer outside the caller's memory traps the caller, before anything is copied.
  auto outside = rig.invoke(*probe, "probe_call_outside", {static_cast<std::uint32_t>(h)});
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_EQ(rig.call(*probe, h, kRead), 8);  // the provider never noticed
}

TEST(ServiceCalls, VersionMismatchIsRefused) {
  Rig rig;
  rig.install("cs_sensor.wasm");
  auto probe = rig.install("cs_probe_v2.wasm");  // asks for sensor.temperature 2.0
  rig.run_ms(5);
  EXPECT_EQ(*rig.invoke(*probe, "probe_open", {2, 0}), code(CallError::kVersion));
}

TEST(ServiceCalls, NoProviderMeansUnavailable) {
  Rig rig;
  auto probe = rig.install("cs_probe.wasm");
  const std::int32_t h = *rig.invoke(*probe, "probe_open", {1, 0});
  ASSERT_GE(h, 0);  // late binding: the provider may come later
  EXPECT_EQ(rig.call(*probe, h, kRead), code(CallError::kUnavailable));
  rig.install("cs_sensor.wasm");
  EXPECT_EQ(rig.call(*probe, h, kRead), code(CallError::kUnavailable));  // installed, not ready
  rig.run_ms(5);
  EXPECT_EQ(rig.call(*probe, h, kRead), 8);
}

TEST(ServiceCalls, ProviderTrapDuringCallFailsTheCallAndStopsTheProvider) {
  Rig rig;
  auto sensor = rig.install("cs_sensor_faulty.wasm", sched::FaultPolicy::kDisable);
  auto probe = rig.install("cs_probe.wasm");
  rig.run_ms(5);
  const std::int32_t h = *rig.invoke(*probe, "probe_open", {1, 0});
  EXPECT_EQ(rig.call(*probe, h, 0xF0), code(CallError::kFault));
  EXPECT_NE(rig.hub().last_fault("tmp105-sensor").find("unreachable"), std::string::npos)
      << rig.hub().last_fault("tmp105-sensor");
  EXPECT_EQ(rig.call(*probe, h, kRead), code(CallError::kUnavailable));
  rig.run_ms(1);  // the disable policy runs as deferred work: the provider is stopped
  EXPECT_EQ(rig.scheduler().info(*sensor)->task_state, sched::TaskState::kStopped);
  EXPECT_EQ(rig.call(*probe, h, kRead), code(CallError::kUnavailable));
  EXPECT_EQ(rig.hub().service("sensor.temperature")->stats.faults, 1u);
  // The caller is intact: it still opens and calls.
  EXPECT_GE(*rig.invoke(*probe, "probe_open", {1, 0}), 0);
}

TEST(ServiceCalls, ProviderOverrunIsStoppedAtItsBudgetAndRestarted) {
  Rig rig;
  rig.install("cs_sensor_faulty.wasm", sched::FaultPolicy::kRestart);
  auto probe = rig.install("cs_probe.wasm");
  rig.run_ms(5);
  const std::int32_t h = *rig.invoke(*probe, "probe_open", {1, 0});
  const auto before = rig.scheduler().platform().now();
  EXPECT_EQ(rig.call(*probe, h, 0xF1), code(CallError::kBudget));  // never returns by itself
  const ServiceInfo info = *rig.hub().service("sensor.temperature");
  EXPECT_EQ(info.stats.overruns, 1u);
  // Stopped at the first safe point past its budget: at most one straight-line region more.
  EXPECT_GE(info.stats.fuel_max, 20'000u);
  EXPECT_LT(info.stats.fuel_max, 20'000u + 64);
  // The caller paid for the budget it let the provider use: 4 cycles per fuel unit.
  EXPECT_GE(rig.scheduler().platform().now() - before, 20'000u * 4);
  EXPECT_EQ(rig.call(*probe, h, kRead), code(CallError::kUnavailable));
  rig.run_ms(5);  // the restart policy re-installs the provider; its task calls ready again
  EXPECT_EQ(rig.hub().provider_restarts("tmp105-sensor"), 1u);
  EXPECT_EQ(rig.call(*probe, h, kRead), 8);
  EXPECT_EQ(*rig.invoke(*probe, "probe_reply_i32", {0}), 21'250);
}

TEST(ServiceCalls, NotifyPolicyTellsTheProviderWhichServesAgain) {
  Rig rig;
  auto sensor = rig.install("cs_sensor_faulty.wasm", sched::FaultPolicy::kNotify);
  auto probe = rig.install("cs_probe.wasm");
  rig.run_ms(5);
  const std::int32_t h = *rig.invoke(*probe, "probe_open", {1, 0});
  EXPECT_EQ(rig.call(*probe, h, 0xF0), code(CallError::kFault));
  EXPECT_EQ(rig.call(*probe, h, kRead), code(CallError::kUnavailable));
  rig.run_ms(5);  // its task got WASMIO_EVENT_FAULT, re-initialised the sensor, called ready
  EXPECT_EQ(rig.call(*probe, h, kRead), 8);
  EXPECT_EQ(rig.hub().id_of("tmp105-sensor"), sensor);  // the same instance, not restarted
  EXPECT_EQ(rig.hub().provider_restarts("tmp105-sensor"), 0u);
}

TEST(ServiceCalls, ReplyLongerThanDeclaredIsAProviderFault) {
  Rig rig;
  rig.install("cs_sensor_faulty.wasm", sched::FaultPolicy::kDisable);
  auto probe = rig.install("cs_probe.wasm");
  rig.run_ms(5);
  const std::int32_t h = *rig.invoke(*probe, "probe_open", {1, 0});
  EXPECT_EQ(rig.call(*probe, h, 0xF2, 0, 64), code(CallError::kFault));
  EXPECT_NE(rig.hub().last_fault("tmp105-sensor").find("exceeds its declared maximum 8"),
            std::string::npos);
}

TEST(ServiceCalls, SecondProviderOfAServiceIsRefused) {
  Rig rig;
  rig.install("cs_sensor.wasm");
  std::string error;
  sched::DriverOptions options;
  options.name = "second-sensor";
  auto id = rig.hub().install(Rig::bytes("cs_sensor_v1_1.wasm"), "cs_sensor_v1_1.wasm", options,
                              &error);
  EXPECT_FALSE(id);
  EXPECT_FALSE(error.empty());
}

TEST(ServiceCalls, RemovedProviderLeavesCallersRunning) {
  Rig rig;
  rig.install("cs_sensor.wasm");
  auto probe = rig.install("cs_probe.wasm");
  rig.run_ms(5);
  const std::int32_t h = *rig.invoke(*probe, "probe_open", {1, 0});
  EXPECT_EQ(rig.call(*probe, h, kRead), 8);
  ASSERT_TRUE(rig.hub().remove("tmp105-sensor"));
  EXPECT_EQ(rig.hub().service("sensor.temperature")->state, ServiceState::kNoProvider);
  EXPECT_EQ(rig.call(*probe, h, kRead), code(CallError::kUnavailable));
  EXPECT_FALSE(rig.hub().id_of("tmp105-sensor"));
  rig.install("cs_sensor.wasm");  // its grants were released: it binds again
  rig.run_ms(5);
  EXPECT_EQ(rig.call(*probe, h, kRead), 8);
}

TEST(ServiceCalls, UpdateRebindsHandlesToTheNewVersion) {
  Rig rig;
  rig.install("cs_sensor.wasm");
  auto probe = rig.install("cs_probe.wasm");
  rig.run_ms(5);
  const std::int32_t h = *rig.invoke(*probe, "probe_open", {1, 0});
  EXPECT_EQ(rig.call(*probe, h, kRead), 8);
  std::string error;
  ASSERT_TRUE(rig.hub().update("tmp105-sensor", Rig::bytes("cs_sensor_v1_1.wasm"),
                               "cs_sensor_v1_1.wasm", &error))
      << error;
  EXPECT_EQ(rig.call(*probe, h, kRead), code(CallError::kUpdating));  // not ready yet
  rig.run_ms(5);
  EXPECT_EQ(rig.call(*probe, h, kRead), 8);
  EXPECT_EQ(*rig.invoke(*probe, "probe_reply_i32", {4}), 0x10001);  // version 1.1 answered
  ASSERT_EQ(rig.hub().updates().size(), 1u);
  const UpdateRecord& u = rig.hub().updates()[0];
  ASSERT_TRUE(u.gap());
  ASSERT_TRUE(u.ready_at);
  EXPECT_GT(*u.ready_at, u.at);  // the new driver's init took virtual time
  EXPECT_GE(*u.gap(), *u.ready_at - u.at);
}

TEST(ServiceCalls, UpdateThatCannotBindIsRefusedAndTheOldVersionKeepsServing) {
  Rig rig;
  rig.install("cs_sensor.wasm");
  auto probe = rig.install("cs_probe.wasm");
  rig.run_ms(5);
  const std::int32_t h = *rig.invoke(*probe, "probe_open", {1, 0});
  const auto old_id = rig.hub().id_of("tmp105-sensor");
  std::string error;
  EXPECT_FALSE(rig.hub().update("tmp105-sensor", Rig::bytes("cs_sensor_unbindable.wasm"),
                                "cs_sensor_unbindable.wasm", &error));
  EXPECT_NE(error.find("acme,absent-adc"), std::string::npos) << error;
  EXPECT_EQ(rig.hub().id_of("tmp105-sensor"), old_id);  // not even restarted
  EXPECT_EQ(rig.hub().service("sensor.temperature")->state, ServiceState::kReady);
  EXPECT_EQ(rig.call(*probe, h, kRead), 8);
  EXPECT_EQ(*rig.invoke(*probe, "probe_reply_i32", {4}), 0x10000);
  EXPECT_TRUE(rig.hub().updates().empty());
}

TEST(ServiceCalls, UpdateToAnIncompatibleVersionIsRefused) {
  Rig rig;
  rig.install("cs_sensor_v1_1.wasm");
  rig.run_ms(5);
  std::string error;
  // 1.0 cannot replace 1.1: callers may rely on what 1.1 added.
  EXPECT_FALSE(rig.hub().update("tmp105-sensor", Rig::bytes("cs_sensor.wasm"), "cs_sensor.wasm",
                                &error));
  EXPECT_NE(error.find("not compatible with 1.1"), std::string::npos) << error;
  EXPECT_EQ(rig.hub().service("sensor.temperature")->state, ServiceState::kReady);
}

TEST(ServiceCalls, OneCallAtATimePerProvider) {
  Rig rig;
  rig.install("cs_sensor.wasm");
  auto first = rig.install("cs_probe.wasm", sched::FaultPolicy::kDisable, nullptr, "probe-1");
  auto second = rig.install("cs_probe.wasm", sched::FaultPolicy::kDisable, nullptr, "probe-2");
  rig.run_ms(5);
  const std::int32_t h1 = *rig.invoke(*first, "probe_open", {1, 0});
  const std::int32_t h2 = *rig.invoke(*second, "probe_open", {1, 0});
  auto waiting = rig.call_in_flight(*first, h1);
  EXPECT_EQ(rig.call(*second, h2, kRead), code(CallError::kBusy));  // no hidden queue
  EXPECT_EQ(Rig::finish(*waiting), 8);
  EXPECT_EQ(rig.hub().service("sensor.temperature")->stats.replies, 1u);  // one call, not two
  EXPECT_EQ(rig.call(*second, h2, kRead), 8);
}

TEST(ServiceCalls, UpdateDrainsACallInFlightThroughTheOldVersion) {
  Rig rig;
  rig.install("cs_sensor.wasm");
  auto probe = rig.install("cs_probe.wasm");
  rig.run_ms(5);
  const std::int32_t h = *rig.invoke(*probe, "probe_open", {1, 0});
  auto waiting = rig.call_in_flight(*probe, h);
  std::string error;
  ASSERT_TRUE(rig.hub().update("tmp105-sensor", Rig::bytes("cs_sensor_v1_1.wasm"),
                               "cs_sensor_v1_1.wasm", &error))
      << error;
  EXPECT_EQ(Rig::finish(*waiting), 8);  // answered by 1.0 before it went
  EXPECT_EQ(*rig.invoke(*probe, "probe_reply_i32", {0}), 21'250);
  EXPECT_EQ(*rig.invoke(*probe, "probe_reply_i32", {4}), 0x10000);
  const UpdateRecord& u = rig.hub().updates().at(0);
  EXPECT_NE(u.last_old_reply, sched::kNever);  // the drained reply was the old version's last
  EXPECT_FALSE(u.first_new_reply);
  rig.run_ms(5);
  EXPECT_EQ(rig.call(*probe, h, kRead), 8);
  EXPECT_EQ(*rig.invoke(*probe, "probe_reply_i32", {4}), 0x10001);
}

TEST(ServiceCalls, RemovingACallerMidCallLeavesTheProviderConsistent) {
  Rig rig;
  rig.install("cs_sensor.wasm");
  auto first = rig.install("cs_probe.wasm", sched::FaultPolicy::kDisable, nullptr, "probe-1");
  auto second = rig.install("cs_probe.wasm", sched::FaultPolicy::kDisable, nullptr, "probe-2");
  rig.run_ms(5);
  const std::int32_t h1 = *rig.invoke(*first, "probe_open", {1, 0});
  const std::int32_t h2 = *rig.invoke(*second, "probe_open", {1, 0});
  auto waiting = rig.call_in_flight(*first, h1);
  waiting.reset();  // the harness drops the caller's execution, then the container goes
  ASSERT_TRUE(rig.hub().remove("probe-1"));
  // The sensor finished its I2C transaction for nobody: the bus is idle, the next read is right.
  EXPECT_EQ(rig.call(*second, h2, kRead), 8);
  EXPECT_EQ(*rig.invoke(*second, "probe_reply_i32", {0}), 21'250);
}

}  // namespace
}  // namespace wasmio::services
