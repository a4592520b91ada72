// Isolation: a container reaches only its own grants. Forged handles, undeclared labels and
// addresses in the map range outside its windows trap that container; the host and the other
// container on the same board keep working and their devices stay untouched.
#include "container_test_support.h"

#include "io/sim/cmsdk_uart.h"
#include "io/sim/mps2_fpgaio.h"

namespace wasmio::io::test {
namespace {

const char* const kIntruder = R"(
(module
  (import "wasmio" "window_handle" (func $handle (param i32 i32 i32) (result i32)))
  (import "wasmio" "window_base" (func $base (param i32) (result i32)))
  (import "wasmio" "reg_write32" (func $w32 (param i32 i32 i32)))
  (memory 1)
  (data (i32.const 16) "leds")
  (data (i32.const 32) "console")
  (func $mine (result i32) (call $base (call $handle (i32.const 16) (i32.const 4) (i32.const 0))))
  (func (export "set_leds") (param i32) (i32.store (call $mine) (local.get 0)))
  (func (export "store_at") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "write_handle") (param i32 i32 i32) (call $w32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "console_handle") (result i32) (call $handle (i32.const 32) (i32.const 7) (i32.const 0))))
)";

TEST(ContainerIsolation, AnotherContainerCannotReachTheUartAndTheUartDriverKeepsWorking) {
  auto session = an385_session();
  ASSERT_TRUE(session);
  ContainerLoad uart = session->load(built_driver("uart_hello", "host_call"), "uart_hello.wasm");
  ASSERT_TRUE(uart) << uart.error;
  const Manifest m = one_window_manifest(AccessPath::kMapped, "leds", "arm,mps2-fpgaio", 0x24, kWidth32);
  ContainerLoad intruder = session->load(with_manifest(wat(kIntruder), m), "intruder.wasm");
  ASSERT_TRUE(intruder) << intruder.error;
  EXPECT_EQ(session->registry().container_count(), 2u);

  auto* uart0 = session->board().find_as<sim::CmsdkUart>("uart0");
  auto* fpgaio = session->board().find_as<sim::Mps2Fpgaio>("fpgaio");
  ASSERT_NE(uart0, nullptr);
  ASSERT_NE(fpgaio, nullptr);

  DriverContainer& bad = *intruder.container;
  EXPECT_TRUE(bad.call("set_leds", std::vector<Value>{Value::i32(3)}).ok);
  EXPECT_EQ(fpgaio->leds(), 3u);

  // Everything else it tries ends its own call with an access violation.
  const std::vector<std::vector<Value>> stores = {
      {Value::i32(0xF0001000), Value::i32('X')},  // the next page of the map range
      {Value::i32(0xF0000024), Value::i32('X')},  // just past its window
      {Value::i32(0xF0FFFFFC), Value::i32('X')},
  };
  for (const auto& args : stores) {
    const CallResult r = bad.call("store_at", args);
    EXPECT_EQ(r.error.code, ErrorCode::kAccessViolation) << r.message;
  }
  for (std::uint32_t forged : {1u, 2u, 0x7FFFFFFFu, 0xFFFFFFFFu}) {
    const CallResult r = bad.call("write_handle", std::vector<Value>{Value::i32(forged),
                                                                     Value::i32(0), Value::i32('X')});
    EXPECT_EQ(r.error.code, ErrorCode::kAccessViolation) << r.message;
  }
  const CallResult named = bad.call("console_handle");
  EXPECT_EQ(named.error.code, ErrorCode::kAccessViolation) << named.message;
  EXPECT_NE(named.message.find("no such peripheral"), std::string::npos) << named.message;

  // The UART saw nothing of it, and its own driver still works.
  session->board().clock().advance(100000);
  EXPECT_EQ(uart0->transmitted().text(), "");
  EXPECT_EQ(i32_result(uart.container->call("main")), 26);
  session->board().clock().advance(100000);
  EXPECT_EQ(uart0->transmitted().text(), "hello from a wasm driver\r\n");
  EXPECT_EQ(fpgaio->leds(), 3u);
}

TEST(ContainerIsolation, ATrapInOneContainerLeavesTheOtherMidWork) {
  auto session = an385_session();
  ASSERT_TRUE(session);
  ContainerLoad leds = session->load(built_driver("leds", "copy"), "leds.wasm");
  ASSERT_TRUE(leds) << leds.error;
  const Manifest m = one_window_manifest(AccessPath::kMapped, "leds", "arm,cmsdk-timer", 0x10, kWidth32);
  ContainerLoad other = session->load(with_manifest(wat(kIntruder), m), "timer.wasm");
  ASSERT_TRUE(other) << other.error;
  EXPECT_TRUE(leds.container->call("set_leds", std::vector<Value>{Value::i32(1)}).ok);
  EXPECT_FALSE(other.container->call("store_at", std::vector<Value>{Value::i32(0xF0000010),
                                                                    Value::i32(1)}).ok);
  EXPECT_EQ(i32_result(leds.container->call("get_leds")), 1);
  EXPECT_TRUE(leds.container->call("set_leds", std::vector<Value>{Value::i32(2)}).ok);
  EXPECT_EQ(session->board().find_as<sim::Mps2Fpgaio>("fpgaio")->leds(), 2u);
}

}  // namespace
}  // namespace wasmio::io::test
