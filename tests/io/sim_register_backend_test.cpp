// Register windows: the raw backend does volatile accesses of exactly the requested width on
// mapped memory (checked against an anonymous mmap whose window ends at a PROT_NONE guard page:
// any widened access at the window's last bytes would fault); the device backend reaches the
// simulated board. Both refuse out-of-window, misaligned and bad-width accesses identically.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

#include "io/access/register_backend.h"
#include "io/sim/cmsdk_uart.h"
#include "sim_test_support.h"

namespace wasmio::io {
namespace {

class GuardedMapping {
 public:
  GuardedMapping() {
    page_ = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    void* p = mmap(nullptr, 2 * page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_NE(p, MAP_FAILED);
    base_ = static_cast<std::uint8_t*>(p);
    EXPECT_EQ(mprotect(base_ + page_, page_, PROT_NONE), 0);
  }
  ~GuardedMapping() { munmap(base_, 2 * page_); }
  // The last `size` bytes before the guard page.
  std::uint8_t* tail(std::size_t size) { return base_ + page_ - size; }

 private:
  std::size_t page_ = 0;
  std::uint8_t* base_ = nullptr;
};

TEST(RawRegisterWindow, ExactWidthWritesTouchOnlyTheirBytes) {
  GuardedMapping map;
  std::uint8_t* regs = map.tail(64);
  std::memset(regs, 0xEE, 64);
  const RegisterWindow w = RegisterWindow::raw(0x40004000, 64, regs, 8);
  ASSERT_EQ(w.write(0x11, 1, 0x1234), RegStatus::kOk);  // only the low byte
  ASSERT_EQ(w.write(0x22, 2, 0xABCD), RegStatus::kOk);
  ASSERT_EQ(w.write(0x24, 4, 0x11223344), RegStatus::kOk);
  ASSERT_EQ(w.write(0x30, 8, 0x0102030405060708ull), RegStatus::kOk);
  const std::uint8_t expected_bytes[][2] = {
      {0x10, 0xEE}, {0x11, 0x34}, {0x12, 0xEE}, {0x21, 0xEE}, {0x22, 0xCD}, {0x23, 0xAB},
      {0x24, 0x44}, {0x27, 0x11}, {0x28, 0xEE}, {0x2F, 0xEE}, {0x30, 0x08}, {0x37, 0x01},
      {0x38, 0xEE}};
  for (const auto& [offset, byte] : expected_bytes) EXPECT_EQ(regs[offset], byte) << int(offset);
  EXPECT_EQ(w.read(0x22, 2).value, 0xABCDu);
  EXPECT_EQ(w.read(0x24, 4).value, 0x11223344u);
  EXPECT_EQ(w.read(0x30, 8).value, 0x0102030405060708ull);
  EXPECT_EQ(w.read(0x11, 1).value, 0x34u);
  EXPECT_EQ(w.read(0x24, 2).value, 0x3344u);  // part of a word: exactly those bytes
}

TEST(RawRegisterWindow, LastBytesBeforeTheGuardPageAtEveryWidth) {
  GuardedMapping map;
  std::uint8_t* regs = map.tail(16);
  const RegisterWindow w = RegisterWindow::raw(0, 16, regs, 8);
  for (unsigned width : {1u, 2u, 4u, 8u}) {
    SCOPED_TRACE(width);
    const std::uint64_t last = 16 - width;
    ASSERT_EQ(w.write(last, width, 0x8877665544332211ull), RegStatus::kOk);
    const std::uint64_t mask = width == 8 ? ~0ull : (1ull << (8 * width)) - 1;
    EXPECT_EQ(w.read(last, width).value, 0x8877665544332211ull & mask);
    // One step further would cross into the guard page: refused before any access.
    EXPECT_EQ(w.read(last + width, width).status, RegStatus::kOutOfWindow);
  }
}

TEST(RawRegisterWindow, RefusedAccesses) {
  GuardedMapping map;
  const RegisterWindow w = RegisterWindow::raw(0x40000000, 0x20, map.tail(0x20));  // 32-bit regs
  EXPECT_EQ(w.read(0x20, 1).status, RegStatus::kOutOfWindow);
  EXPECT_EQ(w.read(0x1E, 4).status, RegStatus::kMisaligned);
  EXPECT_EQ(w.read(0x1C, 4).status, RegStatus::kOk);
  EXPECT_EQ(w.read(0x18, 8).status, RegStatus::kBadWidth);  // wider than the window allows
  EXPECT_EQ(w.read(0x0, 3).status, RegStatus::kBadWidth);
  EXPECT_EQ(w.write(0x0, 16, 0), RegStatus::kBadWidth);
  EXPECT_EQ(w.write(0x2, 4, 0), RegStatus::kMisaligned);
  EXPECT_EQ(w.write(~0ull - 3, 4, 0), RegStatus::kOutOfWindow);  // no wrap-around
  EXPECT_EQ(w.check(0x1C, 4), RegStatus::kOk);
  EXPECT_TRUE(w.is_raw());
  EXPECT_STREQ(reg_status_name(RegStatus::kOutOfWindow), "access outside the register window");
}

TEST(SimRegisterWindow, ReachesTheBoardAndKeepsItsOwnBounds) {
  auto board = test::make_an385();
  const RegisterWindow uart = sim_register_window(*board, 0x40004000, 0x20);
  EXPECT_FALSE(uart.is_raw());
  ASSERT_EQ(uart.write(0x10, 4, 16), RegStatus::kOk);  // BAUDDIV
  ASSERT_EQ(uart.write(0x08, 4, 1), RegStatus::kOk);   // TX enable
  ASSERT_EQ(uart.write(0x00, 1, 'w'), RegStatus::kOk);
  board->clock().advance(160);
  EXPECT_EQ(board->find_as<sim::CmsdkUart>("uart0")->transmitted().text(), "w");
  EXPECT_EQ(uart.read(0x10, 4).value, 16u);
  // Outside the 0x20-byte grant, even though the UART decodes 4 KiB: refused by the window.
  EXPECT_EQ(uart.read(0x20, 4).status, RegStatus::kOutOfWindow);
  EXPECT_EQ(uart.read(0x12, 4).status, RegStatus::kMisaligned);
  // A window over nothing: the board's bus error comes through.
  const RegisterWindow hole = sim_register_window(*board, 0x40003000, 0x1000);
  EXPECT_EQ(hole.read(0, 4).status, RegStatus::kBusError);
  EXPECT_EQ(hole.write(0, 4, 1), RegStatus::kBusError);
  // A window that allows 8-byte accesses still meets the APB's 32-bit port.
  const RegisterWindow wide = sim_register_window(*board, 0x40004000, 0x20, 8);
  EXPECT_EQ(wide.read(0, 8).status, RegStatus::kBadWidth);
}

TEST(SimRegisterWindow, AccessesTakeBoardTime) {
  auto board = test::make_an385(2);
  const RegisterWindow io = sim_register_window(*board, 0x40028000, 0x100);
  const sim::Cycles before = board->clock().now();
  (void)io.read(0x18, 4);
  (void)io.write(0x00, 4, 1);
  EXPECT_EQ(board->clock().now() - before, 4u);
  // Refused by the window: never reaches the bus, takes no time.
  (void)io.read(0x100, 4);
  EXPECT_EQ(board->clock().now() - before, 4u);
}

}  // namespace
}  // namespace wasmio::io
