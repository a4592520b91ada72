// The async tests' driver container on the mps2-an385-dma board (async_transfer_test.cpp,
// async_spi_dma_test.cpp): a guest that forwards every "wasmio_async" import to an export of
// the same name, granted uart0, the shield-0 PL022 (the W25Q16JV flash) and the shield-1 SBCon
// (the TMP105), and the fixture that loads it with a client of the service.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "async_test_support.h"
#include "container_test_support.h"
#include "io/async/container_hook.h"
#include "io/container/board_session.h"
#include "io/sim/cmsdk_uart.h"
#include "io/sim/spi_nor_flash.h"

namespace wasmio::io::async {

inline constexpr std::uint64_t kUart0 = 0x40004000;
inline constexpr std::uint32_t kResultAt = 0xFFF0;  // where the guest's `result` writes bytes done

// Handles: 0 uart0, 1 shield-0 SPI, 2 shield-1 I2C (the TMP105's bus), in manifest order.
inline const char* kDriverWat = R"((module
  (import "wasmio_async" "uart_write" (func $uw (param i32 i32 i32 i32) (result i32)))
  (import "wasmio_async" "uart_read" (func $ur (param i32 i32 i32 i32) (result i32)))
  (import "wasmio_async" "spi_transfer" (func $st (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasmio_async" "i2c_transfer" (func $it (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasmio_async" "result" (func $res (param i32 i32) (result i32)))
  (import "wasmio_async" "cancel" (func $can (param i32) (result i32)))
  (memory (export "memory") 1 8)
  (func (export "uart_write") (param i32 i32 i32 i32) (result i32)
    (call $uw (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "uart_read") (param i32 i32 i32 i32) (result i32)
    (call $ur (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "spi_transfer") (param i32 i32 i32 i32 i32) (result i32)
    (call $st (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))
  (func (export "i2c_transfer") (param i32 i32 i32 i32 i32 i32 i32) (result i32)
    (call $it (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5)
              (local.get 6)))
  (func (export "result") (param i32) (result i32) (call $res (local.get 0) (i32.const 0xFFF0)))
  (func (export "result_at") (param i32 i32) (result i32) (call $res (local.get 0) (local.get 1)))
  (func (export "bytes_done") (result i32) (i32.load (i32.const 0xFFF0)))
  (func (export "cancel") (param i32) (result i32) (call $can (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
))";

inline PeripheralNeed need(const std::string& label, const std::string& compatible,
                           std::uint32_t size) {
  PeripheralNeed p;
  p.label = label;
  p.compatible = {compatible};
  WindowNeed w;
  w.widths = kWidth32;
  w.min_size = size;
  p.windows.push_back(w);
  return p;
}

inline Manifest driver_manifest(const std::string& name, bool uart, bool spi, bool i2c) {
  Manifest m;
  m.driver = name;
  m.access_path = AccessPath::kHostCall;
  if (uart) m.peripherals.push_back(need("serial", "arm,cmsdk-uart", 0x14));
  if (spi) m.peripherals.push_back(need("flash_bus", "arm,pl022", 0x28));
  if (i2c) m.peripherals.push_back(need("sensor_bus", "arm,versatile-i2c", 0x8));
  return m;
}

inline Deployment pins(bool uart, bool spi, bool i2c) {
  Deployment d;
  if (uart) d.pins.push_back({"serial", "uart0"});
  if (spi) d.pins.push_back({"flash_bus", "spi_shield0"});
  if (i2c) d.pins.push_back({"sensor_bus", "i2c_shield1"});
  return d;
}

class AsyncTransfer : public ::testing::Test {
 protected:
  void SetUp() override { open(options()); }
  // A fresh board, service and container (a test may compare two service configurations).
  void open(AsyncIo::Options o) {
    container.reset();
    service.reset();
    session.reset();
    events = 0;
    std::string error;
    session = BoardSession::open_file(test::an385_dma_dtb_path(), &error);
    ASSERT_NE(session, nullptr) << error;
    service = std::make_unique<AsyncIo>(session->board(), session->tree().board(), std::move(o));
    uart = session->board().find_as<sim::CmsdkUart>("uart0");
    flash = session->board().find_as<sim::SpiNorFlash>("spi_flash");
    ASSERT_NE(uart, nullptr);
    ASSERT_NE(flash, nullptr);
    load("async-test", true, true, true);
  }
  // Interrupt-driven unless a test says otherwise (the board has a PL081).
  virtual AsyncIo::Options options() {
    AsyncIo::Options o;
    o.use_dma = false;
    return o;
  }

  void load(const std::string& name, bool u, bool s, bool i) {
    ContainerOptions o;
    o.name = name;
    o.deployment = pins(u, s, i);
    client = enable_async(o, *service, session->windows(),
                          [this](std::uint32_t bits) { events |= bits; });
    auto bytes = test::with_manifest(test::wat(kDriverWat), driver_manifest(name, u, s, i));
    ContainerLoad l = session->load(bytes, name + ".wasm", std::move(o));
    ASSERT_TRUE(l) << l.error;
    container = std::move(l.container);
  }

  std::int32_t call(const char* name, std::vector<std::uint32_t> args) {
    std::vector<Value> values;
    for (std::uint32_t a : args) values.push_back(Value::i32(a));
    CallResult r = container->call(name, values);
    EXPECT_TRUE(r.ok) << r.message;
    return r.ok ? static_cast<std::int32_t>(r.results.at(0).of.i32) : INT32_MIN;
  }
  std::span<std::uint8_t> mem() { return Store::memory_data(container->instance().memory(0)); }
  void put(std::uint32_t at, const std::string& s) {
    std::memcpy(mem().data() + at, s.data(), s.size());
  }
  std::string get(std::uint32_t at, std::size_t n) {
    return std::string(reinterpret_cast<const char*>(mem().data() + at), n);
  }
  void wr(std::uint64_t a, std::uint32_t v) {
    ASSERT_EQ(session->board().write(a, 4, v), sim::BusStatus::kOk);
  }
  std::uint32_t rd(std::uint64_t a) {
    return static_cast<std::uint32_t>(session->board().read(a, 4).value);
  }
  void uart_setup(std::uint32_t ctrl) {
    wr(kUart0 + 0x10, 16);    // BAUDDIV: a frame is 160 cycles
    wr(kUart0 + 0x08, ctrl);  // enables only; the service sets the interrupt enables it needs
  }
  void spi_setup() {
    wr(test::kFpgaioMisc, test::kFlashCsBit);
    wr(test::kShield0Spi + 0x00, 0x00C7);  // 8-bit, mode 3
    wr(test::kShield0Spi + 0x10, 2);
    wr(test::kShield0Spi + 0x04, 2);
    wr(test::kFpgaioMisc, 0);  // select the flash for the transfer
  }
  void run() { service->run_until_idle(session->board().clock().now() + 50'000'000); }

  std::unique_ptr<BoardSession> session;
  std::unique_ptr<AsyncIo> service;
  std::unique_ptr<DriverContainer> container;
  AsyncClient* client = nullptr;
  sim::CmsdkUart* uart = nullptr;
  sim::SpiNorFlash* flash = nullptr;
  std::uint32_t events = 0;
};

}  // namespace wasmio::io::async
