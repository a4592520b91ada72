// The host-call path on a raw-memory window: exact widths, offsets relative to the granted
// window, and every refused access trapping only the call that made it.
#include "container_test_support.h"

namespace wasmio::io::test {
namespace {

const char* const kHostCallModule = R"(
(module
  (import "wasmio" "window_handle" (func $handle (param i32 i32 i32) (result i32)))
  (import "wasmio" "reg_read8" (func $r8 (param i32 i32) (result i32)))
  (import "wasmio" "reg_read16" (func $r16 (param i32 i32) (result i32)))
  (import "wasmio" "reg_read32" (func $r32 (param i32 i32) (result i32)))
  (import "wasmio" "reg_read64" (func $r64 (param i32 i32) (result i64)))
  (import "wasmio" "reg_write8" (func $w8 (param i32 i32 i32)))
  (import "wasmio" "reg_write16" (func $w16 (param i32 i32 i32)))
  (import "wasmio" "reg_write32" (func $w32 (param i32 i32 i32)))
  (import "wasmio" "property_read" (func $prop (param i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "dev")
  (data (i32.const 32) "nope")
  (func (export "handle") (param i32) (result i32)
    (call $handle (i32.const 16) (i32.const 3) (local.get 0)))
  (func (export "handle_of_unknown_label") (result i32)
    (call $handle (i32.const 32) (i32.const 4) (i32.const 0)))
  (func (export "read8") (param i32 i32) (result i32) (call $r8 (local.get 0) (local.get 1)))
  (func (export "read16") (param i32 i32) (result i32) (call $r16 (local.get 0) (local.get 1)))
  (func (export "read32") (param i32 i32) (result i32) (call $r32 (local.get 0) (local.get 1)))
  (func (export "read64") (param i32 i32) (result i64) (call $r64 (local.get 0) (local.get 1)))
  (func (export "write8") (param i32 i32 i32) (call $w8 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "write16") (param i32 i32 i32) (call $w16 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "write32") (param i32 i32 i32) (call $w32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "prop_to_guest") (param i32) (result i32)
    (call $prop (i32.const 16) (i32.const 3) (i32.const 32) (i32.const 4) (local.get 0) (i32.const 8)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
)";

class HostCallPath : public ::testing::Test {
 protected:
  void SetUp() override {
    // 0x20 bytes of 8- and 32-bit registers; 16- and 64-bit accesses are not allowed.
    const Manifest m =
        one_window_manifest(AccessPath::kHostCall, "dev", "test,regs", 0x20, kWidth8 | kWidth32);
    ContainerLoad load = raw.load(with_manifest(wat(kHostCallModule), m));
    ASSERT_TRUE(load) << load.error;
    container = std::move(load.container);
    handle = i32_result(container->call("handle", std::vector<Value>{Value::i32(0)}));
  }
  CallResult call(const char* name, std::initializer_list<std::uint32_t> args) {
    std::vector<Value> values;
    for (std::uint32_t a : args) values.push_back(Value::i32(a));
    return container->call(name, values);
  }
  void expect_violation(const CallResult& r, const char* what) {
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error.code, ErrorCode::kAccessViolation) << r.message;
    EXPECT_NE(r.message.find(what), std::string::npos) << r.message;
  }

  RawBoard raw;
  std::unique_ptr<DriverContainer> container;
  std::int32_t handle = -1;
};

TEST_F(HostCallPath, GrantsTheDeclaredWindowAsHandleZero) { EXPECT_EQ(handle, 0); }

TEST_F(HostCallPath, Read32AndWrite32ReachTheWindowAtItsOffset) {
  raw.word(0x40000004) = 0xCAFEF00D;
  EXPECT_EQ(static_cast<std::uint32_t>(i32_result(call("read32", {0, 4}))), 0xCAFEF00Du);
  EXPECT_TRUE(call("write32", {0, 0x1C, 0x12345678}).ok);
  EXPECT_EQ(raw.word(0x4000001C), 0x12345678u);
  EXPECT_EQ(raw.word(0x40000018), 0u);  // nothing else touched
}

TEST_F(HostCallPath, Byte8AccessesTouchExactlyOneByte) {
  raw.word(0x40000008) = 0x44332211;
  EXPECT_EQ(i32_result(call("read8", {0, 0x0A})), 0x33);
  EXPECT_TRUE(call("write8", {0, 0x09, 0x1AB}).ok);  // only the low byte is stored
  EXPECT_EQ(raw.word(0x40000008), 0x4433AB11u);
}

TEST_F(HostCallPath, WidthsTheManifestDoesNotAllowTrap) {
  expect_violation(call("read16", {0, 0}), "reg_read16");
  expect_violation(call("write16", {0, 0, 1}), "access width not allowed");
  const CallResult r64 = container->call("read64", std::vector<Value>{Value::i32(0), Value::i32(0)});
  expect_violation(r64, "reg_read64");
}

TEST_F(HostCallPath, AccessesOutsideTheGrantTrapEvenInsideTheDevice) {
  // The node's reg entry is 4 KiB but the manifest asked for 0x20 bytes: that is the grant.
  expect_violation(call("read32", {0, 0x20}), "outside the register window");
  expect_violation(call("write32", {0, 0x1E, 0}), "misaligned");
  expect_violation(call("read32", {0, 0xFFFFFFFC}), "outside the register window");
  EXPECT_EQ(raw.word(0x40000020), 0u);
}

TEST_F(HostCallPath, ForgedHandlesTrap) {
  expect_violation(call("read32", {1, 0}), "no window has this handle");
  expect_violation(call("write32", {0xFFFFFFFF, 0, 7}), "no window has this handle");
}

TEST_F(HostCallPath, UndeclaredWindowsAndLabelsTrapAtResolution) {
  expect_violation(container->call("handle", std::vector<Value>{Value::i32(1)}),
                   "declares no such window");
  expect_violation(container->call("handle_of_unknown_label"), "no such peripheral");
}

TEST_F(HostCallPath, TheContainerKeepsWorkingAfterATrap) {
  expect_violation(call("read32", {0, 0x40}), "outside");
  EXPECT_EQ(i32_result(call("add", {2, 3})), 5);
  raw.word(0x40000000) = 7;
  EXPECT_EQ(i32_result(call("read32", {0, 0})), 7);
}

TEST_F(HostCallPath, UndeclaredPropertiesAreNotServed) {
  EXPECT_EQ(i32_result(call("prop_to_guest", {64})), -1);
  expect_violation(call("prop_to_guest", {0xFFFFFFF0}), "outside the driver's memory");
}

TEST(HostCallPathSim, ReachesTheSimulatedUartRegisters) {
  auto session = an385_session();
  ASSERT_TRUE(session);
  const Manifest m = one_window_manifest(AccessPath::kHostCall, "dev", "arm,cmsdk-uart", 0x14,
                                         kWidth32);
  ContainerLoad load = session->load(with_manifest(wat(kHostCallModule), m), "uart.wasm");
  ASSERT_TRUE(load) << load.error;
  DriverContainer& c = *load.container;
  // BAUDDIV (0x10) is storage; the model keeps 20 bits.
  EXPECT_TRUE(c.call("write32", std::vector<Value>{Value::i32(0), Value::i32(0x10),
                                                   Value::i32(0xFFFFFFFF)}).ok);
  EXPECT_EQ(static_cast<std::uint32_t>(i32_result(
                c.call("read32", std::vector<Value>{Value::i32(0), Value::i32(0x10)}))),
            0xFFFFFu);
  EXPECT_EQ(test::i32_result(c.call("read32", std::vector<Value>{Value::i32(0), Value::i32(4)})), 0);
}

}  // namespace
}  // namespace wasmio::io::test

namespace wasmio::io::test {
namespace {

const char* const kWide = R"(
(module
  (import "wasmio" "reg_read64" (func $r64 (param i32 i32) (result i64)))
  (import "wasmio" "reg_write64" (func $w64 (param i32 i32 i64)))
  (memory 1)
  (func (export "read64") (param i32) (result i64) (call $r64 (i32.const 0) (local.get 0)))
  (func (export "write64") (param i32 i64) (call $w64 (i32.const 0) (local.get 0) (local.get 1))))
)";

// 64-bit registers where the bus takes them: a raw window whose manifest allows 64-bit access.
TEST(HostCallPath64, RawWindowsTakeSixtyFourBitAccesses) {
  RawBoard raw;
  const Manifest m = one_window_manifest(AccessPath::kHostCall, "dev", "test,regs", 0x20,
                                         kWidth32 | kWidth64);
  ContainerLoad load = raw.load(with_manifest(wat(kWide), m));
  ASSERT_TRUE(load) << load.error;
  DriverContainer& c = *load.container;
  EXPECT_TRUE(c.call("write64", std::vector<Value>{Value::i32(8), Value::i64(0x1122334455667788ull)}).ok);
  EXPECT_EQ(raw.word(0x40000008), 0x55667788u);
  EXPECT_EQ(raw.word(0x4000000C), 0x11223344u);
  const CallResult r = c.call("read64", std::vector<Value>{Value::i32(8)});
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.results[0].of.i64, 0x1122334455667788ull);
  EXPECT_EQ(c.call("read64", std::vector<Value>{Value::i32(4)}).error.code, ErrorCode::kAccessViolation);
}

// The APB devices of the simulated board take at most 32 bits: a 64-bit access traps even when
// the manifest allows it.
TEST(HostCallPath64, ApbDevicesRefuseSixtyFourBitAccesses) {
  auto session = an385_session();
  ASSERT_TRUE(session);
  const Manifest m = one_window_manifest(AccessPath::kHostCall, "dev", "arm,cmsdk-timer", 0x10,
                                         kWidth32 | kWidth64);
  ContainerLoad load = session->load(with_manifest(wat(kWide), m), "timer.wasm");
  ASSERT_TRUE(load) << load.error;
  const CallResult r = load.container->call("read64", std::vector<Value>{Value::i32(0)});
  EXPECT_EQ(r.error.code, ErrorCode::kAccessViolation) << r.message;
}

}  // namespace
}  // namespace wasmio::io::test
