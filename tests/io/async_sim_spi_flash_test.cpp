// The W25Q16JV SPI NOR flash model behind the shield-0 PL022 of the mps2-an385-dma board, driven
// through the bus with the FPGAIO MISC chip select: IDs, read, page program with page wrap,
// WEL and BUSY rules, erase, frame sizes and SPI modes.
#include <gtest/gtest.h>

#include "async_test_support.h"
#include "io/sim/spi_nor_flash.h"

namespace wasmio::io::sim {
namespace {

using test::SpiBusMaster;
using W = std::vector<std::uint16_t>;

class SimSpiFlash : public ::testing::Test {
 protected:
  void SetUp() override {
    b = test::make_an385_dma();
    ASSERT_NE(b, nullptr);
    flash = b->find_as<SpiNorFlash>("spi_flash");
    ASSERT_NE(flash, nullptr);
  }
  std::uint8_t status(SpiBusMaster& m) {
    return static_cast<std::uint8_t>(m.transfer({0x05, 0})[1]);
  }
  std::unique_ptr<SimBoard> b;
  SpiNorFlash* flash = nullptr;
};

TEST_F(SimSpiFlash, ChipSelectIsFpgaioMiscBit8ActiveLow) {
  EXPECT_TRUE(flash->selected());  // MISC resets to 0: nCS low
  ASSERT_EQ(b->write(test::kFpgaioMisc, 4, test::kFlashCsBit), BusStatus::kOk);
  EXPECT_FALSE(flash->selected());
  ASSERT_EQ(b->write(test::kFpgaioMisc, 4, 1u << 7), BusStatus::kOk);  // the ADC's bit
  EXPECT_TRUE(flash->selected());
}

TEST_F(SimSpiFlash, JedecAndManufacturerIds) {
  SpiBusMaster m(*b);
  EXPECT_EQ(m.transfer({0x9F, 0, 0, 0, 0}), (W{0xFF, 0xEF, 0x40, 0x15, 0xEF}));
  EXPECT_EQ(m.transfer({0x90, 0, 0, 0, 0, 0}), (W{0xFF, 0xFF, 0xFF, 0xFF, 0xEF, 0x14}));
  EXPECT_EQ(m.transfer({0x90, 0, 0, 1, 0, 0}), (W{0xFF, 0xFF, 0xFF, 0xFF, 0x14, 0xEF}));
  EXPECT_EQ(m.transfer({0xAB, 0, 0, 0, 0}), (W{0xFF, 0xFF, 0xFF, 0xFF, 0x14}));
}

TEST_F(SimSpiFlash, UnselectedFlashIgnoresFrames) {
  SpiBusMaster m(*b);
  ASSERT_EQ(b->write(test::kShield0Spi + 0x08, 4, 0x9F), BusStatus::kOk);  // CS high
  while (b->clock().run_next()) {
  }
  EXPECT_EQ(b->read(test::kShield0Spi + 0x08, 4).value, 0xFFu);  // MISO pulled up
}

TEST_F(SimSpiFlash, ProgramWrapsInsideThePageAndOnlyClearsBits) {
  SpiBusMaster m(*b);
  for (int i = 0; i < 16; ++i) flash->memory()[0x100 + i] = 0xF0;
  m.transfer({0x06});
  EXPECT_EQ(status(m), 0x02);  // WEL
  // Four bytes at 0x1FE: two at the page's end, two wrap to 0x100.
  m.transfer({0x02, 0x00, 0x01, 0xFE, 0x11, 0x22, 0x3C, 0x44});
  EXPECT_EQ(status(m), 0x03);  // BUSY | WEL
  EXPECT_EQ(flash->programs(), 1u);
  // Busy: READ is ignored (MISO stays pulled up).
  EXPECT_EQ(m.transfer({0x03, 0x00, 0x01, 0xFE, 0}), (W{0xFF, 0xFF, 0xFF, 0xFF, 0xFF}));
  b->clock().advance(10'000);
  EXPECT_EQ(status(m), 0x00);  // done: WEL cleared
  EXPECT_EQ(m.transfer({0x03, 0x00, 0x01, 0xFE, 0, 0}), (W{0xFF, 0xFF, 0xFF, 0xFF, 0x11, 0x22}));
  EXPECT_EQ(flash->memory()[0x100], 0x30);  // 0xF0 & 0x3C
  EXPECT_EQ(flash->memory()[0x101], 0x40);  // 0xF0 & 0x44
  EXPECT_EQ(flash->memory()[0x200], 0xFF);  // next page untouched
}

TEST_F(SimSpiFlash, ProgramWithoutWriteEnableIsIgnored) {
  SpiBusMaster m(*b);
  m.transfer({0x02, 0, 0, 0, 0x00});
  EXPECT_EQ(status(m), 0x00);
  EXPECT_EQ(flash->memory()[0], 0xFF);
  m.transfer({0x06});
  m.transfer({0x04});  // WRDI
  m.transfer({0x02, 0, 0, 0, 0x00});
  EXPECT_EQ(flash->memory()[0], 0xFF);
  EXPECT_EQ(flash->programs(), 0u);
}

TEST_F(SimSpiFlash, SectorEraseNeedsExactlyFourBytesAndTakesTime) {
  SpiBusMaster m(*b);
  flash->memory()[0x1234] = 0;
  flash->memory()[0x2000] = 0;
  m.transfer({0x06});
  m.transfer({0x20, 0x00, 0x12, 0x34, 0x00});  // one byte too many: not executed
  EXPECT_EQ(flash->memory()[0x1234], 0);
  m.transfer({0x20, 0x00, 0x12, 0x34});
  EXPECT_EQ(flash->memory()[0x1234], 0xFF);
  EXPECT_EQ(flash->memory()[0x2000], 0);  // next sector kept
  EXPECT_EQ(status(m) & 1, 1);
  m.transfer({0x06});  // ignored while busy
  b->clock().advance(1'125'000);
  EXPECT_EQ(status(m), 0x00);
}

TEST_F(SimSpiFlash, SixteenBitFramesCarryTwoBytes) {
  SpiBusMaster m(*b, 0x00CF);  // 16-bit, mode 3
  flash->memory()[0] = 0xAB;
  flash->memory()[1] = 0xCD;
  EXPECT_EQ(m.transfer({0x9F00, 0x0000}), (W{0xFFEF, 0x4015}));
  EXPECT_EQ(m.transfer({0x0300, 0x0000, 0x0000}), (W{0xFFFF, 0xFFFF, 0xABCD}));
}

TEST_F(SimSpiFlash, ModeOneSamplesNothing) {
  SpiBusMaster m(*b, 0x0087);  // SPH only: mode 1
  EXPECT_EQ(m.transfer({0x9F, 0, 0}), (W{0xFF, 0xFF, 0xFF}));
  SpiBusMaster m0(*b, 0x0007);  // mode 0 works
  EXPECT_EQ(m0.transfer({0x9F, 0}), (W{0xFF, 0xEF}));
}

TEST_F(SimSpiFlash, DeepPowerDownOnlyAnswersRelease) {
  SpiBusMaster m(*b);
  m.transfer({0xB9});
  EXPECT_EQ(m.transfer({0x9F, 0}), (W{0xFF, 0xFF}));
  m.transfer({0xAB});
  EXPECT_EQ(m.transfer({0x9F, 0}), (W{0xFF, 0xEF}));
}

TEST_F(SimSpiFlash, BoardResetKeepsContents) {
  flash->memory()[7] = 0x5A;
  b->reset();
  SpiBusMaster m(*b);
  EXPECT_EQ(m.transfer({0x03, 0, 0, 7, 0}), (W{0xFF, 0xFF, 0xFF, 0xFF, 0x5A}));
}

}  // namespace
}  // namespace wasmio::io::sim
