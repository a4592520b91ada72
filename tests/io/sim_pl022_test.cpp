// PL022 SSP model: FIFO status bits, loopback transfers timed by the bit rate, FIFO-level,
// overrun and timeout interrupts, an attached SPI slave, and AN385's shared line 11.
#include <gtest/gtest.h>

#include <vector>

#include "io/sim/pl022.h"
#include "sim_test_support.h"

namespace wasmio::io::sim {
namespace {

using test::make_an385;
using test::rd32;
using test::wr32;

constexpr std::uint64_t kSpi0 = 0x40020000;
constexpr std::uint64_t kCr0 = kSpi0 + 0x00, kCr1 = kSpi0 + 0x04, kDr = kSpi0 + 0x08,
                        kSr = kSpi0 + 0x0C, kCpsr = kSpi0 + 0x10, kImsc = kSpi0 + 0x14,
                        kRis = kSpi0 + 0x18, kMis = kSpi0 + 0x1C, kIcr = kSpi0 + 0x20;
constexpr std::uint32_t kTfe = 1, kTnf = 2, kRne = 4, kRff = 8, kBsy = 16;
constexpr std::uint32_t kLbm = 1, kSse = 2;
constexpr std::uint32_t kRor = 1, kRt = 2, kRx = 4, kTx = 8;
constexpr Cycles kFrame = 8 * 2;  // 8-bit frames, CPSDVSR 2, SCR 0

class SimPl022 : public ::testing::Test {
 protected:
  void SetUp() override {
    b = make_an385();
    spi = b->find_as<Pl022>("spi0");
    ASSERT_NE(spi, nullptr);
    wr32(*b, kCr0, 0x0007);  // 8-bit Motorola SPI, SCR 0
    wr32(*b, kCpsr, 2);
  }
  std::unique_ptr<SimBoard> b;
  Pl022* spi = nullptr;
};

TEST_F(SimPl022, ResetStatus) {
  EXPECT_EQ(rd32(*b, kSr), kTfe | kTnf);
  EXPECT_EQ(rd32(*b, kRis), kTx);  // TX FIFO at most half full
  EXPECT_EQ(rd32(*b, kMis), 0u);
  wr32(*b, kCpsr, 0xFF);
  EXPECT_EQ(rd32(*b, kCpsr), 0xFEu);  // even divisors only
  EXPECT_EQ(spi->frame_cycles(), 8u * 254u);
}

TEST_F(SimPl022, FifoStatusBitsWhileDisabled) {
  for (std::uint32_t i = 0; i < 8; ++i) {
    EXPECT_EQ(rd32(*b, kSr) & kTnf, kTnf) << i;
    wr32(*b, kDr, 0xA0 + i);
  }
  EXPECT_EQ(rd32(*b, kSr), kBsy);  // full: not empty, not "not full", data waiting
  EXPECT_EQ(rd32(*b, kRis) & kTx, 0u);
  wr32(*b, kDr, 0xEE);  // dropped: FIFO full
  b->clock().advance(100 * kFrame);
  EXPECT_EQ(rd32(*b, kSr), kBsy);  // SSE clear: nothing moves
}

TEST_F(SimPl022, LoopbackTransfersOneFramePerFrameTime) {
  for (std::uint32_t i = 0; i < 8; ++i) wr32(*b, kDr, 0x1F0 + i);  // masked to 8 bits
  wr32(*b, kDr, 0xEE);                                              // dropped
  wr32(*b, kCr1, kLbm | kSse);
  b->clock().advance(kFrame - 1);
  EXPECT_EQ(rd32(*b, kSr) & kRne, 0u);
  b->clock().advance(1);
  EXPECT_EQ(rd32(*b, kSr), kTnf | kRne | kBsy);
  b->clock().advance(3 * kFrame);
  EXPECT_EQ(rd32(*b, kRis) & kRx, kRx);  // 4 received
  b->clock().advance(4 * kFrame);
  EXPECT_EQ(rd32(*b, kSr), kTfe | kTnf | kRne | kRff);  // all 8 back, not busy
  std::vector<std::uint32_t> got;
  while (rd32(*b, kSr) & kRne) got.push_back(rd32(*b, kDr));
  EXPECT_EQ(got, (std::vector<std::uint32_t>{0xF0, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7}));
  EXPECT_EQ(rd32(*b, kDr), 0u);  // empty FIFO reads 0
}

TEST_F(SimPl022, FifoLevelInterruptsOnLine11) {
  b->irqs().enable(11);
  wr32(*b, kImsc, kRx);
  wr32(*b, kCr1, kLbm | kSse);
  for (int i = 0; i < 4; ++i) wr32(*b, kDr, i);
  b->clock().advance(3 * kFrame);
  EXPECT_FALSE(b->irqs().level(11));
  b->clock().advance(kFrame);
  EXPECT_EQ(rd32(*b, kMis), kRx);
  EXPECT_TRUE(b->irqs().pending(11));
  rd32(*b, kDr);  // below half full again
  EXPECT_FALSE(b->irqs().level(11));
  // TX interrupt: TX FIFO at most half full.
  wr32(*b, kImsc, kTx);
  EXPECT_TRUE(b->irqs().level(11));
  // spi1 shares line 11 and its TX interrupt is masked: no effect.
  EXPECT_EQ(b->find_as<Pl022>("spi1")->irq().line(), 11u);
  EXPECT_EQ(b->find_as<Pl022>("spi_adc")->irq().line(), 22u);
  EXPECT_EQ(b->find_as<Pl022>("spi_shield1")->irq().line(), 24u);
}

TEST_F(SimPl022, ReceiveOverrunAndTimeoutAreLatchedUntilCleared) {
  wr32(*b, kCr1, kLbm | kSse);
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 8; ++i) {
      if (rd32(*b, kSr) & kTnf) wr32(*b, kDr, round * 8 + i);
    }
    b->clock().advance(8 * kFrame);
  }
  // 16 frames into an 8-entry RX FIFO nobody read: the last 8 were lost.
  EXPECT_EQ(rd32(*b, kRis) & kRor, kRor);
  EXPECT_EQ(rd32(*b, kDr), 0u);  // the first frames were kept
  // 32 bit periods (64 cycles) after the last frame with data waiting: receive timeout.
  b->clock().advance(32 * 2);
  EXPECT_EQ(rd32(*b, kRis) & kRt, kRt);
  wr32(*b, kIcr, kRor | kRt);
  EXPECT_EQ(rd32(*b, kRis) & (kRor | kRt), 0u);
}

TEST_F(SimPl022, AttachedSlaveAnswersWhenNotInLoopback) {
  std::vector<std::uint16_t> mosi;
  spi->attach_slave([&](std::uint16_t out) {
    mosi.push_back(out);
    return static_cast<std::uint16_t>(out ^ 0xFFFF);
  });
  wr32(*b, kCr0, 0x000F);  // 16-bit frames
  wr32(*b, kCr1, kSse);
  wr32(*b, kDr, 0x1234);
  wr32(*b, kDr, 0xBEEF);
  b->clock().advance(2 * 16 * 2);
  EXPECT_EQ(mosi, (std::vector<std::uint16_t>{0x1234, 0xBEEF}));
  EXPECT_EQ(rd32(*b, kDr), 0xEDCBu);
  EXPECT_EQ(rd32(*b, kDr), 0x4110u);
}

TEST_F(SimPl022, FrameTimeFollowsPrescaleAndSerialClockRate) {
  wr32(*b, kCr0, 0x0407);  // SCR 4
  wr32(*b, kCpsr, 10);
  EXPECT_EQ(spi->frame_cycles(), 8u * 10u * 5u);
  wr32(*b, kCr1, kLbm | kSse);
  wr32(*b, kDr, 0x5A);
  b->clock().advance(399);
  EXPECT_EQ(rd32(*b, kSr) & kRne, 0u);
  b->clock().advance(1);
  EXPECT_EQ(rd32(*b, kDr), 0x5Au);
}

}  // namespace
}  // namespace wasmio::io::sim
