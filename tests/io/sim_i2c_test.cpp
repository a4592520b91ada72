// SBCon I2C: a bit-banging master driving the SBCon registers at 0x4002A000 (the bus QEMU puts
// the TMP105 on), the bit-level bus decoding it, the TMP105 and the AT24C02 answering.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/sim/at24c.h"
#include "io/sim/sbcon_i2c.h"
#include "io/sim/sim_script.h"
#include "io/sim/tmp105.h"
#include "sim_test_support.h"

namespace wasmio::io::sim {
namespace {

using test::make_an385;
using test::rd32;
using test::wr32;

constexpr std::uint64_t kSbcon = 0x4002A000;
constexpr std::uint32_t kScl = 1, kSda = 2;
constexpr std::uint8_t kTmp105 = 0x48, kEeprom = 0x50;

// What a driver does: only register writes/reads, one line change at a time.
class BitBangMaster {
 public:
  explicit BitBangMaster(SimBoard& board) : b_(board) {}
  void scl(bool high) { wr32(b_, kSbcon + (high ? 0x0 : 0x4), kScl); }
  void sda(bool high) { wr32(b_, kSbcon + (high ? 0x0 : 0x4), kSda); }
  bool sda_in() { return (rd32(b_, kSbcon) & kSda) != 0; }

  void start() {  // also a repeated START
    sda(true);
    scl(true);
    sda(false);
    scl(false);
  }
  void stop() {
    sda(false);
    scl(true);
    sda(true);
  }
  bool write_byte(std::uint8_t byte) {
    for (int bit = 7; bit >= 0; --bit) {
      sda(((byte >> bit) & 1) != 0);
      scl(true);
      scl(false);
    }
    sda(true);  // release for the target's ACK
    scl(true);
    const bool ack = !sda_in();
    scl(false);
    return ack;
  }
  std::uint8_t read_byte(bool ack) {
    sda(true);
    std::uint8_t byte = 0;
    for (int bit = 0; bit < 8; ++bit) {
      scl(true);
      byte = static_cast<std::uint8_t>((byte << 1) | (sda_in() ? 1 : 0));
      scl(false);
    }
    sda(!ack);
    scl(true);
    scl(false);
    sda(true);
    return byte;
  }
  // Pointer/word-address write then repeated-START read: the usual register read.
  std::vector<std::uint8_t> read_register(std::uint8_t address, std::uint8_t reg, std::size_t n) {
    std::vector<std::uint8_t> out;
    start();
    EXPECT_TRUE(write_byte(static_cast<std::uint8_t>(address << 1)));
    EXPECT_TRUE(write_byte(reg));
    start();
    EXPECT_TRUE(write_byte(static_cast<std::uint8_t>(address << 1 | 1)));
    for (std::size_t i = 0; i < n; ++i) out.push_back(read_byte(i + 1 < n));
    stop();
    return out;
  }
  bool write_register(std::uint8_t address, std::uint8_t reg, std::vector<std::uint8_t> data) {
    start();
    bool ok = write_byte(static_cast<std::uint8_t>(address << 1)) && write_byte(reg);
    for (std::uint8_t d : data) ok = ok && write_byte(d);
    stop();
    return ok;
  }

 private:
  SimBoard& b_;
};

TEST(SimSbcon, ControlRegistersSetClearAndReadTheLines) {
  auto b = make_an385();
  EXPECT_EQ(rd32(*b, kSbcon), 0u);  // outputs reset low
  wr32(*b, kSbcon + 0x0, kScl | kSda);
  EXPECT_EQ(rd32(*b, kSbcon), kScl | kSda);
  wr32(*b, kSbcon + 0x4, kScl);
  EXPECT_EQ(rd32(*b, kSbcon), kSda);
  EXPECT_EQ(rd32(*b, kSbcon + 0x4), 0u);  // CONTROLC is write-only
}

TEST(SimSbcon, Tmp105TemperatureSetByTheScript) {
  auto b = make_an385();
  SimScript script(*b);
  ASSERT_TRUE(script.set_temperature(1000, "tmp105", 23625));  // 23.625 degC
  BitBangMaster m(*b);
  EXPECT_EQ(m.read_register(kTmp105, 0, 2), (std::vector<std::uint8_t>{0x00, 0x00}));
  b->clock().advance_to(1000);
  // Reset resolution is 9 bits: 0.5 degC steps.
  EXPECT_EQ(m.read_register(kTmp105, 0, 2), (std::vector<std::uint8_t>{23, 0x80}));
  // 12-bit resolution (R1:R0 = 11) shows 1/16 degC: 0.625 = 10/16.
  ASSERT_TRUE(m.write_register(kTmp105, 1, {0x60}));
  EXPECT_EQ(m.read_register(kTmp105, 1, 1), (std::vector<std::uint8_t>{0x60}));
  EXPECT_EQ(m.read_register(kTmp105, 0, 2), (std::vector<std::uint8_t>{23, 0xA0}));
  // Negative temperatures are two's complement: -10.25 degC = 0xF5C0.
  auto* sensor = b->find_as<Tmp105>("tmp105");
  ASSERT_TRUE(sensor->set_temperature_mc(-10250));
  EXPECT_EQ(m.read_register(kTmp105, 0, 2), (std::vector<std::uint8_t>{0xF5, 0xC0}));
  // Outside the register's range: refused, the reading stays.
  EXPECT_FALSE(sensor->set_temperature_mc(128000));
  EXPECT_FALSE(script.set_temperature(b->clock().now(), "tmp105", -130000));
  EXPECT_EQ(m.read_register(kTmp105, 0, 2), (std::vector<std::uint8_t>{0xF5, 0xC0}));
}

TEST(SimSbcon, Tmp105OneShotBitIsACommandNotState) {
  auto b = make_an385();
  BitBangMaster m(*b);
  ASSERT_TRUE(m.write_register(kTmp105, 1, {0x81}));  // OS | SD
  EXPECT_EQ(m.read_register(kTmp105, 1, 1), (std::vector<std::uint8_t>{0x01}));
}

TEST(SimSbcon, Tmp105PointerPersistsAndLimitsAre12Bit) {
  auto b = make_an385();
  BitBangMaster m(*b);
  EXPECT_EQ(m.read_register(kTmp105, 2, 2), (std::vector<std::uint8_t>{0x4B, 0x00}));  // 75 degC
  EXPECT_EQ(m.read_register(kTmp105, 3, 2), (std::vector<std::uint8_t>{0x50, 0x00}));  // 80 degC
  ASSERT_TRUE(m.write_register(kTmp105, 3, {0x55, 0x5F}));
  // A read without a pointer write uses the last pointer (3); the low nibble is not stored.
  m.start();
  ASSERT_TRUE(m.write_byte(kTmp105 << 1 | 1));
  const std::uint8_t msb = m.read_byte(true);
  const std::uint8_t lsb = m.read_byte(true);
  const std::uint8_t past = m.read_byte(false);
  m.stop();
  EXPECT_EQ(msb, 0x55);
  EXPECT_EQ(lsb, 0x50);
  EXPECT_EQ(past, 0xFF);
}

TEST(SimSbcon, AbsentAddressIsNacked) {
  auto b = make_an385();
  BitBangMaster m(*b);
  m.start();
  EXPECT_FALSE(m.write_byte(0x49 << 1));
  m.stop();
  auto& bus = b->find_as<SbconI2c>("i2c_shield1")->bus();
  ASSERT_GE(bus.trace().size(), 3u);
  EXPECT_EQ(bus.trace()[0].kind, I2cBus::Trace::kStart);
  EXPECT_EQ(bus.trace()[1].kind, I2cBus::Trace::kAddress);
  EXPECT_EQ(bus.trace()[1].byte, 0x92);
  EXPECT_FALSE(bus.trace()[1].ack);
  EXPECT_EQ(bus.trace().back().kind, I2cBus::Trace::kStop);
  // The other SBCon buses are empty.
  auto& touch = b->find_as<SbconI2c>("i2c_touch")->bus();
  EXPECT_TRUE(touch.trace().empty());
}

TEST(SimSbcon, EepromPageWriteAckPollingAndSequentialRead) {
  auto b = make_an385();
  auto* eeprom = b->find_as<At24c>("eeprom0");
  ASSERT_NE(eeprom, nullptr);
  BitBangMaster m(*b);
  const std::string text = "wasmio!!";
  ASSERT_TRUE(m.write_register(kEeprom, 0x10, std::vector<std::uint8_t>(text.begin(), text.end())));
  const Cycles written = b->clock().now();
  // Internal write cycle (tWR = 5 ms): the device NACKs its address.
  m.start();
  EXPECT_FALSE(m.write_byte(kEeprom << 1));
  m.stop();
  b->clock().advance_to(written + b->clock().cycles_from_ms(5));
  m.start();
  EXPECT_TRUE(m.write_byte(kEeprom << 1));
  m.stop();
  const auto back = m.read_register(kEeprom, 0x10, 8);
  EXPECT_EQ(std::string(back.begin(), back.end()), text);
  EXPECT_EQ(eeprom->contents()[0x17], '!');
  EXPECT_EQ(eeprom->contents()[0x18], 0xFF);  // erased
}

TEST(SimSbcon, EepromPageRollOverAndReadWrapAround) {
  auto b = make_an385();
  auto* eeprom = b->find_as<At24c>("eeprom0");
  eeprom->set_write_cycle(0);  // QEMU-like: no busy time
  BitBangMaster m(*b);
  ASSERT_TRUE(m.write_register(kEeprom, 0x0E, {1, 2, 3, 4}));
  // 0x0E, 0x0F, then the address rolls over to the start of the 8-byte page.
  EXPECT_EQ(eeprom->contents()[0x0E], 1);
  EXPECT_EQ(eeprom->contents()[0x0F], 2);
  EXPECT_EQ(eeprom->contents()[0x08], 3);
  EXPECT_EQ(eeprom->contents()[0x09], 4);
  EXPECT_EQ(eeprom->contents()[0x10], 0xFF);
  eeprom->contents()[0xFF] = 0xAB;
  eeprom->contents()[0x00] = 0xCD;
  EXPECT_EQ(m.read_register(kEeprom, 0xFF, 2), (std::vector<std::uint8_t>{0xAB, 0xCD}));
  // Current-address read continues where the last read stopped (0x01).
  eeprom->contents()[0x01] = 0x42;
  m.start();
  ASSERT_TRUE(m.write_byte(kEeprom << 1 | 1));
  EXPECT_EQ(m.read_byte(false), 0x42);
  m.stop();
}

TEST(SimSbcon, DataWrittenWithoutStopIsNotCommitted) {
  auto b = make_an385();
  auto* eeprom = b->find_as<At24c>("eeprom0");
  BitBangMaster m(*b);
  m.start();
  ASSERT_TRUE(m.write_byte(kEeprom << 1));
  ASSERT_TRUE(m.write_byte(0x20));
  ASSERT_TRUE(m.write_byte(0x99));
  EXPECT_EQ(eeprom->contents()[0x20], 0xFF);  // latched in the page buffer only
  m.stop();
  EXPECT_EQ(eeprom->contents()[0x20], 0x99);
  b->clock().advance(b->clock().cycles_from_ms(5));
  // Data followed by a repeated START (to another device) instead of STOP is discarded.
  m.start();
  ASSERT_TRUE(m.write_byte(kEeprom << 1));
  ASSERT_TRUE(m.write_byte(0x21));
  ASSERT_TRUE(m.write_byte(0x77));
  m.start();
  ASSERT_TRUE(m.write_byte(kTmp105 << 1));
  m.stop();
  EXPECT_EQ(eeprom->contents()[0x21], 0xFF);
  EXPECT_FALSE(eeprom->busy());
}

}  // namespace
}  // namespace wasmio::io::sim
