// The copy path: pull/push move whole registers between the window and the guest's shadow,
// skipping volatile ranges both ways; refused ranges trap the container.
#include "container_test_support.h"

#include "io/access/copy_path.h"
#include "io/sim/cmsdk_timer.h"

namespace wasmio::io::test {
namespace {

const char* const kCopyModule = R"(
(module
  (import "wasmio" "window_handle" (func $handle (param i32 i32 i32) (result i32)))
  (import "wasmio" "shadow_pull" (func $pull (param i32 i32 i32 i32) (result i32)))
  (import "wasmio" "shadow_push" (func $push (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "dev")
  ;; the shadow lives at 0x1000
  (func (export "pull") (param i32 i32) (result i32)
    (call $pull (call $handle (i32.const 16) (i32.const 3) (i32.const 0))
                (local.get 0) (local.get 1) (i32.const 0x1000)))
  (func (export "push") (param i32 i32) (result i32)
    (call $push (call $handle (i32.const 16) (i32.const 3) (i32.const 0))
                (local.get 0) (local.get 1) (i32.const 0x1000)))
  (func (export "push_from") (param i32) (result i32)
    (call $push (i32.const 0) (i32.const 0) (i32.const 0x20) (local.get 0)))
  (func (export "shadow") (param i32) (result i32) (i32.load (i32.add (i32.const 0x1000) (local.get 0))))
  (func (export "set_shadow") (param i32 i32) (i32.store (i32.add (i32.const 0x1000) (local.get 0)) (local.get 1))))
)";

class CopyPath : public ::testing::Test {
 protected:
  void SetUp() override {
    // 0x20 bytes of 32-bit registers; 0x08..0x0F is volatile (say, a FIFO and a W1C status).
    const Manifest m = one_window_manifest(AccessPath::kCopy, "dev", "test,regs", 0x20, kWidth32,
                                           {VolatileRange{0x08, 8}});
    ContainerLoad load = raw.load(with_manifest(wat(kCopyModule), m));
    ASSERT_TRUE(load) << load.error;
    container = std::move(load.container);
    for (std::uint32_t i = 0; i < 8; ++i) raw.word(0x40000000 + 4 * i) = 0x100 + i;
  }
  CallResult call(const char* name, std::initializer_list<std::uint32_t> args) {
    std::vector<Value> values;
    for (std::uint32_t a : args) values.push_back(Value::i32(a));
    return container->call(name, values);
  }
  std::uint32_t shadow(std::uint32_t offset) {
    return static_cast<std::uint32_t>(i32_result(call("shadow", {offset})));
  }

  RawBoard raw;
  std::unique_ptr<DriverContainer> container;
};

TEST_F(CopyPath, PullCopiesRegistersButNeverVolatileOnes) {
  ASSERT_EQ(i32_result(call("pull", {0, 0x20})), 0);
  EXPECT_EQ(shadow(0x00), 0x100u);
  EXPECT_EQ(shadow(0x04), 0x101u);
  EXPECT_EQ(shadow(0x08), 0u);  // volatile: not read
  EXPECT_EQ(shadow(0x0C), 0u);
  EXPECT_EQ(shadow(0x1C), 0x107u);
}

TEST_F(CopyPath, PullOfASubrangeTouchesOnlyThatRange) {
  ASSERT_EQ(i32_result(call("pull", {0x10, 8})), 0);
  EXPECT_EQ(shadow(0x0C), 0u);
  EXPECT_EQ(shadow(0x10), 0x104u);
  EXPECT_EQ(shadow(0x14), 0x105u);
  EXPECT_EQ(shadow(0x18), 0u);
}

TEST_F(CopyPath, PushWritesBackAllButVolatileRegisters) {
  for (std::uint32_t o = 0; o < 0x20; o += 4) ASSERT_TRUE(call("set_shadow", {o, 0xA00 + o}).ok);
  ASSERT_EQ(i32_result(call("push", {0, 0x20})), 0);
  EXPECT_EQ(raw.word(0x40000000), 0xA00u);
  EXPECT_EQ(raw.word(0x40000008), 0x102u);  // volatile: untouched
  EXPECT_EQ(raw.word(0x4000000C), 0x103u);
  EXPECT_EQ(raw.word(0x4000001C), 0xA1Cu);
}

TEST_F(CopyPath, RefusedRangesTrap) {
  for (const auto& args : {std::pair<std::uint32_t, std::uint32_t>{0x1C, 8}, {0, 0x21}, {2, 4},
                           {0, 6}, {0xFFFFFFFC, 8}}) {
    const CallResult r = call("pull", {args.first, args.second});
    EXPECT_EQ(r.error.code, ErrorCode::kAccessViolation) << args.first << "+" << args.second;
  }
  const CallResult r = call("push_from", {0xFFFFFFF0});  // shadow outside linear memory
  EXPECT_EQ(r.error.code, ErrorCode::kAccessViolation) << r.message;
  EXPECT_NE(r.message.find("outside the driver's memory"), std::string::npos) << r.message;
  EXPECT_EQ(raw.word(0x40000000), 0x100u);
}

TEST(CopyPathSim, PushProgramsTheTimerAndVolatileValueKeepsCounting) {
  auto session = an385_session();
  ASSERT_TRUE(session);
  // CTRL, VALUE, RELOAD, INTSTATUS: VALUE counts and INTSTATUS is write-1-to-clear.
  const Manifest m = one_window_manifest(AccessPath::kCopy, "dev", "arm,cmsdk-timer", 0x10,
                                         kWidth32, {VolatileRange{0x04, 4}, VolatileRange{0x0C, 4}});
  ContainerLoad load = session->load(with_manifest(wat(kCopyModule), m), "timer.wasm");
  ASSERT_TRUE(load) << load.error;
  DriverContainer& c = *load.container;
  auto set = [&](std::uint32_t o, std::uint32_t v) {
    EXPECT_TRUE(c.call("set_shadow", std::vector<Value>{Value::i32(o), Value::i32(v)}).ok);
  };
  set(0x00, 1);       // CTRL: enable
  set(0x04, 0xDEAD);  // VALUE (volatile): must not be written
  set(0x08, 1000);    // RELOAD (also loads VALUE)
  EXPECT_EQ(i32_result(c.call("push", std::vector<Value>{Value::i32(0), Value::i32(0x10)})), 0);
  const std::uint64_t timer0 = 0x40000000;
  EXPECT_EQ(session->board().read(timer0 + 0x08, 4).value, 1000u);
  EXPECT_EQ(session->board().read(timer0 + 0x00, 4).value, 1u);
  EXPECT_NE(session->board().read(timer0 + 0x04, 4).value, 0xDEADu);
  EXPECT_LE(session->board().read(timer0 + 0x04, 4).value, 1000u);
}

}  // namespace
}  // namespace wasmio::io::test
