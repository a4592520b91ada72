// The PL081 DMA controller model of the mps2-an385-dma board, through its registers: IDs,
// memory-to-memory with TC interrupt and clear, masking, bus error, linked lists, halt,
// memory-to-peripheral flow control on UART0's TX request, unsupported configurations.
#include <gtest/gtest.h>

#include "async_test_support.h"
#include "io/sim/cmsdk_uart.h"
#include "io/sim/pl081.h"
#include "io/sim/sim_ram.h"
#include "sim_test_support.h"

namespace wasmio::io::sim {
namespace {

constexpr std::uint64_t kDma = 0x40081000, kRam = 0x203F0000, kUart0 = 0x40004000;
constexpr std::uint32_t kLine = 32;
constexpr std::uint64_t kIntStatus = kDma + 0x00, kIntTcStatus = kDma + 0x04,
                        kIntTcClear = kDma + 0x08, kIntErrorStatus = kDma + 0x0C,
                        kIntErrClr = kDma + 0x10, kRawTc = kDma + 0x14, kRawErr = kDma + 0x18,
                        kEnbldChns = kDma + 0x1C, kConfig = kDma + 0x30;
constexpr std::uint64_t ch(unsigned n, unsigned reg) {
  return kDma + 0x100 + 0x20 * n + reg;
}
constexpr std::uint32_t kWords = 2u << 18 | 2u << 21, kBytes = 0, kSi = 1u << 26, kDi = 1u << 27,
                        kI = 1u << 31;
constexpr std::uint32_t kE = 1, kIe = 1u << 14, kItc = 1u << 15, kH = 1u << 18;

class SimPl081 : public ::testing::Test {
 protected:
  void SetUp() override {
    b = test::make_an385_dma();
    ASSERT_NE(b, nullptr);
    dma = b->find_as<Pl081>("dma0");
    ASSERT_NE(dma, nullptr);
    ram = static_cast<SimRam*>(b->device_at(kRam));
    ASSERT_NE(ram, nullptr);
    b->irqs().enable(kLine);
  }
  std::uint32_t rd(std::uint64_t a) { return test::rd32(*b, a); }
  void wr(std::uint64_t a, std::uint32_t v) { test::wr32(*b, a, v); }
  void run(Cycles c) { b->clock().advance(c); }
  std::unique_ptr<SimBoard> b;
  Pl081* dma = nullptr;
  SimRam* ram = nullptr;
};

TEST_F(SimPl081, IdentificationRegisters) {
  const std::uint32_t expected[8] = {0x81, 0x10, 0x04, 0x08, 0x0D, 0xF0, 0x05, 0xB1};
  for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(rd(kDma + 0xFE0 + 4 * i), expected[i]) << i;
  EXPECT_EQ(rd(kConfig), 0u);
  EXPECT_EQ(rd(kEnbldChns), 0u);
}

TEST_F(SimPl081, MemoryToMemoryRaisesTerminalCount) {
  for (std::uint32_t i = 0; i < 16; ++i) wr(kRam + 4 * i, 0x01010101u * i + 0x10203040u);
  wr(ch(0, 0x00), kRam);
  wr(ch(0, 0x04), kRam + 0x100);
  wr(ch(0, 0x08), 0);
  wr(ch(0, 0x0C), 16 | kWords | kSi | kDi | kI);
  wr(ch(0, 0x10), kE | kIe | kItc);
  EXPECT_EQ(rd(kEnbldChns), 1u);
  run(1000);
  EXPECT_EQ(rd(kRam + 0x100), 0u);  // controller disabled: nothing moved
  wr(kConfig, 1);
  run(15 * 4);
  EXPECT_EQ(rd(kEnbldChns), 1u);  // one element short
  EXPECT_FALSE(b->irqs().pending(kLine));
  run(4);
  EXPECT_EQ(rd(kEnbldChns), 0u);
  for (std::uint32_t i = 0; i < 16; ++i)
    EXPECT_EQ(rd(kRam + 0x100 + 4 * i), 0x01010101u * i + 0x10203040u);
  EXPECT_EQ(rd(ch(0, 0x0C)) & 0xFFF, 0u);
  EXPECT_EQ(rd(ch(0, 0x00)), kRam + 64);  // incremented addresses are visible
  EXPECT_EQ(rd(kRawTc), 1u);
  EXPECT_EQ(rd(kIntTcStatus), 1u);
  EXPECT_EQ(rd(kIntStatus), 1u);
  EXPECT_TRUE(b->irqs().pending(kLine));
  EXPECT_TRUE(b->irqs().level(kLine));
  wr(kIntTcClear, 1);
  EXPECT_EQ(rd(kIntStatus), 0u);
  EXPECT_FALSE(b->irqs().level(kLine));
  EXPECT_EQ(dma->elements_moved(), 16u);
}

TEST_F(SimPl081, MaskedTerminalCountIsRawOnly) {
  wr(kConfig, 1);
  wr(ch(1, 0x00), kRam);
  wr(ch(1, 0x04), kRam + 0x40);
  wr(ch(1, 0x0C), 4 | kBytes | kSi | kDi | kI);
  wr(ch(1, 0x10), kE | kIe);  // ITC clear: masked
  run(100);
  EXPECT_EQ(rd(kRawTc), 2u);
  EXPECT_EQ(rd(kIntTcStatus), 0u);
  EXPECT_FALSE(b->irqs().level(kLine));
}

TEST_F(SimPl081, BusErrorStopsTheChannel) {
  wr(kConfig, 1);
  wr(ch(0, 0x00), kRam);
  wr(ch(0, 0x04), 0x30000000);  // nothing decodes it
  wr(ch(0, 0x0C), 8 | kWords | kSi | kDi | kI);
  wr(ch(0, 0x10), kE | kIe | kItc);
  run(100);
  EXPECT_EQ(rd(kEnbldChns), 0u);
  EXPECT_EQ(rd(kRawErr), 1u);
  EXPECT_EQ(rd(kIntErrorStatus), 1u);
  EXPECT_EQ(rd(kRawTc), 0u);
  EXPECT_EQ(rd(ch(0, 0x0C)) & 0xFFF, 8u);  // nothing transferred
  EXPECT_TRUE(b->irqs().level(kLine));
  wr(kIntErrClr, 1);
  EXPECT_EQ(rd(kIntStatus), 0u);
}

TEST_F(SimPl081, LinkedListItemsRunBackToBack) {
  for (std::uint32_t i = 0; i < 8; ++i) wr(kRam + 4 * i, 100 + i);
  // Item at 0x800: copy words 4..7 to 0x240.
  wr(kRam + 0x800, kRam + 16);
  wr(kRam + 0x804, kRam + 0x240);
  wr(kRam + 0x808, 0);
  wr(kRam + 0x80C, 4 | kWords | kSi | kDi | kI);
  wr(kConfig, 1);
  wr(ch(0, 0x00), kRam);
  wr(ch(0, 0x04), kRam + 0x200);
  wr(ch(0, 0x08), kRam + 0x800);
  wr(ch(0, 0x0C), 4 | kWords | kSi | kDi);  // no TC interrupt for the first item
  wr(ch(0, 0x10), kE | kIe | kItc);
  run(1000);
  EXPECT_EQ(rd(kEnbldChns), 0u);
  for (std::uint32_t i = 0; i < 4; ++i) EXPECT_EQ(rd(kRam + 0x200 + 4 * i), 100 + i);
  for (std::uint32_t i = 0; i < 4; ++i) EXPECT_EQ(rd(kRam + 0x240 + 4 * i), 104 + i);
  EXPECT_EQ(rd(kRawTc), 1u);
}

TEST_F(SimPl081, HaltStopsAndResumes) {
  wr(kConfig, 1);
  wr(ch(0, 0x00), kRam);
  wr(ch(0, 0x04), kRam + 0x100);
  wr(ch(0, 0x0C), 32 | kBytes | kSi | kDi | kI);
  wr(ch(0, 0x10), kE | kItc | kH);
  run(1000);
  EXPECT_EQ(rd(ch(0, 0x0C)) & 0xFFF, 32u);
  wr(ch(0, 0x10), kE | kItc);
  run(1000);
  EXPECT_EQ(rd(kRawTc), 1u);
}

TEST_F(SimPl081, MemoryToPeripheralFollowsTheUartTxRequest) {
  auto* uart = b->find_as<CmsdkUart>("uart0");
  ASSERT_NE(uart, nullptr);
  wr(kUart0 + 0x10, 16);  // 160-cycle frames
  wr(kUart0 + 0x08, 1);   // TX enabled
  const char text[] = "DMA to UART";
  for (unsigned i = 0; i < 11; ++i) ram->bytes()[i] = static_cast<std::uint8_t>(text[i]);
  wr(kConfig, 1);
  wr(ch(0, 0x00), kRam);
  wr(ch(0, 0x04), kUart0);
  wr(ch(0, 0x0C), 11 | kBytes | kSi | kI);  // destination fixed
  const Cycles start = b->clock().now();
  wr(ch(0, 0x10), kE | kItc | kIe | 0u << 6 | 1u << 11);  // request 0, memory-to-peripheral
  while (rd(kEnbldChns) != 0 && b->clock().now() - start < 100'000) b->clock().run_next();
  EXPECT_EQ(rd(kRawTc), 1u);
  // Holding buffer + shifter: the last byte is accepted ~9 frames after the first.
  EXPECT_GE(b->clock().now() - start, 9u * 160u);
  run(2 * 160);
  EXPECT_EQ(uart->transmitted().text(), "DMA to UART");
  EXPECT_EQ(rd(kUart0 + 0x04) & 4, 0u);  // never a TX overrun
}

TEST_F(SimPl081, UnmodelledConfigurationsEndWithAnError) {
  wr(kConfig, 1);
  wr(ch(0, 0x0C), 4 | kBytes);
  wr(ch(0, 0x10), kE | kIe | 4u << 11);  // peripheral is the flow controller
  EXPECT_EQ(rd(kRawErr), 1u);
  wr(kIntErrClr, 1);
  wr(ch(1, 0x0C), 4 | 0u << 18 | 2u << 21);  // byte source, word destination (packing)
  wr(ch(1, 0x10), kE | kIe);
  EXPECT_EQ(rd(kRawErr), 2u);
  EXPECT_EQ(rd(kEnbldChns), 0u);
}

TEST_F(SimPl081, ResetStopsEverything) {
  wr(kConfig, 1);
  wr(ch(0, 0x0C), 100 | kBytes);
  wr(ch(0, 0x00), kRam);
  wr(ch(0, 0x04), kRam + 0x400);
  wr(ch(0, 0x10), kE);
  b->reset();
  EXPECT_EQ(rd(kEnbldChns), 0u);
  EXPECT_EQ(rd(kConfig), 0u);
  run(1000);
  EXPECT_EQ(dma->elements_moved(), 0u);
}

}  // namespace
}  // namespace wasmio::io::sim
