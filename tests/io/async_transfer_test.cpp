// The async I/O service through a driver container on the mps2-an385-dma board: every transfer
// kind completes with the right data, polled and with event flags; device errors and
// cancellation hand the buffer back with the bytes done; refused buffers; memory growth during
// a transfer; a container removed with transfers in flight; another container unaffected.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "async_container_fixture.h"
#include "io/sim/i2c_bus.h"
#include "io/sim/sbcon_i2c.h"
#include "io/sim/spi_nor_flash.h"
#include "io/sim/tmp105.h"

namespace wasmio::io::async {
namespace {

TEST_F(AsyncTransfer, UartWriteSendsTheBufferAndPostsTheEvent) {
  uart_setup(1);
  const std::string text = "split-phase transfer from linear memory, 64 bytes long......!!";
  put(0x100, text);
  const std::int32_t op =
      call("uart_write", {0, 0x100, static_cast<std::uint32_t>(text.size()), 0x4});
  ASSERT_GT(op, 0);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kRunning);
  EXPECT_EQ(events, 0u);
  run();
  EXPECT_EQ(events, 0x4u);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kDone);
  EXPECT_EQ(call("bytes_done", {}), static_cast<std::int32_t>(text.size()));
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kUnknownOp);  // taken once
  session->board().clock().advance(1000);  // the last frames leave the shifter
  EXPECT_EQ(uart->transmitted().text(), text);
  EXPECT_EQ(rd(kUart0 + 0x08), 1u);  // interrupt enables back as the driver had them
  EXPECT_GT(service->interrupts_serviced(), 10u);
}

TEST_F(AsyncTransfer, UartReadFillsTheBuffer) {
  uart_setup(2);
  uart->inject_rx("0123456789abcdef");
  const std::int32_t op = call("uart_read", {0, 0x200, 12, 0x1});
  ASSERT_GT(op, 0);
  run();
  EXPECT_EQ(events, 0x1u);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kDone);
  EXPECT_EQ(call("bytes_done", {}), 12);
  EXPECT_EQ(get(0x200, 12), "0123456789ab");
}

TEST_F(AsyncTransfer, SpiTransferReadsTheFlash) {
  for (int i = 0; i < 40; ++i) flash->memory()[0x1000 + i] = static_cast<std::uint8_t>(i * 7 + 1);
  spi_setup();
  std::string tx(44, '\0');
  tx[0] = 0x03;
  tx[2] = 0x10;  // address 0x001000
  put(0x300, tx);
  const std::int32_t op = call("spi_transfer", {1, 0x300, 0x400, 44, 0x2});
  ASSERT_GT(op, 0);
  run();
  wr(test::kFpgaioMisc, test::kFlashCsBit);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kDone);
  EXPECT_EQ(call("bytes_done", {}), 44);
  EXPECT_EQ(events, 0x2u);
  for (int i = 0; i < 40; ++i)
    EXPECT_EQ(mem()[0x404 + i], static_cast<std::uint8_t>(i * 7 + 1)) << i;
}

TEST_F(AsyncTransfer, SpiTransferInPlaceReadsTheJedecId) {
  spi_setup();
  put(0x300, std::string("\x9F\0\0\0", 4));
  const std::int32_t op = call("spi_transfer", {1, 0x300, 0x300, 4, 0});
  ASSERT_GT(op, 0);
  run();
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kDone);
  EXPECT_EQ(get(0x300, 4), std::string("\xFF\xEF\x40\x15", 4));
}

TEST_F(AsyncTransfer, I2cWriteThenReadGetsTheTmp105Temperature) {
  auto* tmp = session->board().find_as<sim::Tmp105>("tmp105");
  ASSERT_NE(tmp, nullptr);
  ASSERT_TRUE(tmp->set_temperature_mc(25'500));
  put(0x500, std::string("\0", 1));  // pointer register 0: temperature
  const std::int32_t op = call("i2c_transfer", {2, 0x48, 0x500, 1, 0x510, 2, 0x8});
  ASSERT_GT(op, 0);
  run();
  EXPECT_EQ(events, 0x8u);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kDone);
  EXPECT_EQ(call("bytes_done", {}), 3);
  EXPECT_EQ(get(0x510, 2), std::string("\x19\x80", 2));  // 25.5 degC, 9-bit reading
}

TEST_F(AsyncTransfer, I2cNackHandsTheBufferBackWithTheError) {
  put(0x500, std::string("\0", 1));
  const std::int32_t op = call("i2c_transfer", {2, 0x49, 0x500, 1, 0x510, 2, 0x8});  // nobody
  ASSERT_GT(op, 0);
  run();
  EXPECT_EQ(events, 0x8u);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kDeviceError);
  EXPECT_EQ(call("bytes_done", {}), 0);
  // The buffer is back: a transfer on it starts (and the bus was left idle by the STOP).
  const std::int32_t again = call("i2c_transfer", {2, 0x48, 0x500, 1, 0x510, 2, 0});
  ASSERT_GT(again, 0);
  run();
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(again)}), kDone);
}

TEST_F(AsyncTransfer, CancelMidTransferReportsBytesDoneAndQuiesces) {
  uart_setup(1);
  put(0x100, std::string(64, 'x'));
  const std::int32_t op = call("uart_write", {0, 0x100, 64, 0x4});
  ASSERT_GT(op, 0);
  // Run ~10 frames of the 64, taking interrupts.
  service->run_until_idle(session->board().clock().now() + 10 * 160);
  EXPECT_EQ(call("cancel", {static_cast<std::uint32_t>(op)}), kDone);
  EXPECT_EQ(events, 0x4u);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kCancelled);
  const std::int32_t done = call("bytes_done", {});
  EXPECT_GT(done, 2);
  EXPECT_LT(done, 64);
  EXPECT_EQ(rd(kUart0 + 0x08), 1u);  // TX interrupt enable cleared again
  EXPECT_EQ(service->running(), 0u);
  session->board().clock().advance(100'000);
  EXPECT_EQ(uart->transmitted().text().size(), static_cast<std::size_t>(done));  // nothing more
  EXPECT_EQ(call("cancel", {static_cast<std::uint32_t>(op)}), kUnknownOp);
}

TEST_F(AsyncTransfer, CancelBeforeTheFirstBitLeavesTheBusUntouched) {
  auto* bus = session->board().find_as<sim::SbconI2c>("i2c_shield1");
  ASSERT_NE(bus, nullptr);
  const std::size_t trace_before = bus->bus().trace().size();
  put(0x500, std::string("\0", 1));
  const std::int32_t op = call("i2c_transfer", {2, 0x48, 0x500, 1, 0x510, 2, 0x8});
  ASSERT_GT(op, 0);
  EXPECT_EQ(call("cancel", {static_cast<std::uint32_t>(op)}), kDone);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kCancelled);
  EXPECT_EQ(call("bytes_done", {}), 0);
  session->board().clock().advance(1'000'000);
  EXPECT_EQ(bus->bus().trace().size(), trace_before);
}

TEST_F(AsyncTransfer, CancelledI2cMidByteEndsWithStop) {
  auto* bus = session->board().find_as<sim::SbconI2c>("i2c_shield1");
  put(0x500, std::string("\0", 1));
  const std::int32_t op = call("i2c_transfer", {2, 0x48, 0x500, 1, 0x510, 2, 0});
  session->board().clock().advance(12 * 250);  // address byte and a bit of the next
  EXPECT_EQ(call("cancel", {static_cast<std::uint32_t>(op)}), kDone);
  ASSERT_FALSE(bus->bus().trace().empty());
  EXPECT_EQ(bus->bus().trace().back().kind, sim::I2cBus::Trace::kStop);
}

TEST_F(AsyncTransfer, RefusedStarts) {
  uart_setup(3);
  EXPECT_EQ(call("uart_write", {7, 0x100, 4, 0}), kBadHandle);
  EXPECT_EQ(call("uart_write", {0xFFFFFFFF, 0x100, 4, 0}), kBadHandle);
  EXPECT_EQ(call("uart_write", {1, 0x100, 4, 0}), kUnsupported);  // the SPI window
  EXPECT_EQ(call("spi_transfer", {0, 0x100, 0x200, 4, 0}), kUnsupported);
  EXPECT_EQ(call("uart_write", {0, 0x100, 0, 0}), kInvalid);
  EXPECT_EQ(call("i2c_transfer", {2, 0x80, 0x100, 1, 0, 0, 0}), kInvalid);
  EXPECT_EQ(call("uart_write", {0, 0xFFF0, 0x20, 0}), kOutsideMemory);
  EXPECT_EQ(call("uart_write", {0, 0xFFFFFFF0, 0x20, 0}), kOutsideMemory);  // wraps
  EXPECT_EQ(call("spi_transfer", {1, 0x100, 0x102, 4, 0}), kOverlap);       // tx/rx partly
  const std::int32_t w = call("uart_write", {0, 0x100, 40, 0});
  ASSERT_GT(w, 0);
  EXPECT_EQ(call("uart_read", {0, 0x120, 8, 0}), kOverlap);  // inside the lent buffer
  EXPECT_EQ(call("uart_write", {0, 0x800, 8, 0}), kBusy);    // TX already running
  const std::int32_t r = call("uart_read", {0, 0x200, 8, 0});
  ASSERT_GT(r, 0);
  const std::int32_t i = call("i2c_transfer", {2, 0x48, 0x300, 1, 0x310, 2, 0});
  ASSERT_GT(i, 0);
  spi_setup();
  const std::int32_t s = call("spi_transfer", {1, 0x400, 0x400, 4, 0});
  ASSERT_GT(s, 0);
  EXPECT_EQ(call("i2c_transfer", {2, 0x48, 0x600, 1, 0x610, 2, 0}), kTooMany);  // 4 slots
  EXPECT_EQ(client->running(), 4u);
  EXPECT_EQ(call("cancel", {static_cast<std::uint32_t>(w)}), kDone);
  // The slot stays taken until the result is collected.
  EXPECT_EQ(call("uart_write", {0, 0x800, 8, 0}), kTooMany);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(w)}), kCancelled);
  EXPECT_GT(call("uart_write", {0, 0x100, 8, 0}), 0);  // buffer and slot handed back
  // A result pointer outside memory keeps the result.
  EXPECT_EQ(call("cancel", {static_cast<std::uint32_t>(r)}), kDone);
  EXPECT_EQ(call("result_at", {static_cast<std::uint32_t>(r), 0xFFFFFFFE}), kOutsideMemory);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(r)}), kCancelled);
}

TEST_F(AsyncTransfer, DeviceNotEnabledIsRefusedWithoutLending) {
  uart_setup(0);  // TX disabled
  EXPECT_EQ(call("uart_write", {0, 0x100, 4, 0}), kInvalid);
  EXPECT_EQ(client->running(), 0u);
  EXPECT_EQ(rd(kUart0 + 0x08), 0u);
}

TEST_F(AsyncTransfer, MemoryGrowthDuringATransferKeepsTheGuestOffsets) {
  uart_setup(2);
  uart->inject_rx("abcdefghijklmnopqrstuvwxyz");
  const std::int32_t op = call("uart_read", {0, 0xFF00, 26, 0});
  ASSERT_GT(op, 0);
  service->run_until_idle(session->board().clock().now() + 5 * 160);
  EXPECT_EQ(call("grow", {3}), 1);  // may move the memory: the host holds no pointer
  run();
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kDone);
  EXPECT_EQ(get(0xFF00, 26), "abcdefghijklmnopqrstuvwxyz");
}

TEST_F(AsyncTransfer, RemovingTheContainerCancelsAndQuiesces) {
  uart_setup(1);
  put(0x100, std::string(64, 'y'));
  ASSERT_GT(call("uart_write", {0, 0x100, 64, 0}), 0);
  ASSERT_GT(call("i2c_transfer", {2, 0x48, 0x500, 1, 0x510, 2, 0}), 0);
  service->run_until_idle(session->board().clock().now() + 8 * 160);
  EXPECT_EQ(service->running(), 2u);
  container.reset();
  EXPECT_EQ(service->running(), 0u);
  EXPECT_EQ(rd(kUart0 + 0x08), 1u);
  const std::size_t sent = uart->transmitted().text().size();
  session->board().clock().advance(1'000'000);             // no event of the gone container fires
  EXPECT_LE(uart->transmitted().text().size(), sent + 2);  // holding + shift register drain
  auto* bus = session->board().find_as<sim::SbconI2c>("i2c_shield1");
  EXPECT_EQ(bus->bus().trace().back().kind, sim::I2cBus::Trace::kStop);
  // The devices can be granted and used again.
  load("second", true, true, true);
  uart_setup(1);
  put(0x100, "again");
  const std::int32_t op = call("uart_write", {0, 0x100, 5, 0});
  ASSERT_GT(op, 0);
  run();
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kDone);
}

TEST_F(AsyncTransfer, AnotherContainerIsUnaffected) {
  // This fixture's container keeps the UART; a second one gets the I2C bus only.
  container.reset();
  load("uart-owner", true, false, false);
  std::unique_ptr<DriverContainer> uart_owner = std::move(container);
  AsyncClient* uart_client = client;
  std::uint32_t sensor_events = 0;
  {
    ContainerOptions o;
    o.name = "sensor";
    o.deployment.pins = {{"sensor_bus", "i2c_shield1"}};
    client = enable_async(o, *service, session->windows(),
                          [&](std::uint32_t bits) { sensor_events |= bits; });
    auto bytes =
        test::with_manifest(test::wat(kDriverWat), driver_manifest("sensor", false, false, true));
    ContainerLoad l = session->load(bytes, "sensor.wasm", std::move(o));
    ASSERT_TRUE(l) << l.error;
    container = std::move(l.container);
  }
  auto* tmp = session->board().find_as<sim::Tmp105>("tmp105");
  ASSERT_TRUE(tmp->set_temperature_mc(-10'000));
  // The sensor container's handle 0 is its I2C window; the UART is not its to use.
  EXPECT_EQ(call("uart_write", {0, 0x100, 4, 0}), kUnsupported);
  const std::int32_t op = call("i2c_transfer", {0, 0x48, 0x500, 1, 0x510, 2, 0x10});
  ASSERT_GT(op, 0);
  // The UART owner starts a transfer and is then removed mid-way.
  uart_setup(1);
  std::memcpy(Store::memory_data(uart_owner->instance().memory(0)).data() + 0x100, "0123456789",
              10);
  std::vector<Value> args{Value::i32(0), Value::i32(0x100), Value::i32(10), Value::i32(0)};
  ASSERT_GT(uart_owner->call("uart_write", args).results.at(0).of.i32, 0u);
  EXPECT_EQ(uart_client->running(), 1u);
  session->board().clock().advance(3 * 250);
  uart_owner.reset();
  run();
  EXPECT_EQ(sensor_events, 0x10u);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kDone);
  EXPECT_EQ(get(0x510, 2), std::string("\xF6\x00", 2));  // -10 degC
}

// The same UART transfers through the PL081 and interrupt-driven: identical guest-visible results.
class AsyncUartPaths : public AsyncTransfer, public ::testing::WithParamInterface<bool> {
 protected:
  AsyncIo::Options options() override {
    AsyncIo::Options o;
    o.use_dma = GetParam();
    o.dma_chunk_bytes = 24;  // several chunks per transfer
    return o;
  }
};

TEST_P(AsyncUartPaths, WriteThenReadGiveTheSameResults) {
  uart_setup(3);
  std::string text;
  for (int i = 0; i < 100; ++i) text += static_cast<char>('A' + i % 26);
  put(0x100, text);
  uart->inject_rx("the quick brown fox jumps over the lazy dog");
  const std::int32_t w = call("uart_write", {0, 0x100, 100, 0x1});
  const std::int32_t r = call("uart_read", {0, 0x400, 43, 0x2});
  ASSERT_GT(w, 0);
  ASSERT_GT(r, 0);
  run();
  EXPECT_EQ(events, 0x3u);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(w)}), kDone);
  EXPECT_EQ(call("bytes_done", {}), 100);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(r)}), kDone);
  EXPECT_EQ(call("bytes_done", {}), 43);
  EXPECT_EQ(get(0x400, 43), "the quick brown fox jumps over the lazy dog");
  session->board().clock().advance(1000);
  EXPECT_EQ(uart->transmitted().text(), text);
  EXPECT_EQ(rd(kUart0 + 0x08), 3u);
  if (GetParam()) {
    EXPECT_EQ(service->interrupts_serviced(), 5u + 2u);  // one per 24-byte chunk
  } else {
    EXPECT_GT(service->interrupts_serviced(), 100u);  // about one per byte
  }
}

TEST_P(AsyncUartPaths, CancelledWriteReportsExactlyWhatLeft) {
  uart_setup(1);
  put(0x100, std::string(64, 'z'));
  const std::int32_t op = call("uart_write", {0, 0x100, 64, 0});
  ASSERT_GT(op, 0);
  service->run_until_idle(session->board().clock().now() + 20 * 160);
  EXPECT_EQ(call("cancel", {static_cast<std::uint32_t>(op)}), kDone);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kCancelled);
  const std::int32_t done = call("bytes_done", {});
  EXPECT_GT(done, 10);
  EXPECT_LT(done, 64);
  session->board().clock().advance(100'000);
  EXPECT_EQ(uart->transmitted().text().size(), static_cast<std::size_t>(done));
  EXPECT_EQ(service->running(), 0u);
  // The device (and the DMA channel) are free again.
  const std::int32_t again = call("uart_write", {0, 0x100, 10, 0});
  ASSERT_GT(again, 0);
  run();
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(again)}), kDone);
}

TEST_P(AsyncUartPaths, ContainerRemovedMidReadLeavesNothingRunning) {
  uart_setup(2);
  uart->inject_rx("0123456789012345678901234567890123456789");
  ASSERT_GT(call("uart_read", {0, 0x400, 40, 0}), 0);
  service->run_until_idle(session->board().clock().now() + 10 * 160);
  container.reset();
  EXPECT_EQ(service->running(), 0u);
  session->board().clock().advance(100'000);  // a late DMA or UART event touches nothing
  EXPECT_EQ(rd(0x40081000 + 0x1C), 0u);       // no DMA channel enabled
}

INSTANTIATE_TEST_SUITE_P(InterruptAndDma, AsyncUartPaths, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Dma" : "Interrupt"; });

// A DMA error response (staging at an address nothing decodes) hands the buffer back.
class AsyncDmaError : public AsyncTransfer {
 protected:
  AsyncIo::Options options() override {
    AsyncIo::Options o;
    o.dma_staging = 0x30000000;
    return o;
  }
};

TEST_F(AsyncDmaError, BusErrorEndsTheTransferWithTheBufferBack) {
  uart_setup(1);
  put(0x100, "never sent");
  const std::int32_t op = call("uart_write", {0, 0x100, 10, 0x40});
  ASSERT_GT(op, 0);
  run();
  EXPECT_EQ(events, 0x40u);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kBusError);
  EXPECT_EQ(call("bytes_done", {}), 0);
  EXPECT_EQ(uart->transmitted().text(), "");
  EXPECT_EQ(get(0x100, 10), "never sent");             // the guest's bytes are untouched
  EXPECT_GT(call("uart_write", {0, 0x100, 4, 0}), 0);  // buffer and device handed back
}

}  // namespace
}  // namespace wasmio::io::async

namespace wasmio::io::async {
namespace {

TEST_F(AsyncTransfer, ServiceGoingFirstCancelsAndRefuses) {
  uart_setup(1);
  put(0x100, std::string(32, 'q'));
  ASSERT_GT(call("uart_write", {0, 0x100, 32, 0}), 0);
  service.reset();                   // the container (and its client) still exist
  EXPECT_EQ(rd(kUart0 + 0x08), 1u);  // quiesced
  EXPECT_EQ(call("uart_write", {0, 0x100, 32, 0}), kUnsupported);
  session->board().clock().advance(1'000'000);
  container.reset();  // the orphaned client goes without touching the service
}

}  // namespace
}  // namespace wasmio::io::async

namespace wasmio::io::async {
namespace {

TEST_F(AsyncTransfer, SpiSixteenBitFramesTakeTwoBytesLittleEndian) {
  spi_setup();
  wr(test::kShield0Spi + 0x00, 0x00CF);                                // 16-bit frames, mode 3
  put(0x300, std::string("\x00\x9F\x00\x00", 4));                      // frames 0x9F00, 0x0000
  EXPECT_EQ(call("spi_transfer", {1, 0x300, 0x300, 3, 0}), kInvalid);  // odd length
  const std::int32_t op = call("spi_transfer", {1, 0x300, 0x300, 4, 0});
  ASSERT_GT(op, 0);
  run();
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kDone);
  EXPECT_EQ(get(0x300, 4), std::string("\xEF\xFF\x15\x40", 4));  // 0xFFEF, 0x4015
}

TEST_F(AsyncTransfer, I2cReadOnlyTransactionUsesThePointerAsLeft) {
  auto* tmp = session->board().find_as<sim::Tmp105>("tmp105");
  ASSERT_TRUE(tmp->set_temperature_mc(20'000));
  const std::int32_t op = call("i2c_transfer", {2, 0x48, 0, 0, 0x510, 2, 0});
  ASSERT_GT(op, 0);
  run();
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kDone);
  EXPECT_EQ(call("bytes_done", {}), 2);
  EXPECT_EQ(get(0x510, 2), std::string("\x14\x00", 2));  // pointer 0 after reset: 20 degC
}

}  // namespace
}  // namespace wasmio::io::async
