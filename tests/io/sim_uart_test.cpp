// CMSDK APB UART model: TX through the holding buffer and shifter with frame timing, status
// bits, write-1-to-clear interrupts, RX with and without flow control, overruns, sinks, and the
// AN385 interrupt wiring (RX 0, TX 1, overrun 12 for UART0).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "io/sim/cmsdk_uart.h"
#include "sim_test_support.h"

namespace wasmio::io::sim {
namespace {

using test::make_an385;
using test::rd32;
using test::wr32;

constexpr std::uint64_t kUart0 = 0x40004000;
constexpr std::uint64_t kData = kUart0 + 0x00, kState = kUart0 + 0x04, kCtrl = kUart0 + 0x08,
                        kIntStatus = kUart0 + 0x0C, kBaudDiv = kUart0 + 0x10;
constexpr std::uint32_t kTxFull = 1, kRxFull = 2, kTxOverrun = 4, kRxOverrun = 8;
constexpr std::uint32_t kTxEn = 1, kRxEn = 2, kTxInt = 4, kRxInt = 8, kTxOvInt = 16, kRxOvInt = 32;
constexpr std::uint32_t kLineRx = 0, kLineTx = 1, kLineOverrun = 12;
constexpr Cycles kFrame = 10 * 16;  // BAUDDIV 16

class SimUart : public ::testing::Test {
 protected:
  void SetUp() override {
    board = make_an385();
    uart = board->find_as<CmsdkUart>("uart0");
    ASSERT_NE(uart, nullptr);
    for (std::uint32_t line : {kLineRx, kLineTx, kLineOverrun}) board->irqs().enable(line);
    wr32(*board, kBaudDiv, 16);
  }
  std::unique_ptr<SimBoard> board;
  CmsdkUart* uart = nullptr;
};

TEST_F(SimUart, ResetState) {
  EXPECT_EQ(rd32(*board, kState), 0u);
  EXPECT_EQ(rd32(*board, kCtrl), 0u);
  EXPECT_EQ(rd32(*board, kIntStatus), 0u);
  EXPECT_EQ(rd32(*board, kBaudDiv), 16u);
  wr32(*board, kBaudDiv, 0xFFFFFFFF);
  EXPECT_EQ(rd32(*board, kBaudDiv), 0xFFFFFu);  // 20 bits
  wr32(*board, kCtrl, 0xFF);
  EXPECT_EQ(rd32(*board, kCtrl), 0x7Fu);
}

TEST_F(SimUart, TransmitTimingStatusAndTxInterrupt) {
  wr32(*board, kCtrl, kTxEn | kTxInt);
  wr32(*board, kData, 'H');
  // Straight into the shifter: buffer empty again, TX interrupt at once (QEMU does the same).
  EXPECT_EQ(rd32(*board, kState) & kTxFull, 0u);
  EXPECT_EQ(rd32(*board, kIntStatus), 1u);
  EXPECT_TRUE(board->irqs().pending(kLineTx));
  wr32(*board, kIntStatus, 1);  // INTCLEAR
  EXPECT_EQ(rd32(*board, kIntStatus), 0u);
  EXPECT_FALSE(board->irqs().level(kLineTx));

  wr32(*board, kData, 'i');  // waits in the holding buffer behind 'H'
  EXPECT_EQ(rd32(*board, kState) & kTxFull, kTxFull);
  EXPECT_EQ(rd32(*board, kIntStatus), 0u);

  board->clock().advance_to(kFrame - 1);
  EXPECT_EQ(uart->transmitted().text(), "");
  board->clock().advance_to(kFrame);
  EXPECT_EQ(uart->transmitted().text(), "H");
  EXPECT_EQ(rd32(*board, kState) & kTxFull, 0u);  // 'i' moved into the shifter
  EXPECT_EQ(rd32(*board, kIntStatus), 1u);
  board->clock().advance_to(2 * kFrame);
  EXPECT_EQ(uart->transmitted().text(), "Hi");
  EXPECT_EQ(uart->transmitted().times(), (std::vector<Cycles>{kFrame, 2 * kFrame}));
}

TEST_F(SimUart, TxOverrunStatusInterruptAndClear) {
  wr32(*board, kCtrl, kTxEn | kTxOvInt);
  wr32(*board, kData, 'a');  // shifter
  wr32(*board, kData, 'b');  // holding buffer
  EXPECT_EQ(rd32(*board, kState), kTxFull);
  wr32(*board, kData, 'c');  // buffer full: overrun, replaces 'b' (as QEMU)
  EXPECT_EQ(rd32(*board, kState), kTxFull | kTxOverrun);
  EXPECT_EQ(rd32(*board, kIntStatus), 4u);
  EXPECT_TRUE(board->irqs().level(kLineOverrun));
  // STATE overrun bits are write-1-to-clear; the interrupt bit follows.
  wr32(*board, kState, kTxOverrun | kTxFull);  // TXFULL is read-only
  EXPECT_EQ(rd32(*board, kState), kTxFull);
  EXPECT_EQ(rd32(*board, kIntStatus), 0u);
  EXPECT_FALSE(board->irqs().level(kLineOverrun));
  board->clock().advance(2 * kFrame);
  EXPECT_EQ(uart->transmitted().text(), "ac");
}

TEST_F(SimUart, ClearingTheOverrunInterruptClearsTheStateBit) {
  wr32(*board, kCtrl, kTxEn | kTxOvInt);
  for (char c : std::string("xyz")) wr32(*board, kData, static_cast<std::uint8_t>(c));
  ASSERT_EQ(rd32(*board, kState) & kTxOverrun, kTxOverrun);
  wr32(*board, kIntStatus, 4);
  EXPECT_EQ(rd32(*board, kState) & kTxOverrun, 0u);
}

TEST_F(SimUart, ByteWrittenWhileTxDisabledLeavesWhenEnabled) {
  wr32(*board, kData, 'q');
  board->clock().advance(10 * kFrame);
  EXPECT_EQ(rd32(*board, kState), kTxFull);
  EXPECT_EQ(uart->transmitted().text(), "");
  wr32(*board, kCtrl, kTxEn);
  EXPECT_EQ(rd32(*board, kState), 0u);
  board->clock().advance(kFrame);
  EXPECT_EQ(uart->transmitted().text(), "q");
}

TEST_F(SimUart, ReceiveStatusInterruptAndFlowControl) {
  wr32(*board, kCtrl, kRxEn | kRxInt);
  const Cycles t0 = board->clock().now();
  uart->inject_rx("ab");
  board->clock().advance_to(t0 + kFrame - 1);
  EXPECT_EQ(rd32(*board, kState), 0u);
  board->clock().advance_to(t0 + kFrame);
  EXPECT_EQ(rd32(*board, kState), kRxFull);
  EXPECT_EQ(rd32(*board, kIntStatus), 2u);
  EXPECT_TRUE(board->irqs().pending(kLineRx));
  // The line is flow-controlled (QEMU chardev): 'b' waits while the buffer is full.
  board->clock().advance(5 * kFrame);
  EXPECT_EQ(rd32(*board, kState) & kRxOverrun, 0u);
  EXPECT_EQ(uart->rx_waiting(), 1u);
  EXPECT_EQ(rd32(*board, kData), static_cast<std::uint32_t>('a'));
  EXPECT_EQ(rd32(*board, kState), 0u);          // RXFULL cleared by the read
  EXPECT_EQ(rd32(*board, kIntStatus), 2u);      // the interrupt stays until INTCLEAR
  wr32(*board, kIntStatus, 2);
  EXPECT_FALSE(board->irqs().level(kLineRx));
  board->clock().advance(kFrame);
  EXPECT_EQ(rd32(*board, kData), static_cast<std::uint32_t>('b'));
  EXPECT_EQ(uart->rx_waiting(), 0u);
}

TEST_F(SimUart, ReceiveOverrunWithoutFlowControl) {
  uart->set_rx_flow_control(false);
  wr32(*board, kCtrl, kRxEn | kRxOvInt);
  uart->inject_rx("xyz");
  board->clock().advance(3 * kFrame);
  EXPECT_EQ(rd32(*board, kState), kRxFull | kRxOverrun);
  EXPECT_EQ(rd32(*board, kIntStatus), 8u);
  EXPECT_TRUE(board->irqs().level(kLineOverrun));
  EXPECT_EQ(rd32(*board, kData), static_cast<std::uint32_t>('z'));  // the latest byte
  wr32(*board, kIntStatus, 8);
  EXPECT_EQ(rd32(*board, kState), 0u);
  EXPECT_FALSE(board->irqs().level(kLineOverrun));
}

TEST_F(SimUart, RxDisabledHoldsBytesWithFlowControlAndDropsThemWithout) {
  uart->inject_rx("k");
  board->clock().advance(3 * kFrame);
  EXPECT_EQ(rd32(*board, kState), 0u);
  wr32(*board, kCtrl, kRxEn);
  board->clock().advance(kFrame);
  EXPECT_EQ(rd32(*board, kData), static_cast<std::uint32_t>('k'));

  wr32(*board, kCtrl, 0);
  uart->set_rx_flow_control(false);
  uart->inject_rx("lost");
  board->clock().advance(10 * kFrame);
  wr32(*board, kCtrl, kRxEn);
  board->clock().advance(10 * kFrame);
  EXPECT_EQ(rd32(*board, kState), 0u);
  EXPECT_EQ(uart->rx_waiting(), 0u);
}

TEST_F(SimUart, ReceiveInterruptWithoutEnableIsNotRaised) {
  // platform-facts: a byte received before the RX interrupt is enabled raises no interrupt.
  wr32(*board, kCtrl, kRxEn);
  uart->inject_rx("a");
  board->clock().advance(kFrame);
  EXPECT_EQ(rd32(*board, kState), kRxFull);
  wr32(*board, kCtrl, kRxEn | kRxInt);
  EXPECT_EQ(rd32(*board, kIntStatus), 0u);
  EXPECT_FALSE(board->irqs().pending(kLineRx));
}

TEST_F(SimUart, OverrunLineIsSharedByUarts0To2AndCombinedIsNotWired) {
  auto* uart1 = board->find_as<CmsdkUart>("uart1");
  auto* uart3 = board->find_as<CmsdkUart>("uart3");
  ASSERT_NE(uart1, nullptr);
  ASSERT_NE(uart3, nullptr);
  EXPECT_EQ(uart->overrun_irq().line(), kLineOverrun);
  EXPECT_EQ(uart1->overrun_irq().line(), kLineOverrun);
  EXPECT_EQ(uart1->rx_irq().line(), 2u);
  EXPECT_EQ(uart1->tx_irq().line(), 3u);
  EXPECT_EQ(uart3->rx_irq().line(), 18u);
  EXPECT_EQ(uart3->tx_irq().line(), 19u);
  EXPECT_FALSE(uart3->overrun_irq().connected());
  EXPECT_FALSE(uart->combined_irq().connected());
}

TEST_F(SimUart, FrameTimeFollowsBauddiv) {
  wr32(*board, kBaudDiv, 217);  // 25 MHz / 217 = 115200 baud
  EXPECT_EQ(uart->frame_cycles(), 2170u);
  wr32(*board, kBaudDiv, 3);  // below the minimum of 16
  EXPECT_EQ(uart->frame_cycles(), 160u);
}

TEST_F(SimUart, SinksBufferPipeAndFile) {
  wr32(*board, kCtrl, kTxEn);
  BufferSink buffer;
  uart->set_sink(&buffer);
  wr32(*board, kData, 'A');
  board->clock().advance(kFrame);
  EXPECT_EQ(buffer.text(), "A");
  EXPECT_EQ(uart->transmitted().text(), "");  // replaced

  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  FdSink pipe_sink(fds[1]);
  uart->set_sink(&pipe_sink);
  wr32(*board, kData, 'P');
  board->clock().advance(kFrame);
  char got = 0;
  ASSERT_EQ(read(fds[0], &got, 1), 1);
  EXPECT_EQ(got, 'P');
  close(fds[0]);
  close(fds[1]);

  const std::string path = ::testing::TempDir() + "/wasmio_uart_sink.txt";
  {
    FileSink file(path);
    ASSERT_TRUE(file.ok());
    uart->set_sink(&file);
    for (char c : std::string("ok\n")) {
      wr32(*board, kData, static_cast<std::uint8_t>(c));
      board->clock().advance(kFrame);
    }
    uart->set_sink(nullptr);  // back to the built-in buffer
  }
  std::ifstream in(path);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "ok\n");
  std::remove(path.c_str());
}

TEST_F(SimUart, BoardResetClearsTheUart) {
  wr32(*board, kCtrl, kTxEn | kTxInt);
  wr32(*board, kData, 'z');
  board->reset();
  EXPECT_EQ(rd32(*board, kCtrl), 0u);
  EXPECT_EQ(rd32(*board, kIntStatus), 0u);
  EXPECT_EQ(rd32(*board, kBaudDiv), 0u);
  EXPECT_FALSE(board->irqs().level(kLineTx));
  board->clock().advance(100 * kFrame);
  EXPECT_EQ(uart->transmitted().text(), "");  // the frame in flight was cut by the reset
}

}  // namespace
}  // namespace wasmio::io::sim
