// The SDK-built async drivers (drivers/async/async_demo.wasm) in a container on the
// mps2-an385-dma board: UART block write and read, SPI flash JEDEC ID and read, the TMP105 as
// one I2C transaction, with the board's PL081 and without.
#include <gtest/gtest.h>

#include <cstring>

#include "async_test_support.h"
#include "container_test_support.h"
#include "io/async/container_hook.h"
#include "io/container/board_session.h"
#include "io/sim/cmsdk_uart.h"
#include "io/sim/spi_nor_flash.h"
#include "io/sim/tmp105.h"

namespace wasmio::io::async {
namespace {

class AsyncDriver : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string error;
    session = BoardSession::open_file(test::an385_dma_dtb_path(), &error);
    ASSERT_NE(session, nullptr) << error;
    AsyncIo::Options o;
    o.use_dma = GetParam();
    service = std::make_unique<AsyncIo>(session->board(), session->tree().board(), o);
    ContainerOptions options;
    options.deployment.pins = {{"serial", "uart0"}, {"flash_bus", "spi_shield0"}};
    enable_async(options, *service, session->windows(),
                 [this](std::uint32_t bits) { events |= bits; });
    const auto bytes =
        test::read_binary(std::string(WASMIO_ASYNC_DRIVERS_DIR) + "/async_demo.wasm");
    ASSERT_FALSE(bytes.empty());
    ContainerLoad l = session->load(bytes, "async_demo.wasm", std::move(options));
    ASSERT_TRUE(l) << l.error;
    driver = std::move(l.container);
    ASSERT_EQ(call("init", {}), 0);
  }
  std::int32_t call(const char* name, std::vector<std::uint32_t> args) {
    std::vector<Value> values;
    for (std::uint32_t a : args) values.push_back(Value::i32(a));
    CallResult r = driver->call(name, values);
    EXPECT_TRUE(r.ok) << r.message;
    return r.ok ? static_cast<std::int32_t>(r.results.at(0).of.i32) : INT32_MIN;
  }
  // Runs the board until the op ends; its final status.
  std::int32_t complete(std::int32_t op, bool spi) {
    EXPECT_GT(op, 0);
    service->run_until_idle(session->board().clock().now() + 100'000'000);
    return call("finish", {static_cast<std::uint32_t>(op), spi ? 1u : 0u});
  }
  std::span<std::uint8_t> mem(std::uint32_t at, std::size_t n) {
    return Store::memory_data(driver->instance().memory(0)).subspan(at, n);
  }

  std::unique_ptr<BoardSession> session;
  std::unique_ptr<AsyncIo> service;
  std::unique_ptr<DriverContainer> driver;
  std::uint32_t events = 0;
};

TEST_P(AsyncDriver, UartBlockWriteAndRead) {
  auto* uart = session->board().find_as<sim::CmsdkUart>("uart0");
  EXPECT_EQ(complete(call("uart_send", {}), false), kDone);
  session->board().clock().advance(100'000);
  EXPECT_EQ(uart->transmitted().text(),
            "async I/O: this line left linear memory in one transfer\r\n");
  uart->inject_rx("sensor,42\n");
  EXPECT_EQ(complete(call("uart_receive", {10}), false), kDone);
  EXPECT_EQ(call("bytes_done", {}), 10);
  const auto rx = mem(static_cast<std::uint32_t>(call("rx_buffer", {})), 10);
  EXPECT_EQ(std::string(rx.begin(), rx.end()), "sensor,42\n");
  EXPECT_EQ(events, 0x3u);
}

TEST_P(AsyncDriver, SpiFlashJedecIdAndRead) {
  auto* flash = session->board().find_as<sim::SpiNorFlash>("spi_flash");
  for (int i = 0; i < 200; ++i) flash->memory()[0x2000 + i] = static_cast<std::uint8_t>(255 - i);
  const auto buf = static_cast<std::uint32_t>(call("spi_buffer", {}));
  EXPECT_EQ(complete(call("flash_jedec", {}), true), kDone);
  EXPECT_EQ(mem(buf + 1, 1)[0], 0xEF);
  EXPECT_EQ(mem(buf + 2, 1)[0], 0x40);
  EXPECT_EQ(mem(buf + 3, 1)[0], 0x15);
  EXPECT_FALSE(flash->selected());  // released by the driver after the transfer
  EXPECT_EQ(complete(call("flash_read", {0x2000, 200}), true), kDone);
  EXPECT_EQ(call("bytes_done", {}), 204);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(mem(buf + 4 + i, 1)[0], 255 - i) << i;
  EXPECT_EQ(events, 0x4u);
}

TEST_P(AsyncDriver, Tmp105TemperatureInOneTransaction) {
  auto* tmp = session->board().find_as<sim::Tmp105>("tmp105");
  ASSERT_TRUE(tmp->set_temperature_mc(31'250));
  EXPECT_EQ(complete(call("temperature_start", {}), false), kDone);
  EXPECT_EQ(call("temperature_mc", {}), 31'000);  // the 9-bit reset resolution: 0.5 degC steps
  EXPECT_EQ(events, 0x8u);
}

INSTANTIATE_TEST_SUITE_P(InterruptAndDma, AsyncDriver, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Dma" : "Interrupt"; });

}  // namespace
}  // namespace wasmio::io::async
