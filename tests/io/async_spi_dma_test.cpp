// PL022 transfers through the PL081 (two channels, DMAC flow control on the PL022's request
// lines): the W25Q16JV flash answers byte for byte as through the interrupt-driven path (JEDEC
// ID, page program, status polling, read back); a DMA error hands the buffers back with the
// error; cancel mid-transfer disables both channels and leaves the PL022 quiescent and usable.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "async_container_fixture.h"
#include "io/sim/pl081.h"

namespace wasmio::io::async {
namespace {

constexpr std::uint64_t kDmac = 0x40081000;
constexpr std::uint32_t kBuffer = 0x200;
constexpr std::uint32_t kSpiHandle = 1;
// RDID: FF while the opcode goes out, then manufacturer, memory type, capacity.
const std::vector<std::uint8_t> kJedecAnswer = {0xFF, 0xEF, 0x40, 0x15};

class AsyncSpiDma : public AsyncTransfer {
 protected:
  static AsyncIo::Options with_dma(bool dma) {
    AsyncIo::Options o;
    o.use_dma = dma;
    o.dma_chunk_bytes = 48;  // several chunks per page
    return o;
  }
  AsyncIo::Options options() override { return with_dma(true); }

  // One command under one chip select, in place at kBuffer; the bytes clocked in.
  std::vector<std::uint8_t> command(const std::vector<std::uint8_t>& out) {
    put(kBuffer, std::string(out.begin(), out.end()));
    wr(test::kFpgaioMisc, 0);
    const std::int32_t op = call(
        "spi_transfer", {kSpiHandle, kBuffer, kBuffer, static_cast<std::uint32_t>(out.size()), 0});
    EXPECT_GT(op, 0);
    run();
    EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kDone);
    EXPECT_EQ(call("bytes_done", {}), static_cast<std::int32_t>(out.size()));
    wr(test::kFpgaioMisc, test::kFlashCsBit);
    const std::string in = get(kBuffer, out.size());
    return std::vector<std::uint8_t>(in.begin(), in.end());
  }

  // JEDEC ID, write enable, page program of 200 bytes at 0x1230, status polled until not busy,
  // read back: everything the flash answered, in order (the number of busy polls apart).
  std::vector<std::uint8_t> flash_session() {
    spi_setup();
    wr(test::kFpgaioMisc, test::kFlashCsBit);
    std::vector<std::uint8_t> transcript;
    auto keep = [&](const std::vector<std::uint8_t>& in) {
      transcript.insert(transcript.end(), in.begin(), in.end());
    };
    keep(command({0x9F, 0, 0, 0}));
    keep(command({0x06}));
    keep(command({0x05, 0}));
    std::vector<std::uint8_t> program = {0x02, 0x00, 0x12, 0x30};
    for (unsigned i = 0; i < 200; ++i) program.push_back(static_cast<std::uint8_t>(i * 7 + 3));
    keep(command(program));
    unsigned polls = 0;
    std::uint8_t status = 1;
    while ((status & 1) != 0 && polls < 10'000) {
      status = command({0x05, 0})[1];
      busy_seen = busy_seen || (status & 1) != 0;
      ++polls;
    }
    transcript.push_back(status);
    std::vector<std::uint8_t> read = {0x03, 0x00, 0x12, 0x30};
    read.resize(4 + 200, 0);
    const std::uint64_t before = service->interrupts_serviced();
    keep(command(read));
    read_interrupts = service->interrupts_serviced() - before;
    return transcript;
  }

  bool busy_seen = false;
  std::uint64_t read_interrupts = 0;  // serviced during the 204-byte READ
};

TEST_F(AsyncSpiDma, FlashAnswersByteForByteAsThroughInterrupts) {
  open(with_dma(false));
  const std::vector<std::uint8_t> by_interrupts = flash_session();
  EXPECT_TRUE(busy_seen);
  const std::uint64_t read_by_interrupts = read_interrupts;
  EXPECT_GE(read_by_interrupts, 204u / 8);  // at most 8 frames in flight per interrupt
  EXPECT_EQ(service->dma()->elements_moved(), 0u);

  busy_seen = false;
  open(with_dma(true));
  const std::vector<std::uint8_t> by_dma = flash_session();
  EXPECT_TRUE(busy_seen);
  EXPECT_EQ(by_dma, by_interrupts);
  // It did go through the DMAC: every frame twice (TX and RX element), one interrupt per
  // 48-byte chunk (the RX channel's terminal count).
  EXPECT_GE(service->dma()->elements_moved(), 2u * (4 + 204 + 204));
  EXPECT_EQ(read_interrupts, (204u + 47) / 48);

  ASSERT_GE(by_dma.size(), 4u);
  EXPECT_EQ(by_dma[1], 0xEF);  // JEDEC ID
  EXPECT_EQ(by_dma[2], 0x40);
  EXPECT_EQ(by_dma[3], 0x15);
  EXPECT_EQ(by_dma[6], 0x02);  // RDSR after WREN: WEL
  for (unsigned i = 0; i < 200; ++i) {
    ASSERT_EQ(by_dma[by_dma.size() - 200 + i], static_cast<std::uint8_t>(i * 7 + 3)) << i;
    ASSERT_EQ(flash->memory()[0x1230 + i], static_cast<std::uint8_t>(i * 7 + 3)) << i;
  }
  EXPECT_EQ(rd(test::kShield0Spi + 0x24), 0u);  // DMACR: the driver's (0) again
  EXPECT_EQ(rd(kDmac + 0x1C), 0u);              // no channel enabled
}

TEST_F(AsyncSpiDma, SixteenBitFramesGoAsHalfwords) {
  spi_setup();
  wr(test::kShield0Spi + 0x00, 0x00CF);  // 16-bit frames: RDID as 0x9F00, 0x0000
  put(kBuffer, std::string("\x00\x9F\x00\x00", 4));
  const std::int32_t op = call("spi_transfer", {kSpiHandle, kBuffer, kBuffer, 4, 0});
  ASSERT_GT(op, 0);
  run();
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kDone);
  EXPECT_EQ(get(kBuffer, 4), std::string("\xEF\xFF\x15\x40", 4));  // (FF EF) (40 15), LE
  EXPECT_EQ(service->dma()->elements_moved(), 4u);
}

TEST_F(AsyncSpiDma, OneChannelTakenRunsInterruptDrivenWithTheSameResult) {
  spi_setup();
  uart_setup(1);
  put(0x800, std::string(100, 'u'));
  const std::int32_t uart_op = call("uart_write", {0, 0x800, 100, 0});  // holds one channel
  ASSERT_GT(uart_op, 0);
  EXPECT_EQ(command({0x9F, 0, 0, 0}), kJedecAnswer);  // runs until both ended
  EXPECT_EQ(service->dma()->elements_moved(), 100u);  // the UART's bytes only
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(uart_op)}), kDone);
  session->board().clock().advance(2'000);  // the last frame leaves the shift register
  EXPECT_EQ(uart->transmitted().text(), std::string(100, 'u'));
}

class AsyncSpiDmaError : public AsyncSpiDma {
 protected:
  AsyncIo::Options options() override {
    AsyncIo::Options o = with_dma(true);
    o.dma_staging = 0x30000000;  // nothing decodes there: the DMAC gets an error response
    return o;
  }
};

TEST_F(AsyncSpiDmaError, BusErrorHandsTheBuffersBackWithTheError) {
  spi_setup();
  const std::uint32_t imsc = rd(test::kShield0Spi + 0x14);
  put(kBuffer, std::string(64, '\x9F'));
  const std::int32_t op = call("spi_transfer", {kSpiHandle, kBuffer, kBuffer + 0x100, 64, 0x2});
  ASSERT_GT(op, 0);
  run();
  EXPECT_EQ(events, 0x2u);  // the completion is posted on error too
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kBusError);
  EXPECT_EQ(call("bytes_done", {}), 0);
  EXPECT_EQ(rd(test::kShield0Spi + 0x24), 0u);  // DMACR
  EXPECT_EQ(rd(test::kShield0Spi + 0x14), imsc);
  EXPECT_EQ(rd(kDmac + 0x1C), 0u);
  EXPECT_EQ(service->running(), 0u);
  // The buffers are back: the same bytes may be lent again at once.
  const std::int32_t again = call("spi_transfer", {kSpiHandle, kBuffer, kBuffer + 0x100, 64, 0});
  EXPECT_GT(again, 0);
  EXPECT_EQ(call("cancel", {static_cast<std::uint32_t>(again)}), kDone);
}

TEST_F(AsyncSpiDma, CancelMidTransferDisablesTheChannelsAndLeavesThePl022Quiescent) {
  spi_setup();
  wr(test::kShield0Spi + 0x14, 0);
  std::vector<std::uint8_t> read = {0x03, 0, 0, 0};
  read.resize(1024, 0);
  put(kBuffer, std::string(read.begin(), read.end()));
  const std::int32_t op = call("spi_transfer", {kSpiHandle, kBuffer, kBuffer, 1024, 0});
  ASSERT_GT(op, 0);
  sim::SimBoard& board = session->board();
  service->run_until_idle(board.clock().now() + 3'000);  // a few chunks, not all
  ASSERT_EQ(service->running(), 1u);
  EXPECT_EQ(rd(test::kShield0Spi + 0x24), 3u);  // both DMA requests enabled while it runs
  EXPECT_EQ(call("cancel", {static_cast<std::uint32_t>(op)}), kDone);
  EXPECT_EQ(call("result", {static_cast<std::uint32_t>(op)}), kCancelled);
  const std::int32_t done = call("bytes_done", {});
  EXPECT_GT(done, 0);
  EXPECT_LT(done, 1024);
  EXPECT_EQ(rd(kDmac + 0x1C), 0u);              // both channels disabled
  EXPECT_EQ(rd(test::kShield0Spi + 0x24), 0u);  // DMACR as the driver had it
  EXPECT_EQ(rd(test::kShield0Spi + 0x14), 0u);  // IMSC too
  const std::uint64_t moved = service->dma()->elements_moved();
  board.clock().advance(100'000);
  EXPECT_EQ(service->dma()->elements_moved(), moved);  // nothing moves any more
  EXPECT_EQ(rd(test::kShield0Spi + 0x0C) & 0x10, 0u);  // SR.BSY clear: the PL022 is idle
  // The bytes received before the cancel are the flash's (erased: FF) after the 4 command bytes.
  EXPECT_EQ(get(kBuffer + 4, static_cast<std::size_t>(done) - 4),
            std::string(static_cast<std::size_t>(done) - 4, '\xFF'));
  // Device and slot usable again: a new select reads the JEDEC ID (stale RX frames flushed).
  wr(test::kFpgaioMisc, test::kFlashCsBit);
  EXPECT_EQ(command({0x9F, 0, 0, 0}), kJedecAnswer);
}

}  // namespace
}  // namespace wasmio::io::async
