// The simulated AN385's bus: every devicetree peripheral decodes at its address, unmapped and
// malformed accesses are error values, sub-word accesses follow QEMU's memory core.
#include <gtest/gtest.h>

#include "io/sim/cmsdk_uart.h"
#include "io/sim/mps2_fpgaio.h"
#include "io/sim/pl022.h"
#include "io/sim/tmp105.h"
#include "sim_test_support.h"

namespace wasmio::io::sim {
namespace {

using test::an385;
using test::make_an385;
using test::rd32;
using test::wr32;

TEST(SimBus, EveryModelledPeripheralIsMappedAtItsDevicetreeWindow) {
  auto board = make_an385();
  std::size_t mapped = 0;
  for (const auto& n : an385().board().nodes) {
    if (!n.enabled || n.regs.empty() || n.compatible.empty()) continue;
    SimDevice* d = board->find(n.label);
    if (d == nullptr) continue;  // unmodelled (listed below)
    ++mapped;
    EXPECT_EQ(board->device_at(n.regs[0].address), d) << n.label;
    EXPECT_EQ(board->device_at(n.regs[0].address + n.regs[0].size - 1), d) << n.label;
    EXPECT_EQ(d->config().path, n.path);
  }
  EXPECT_EQ(mapped, 23u);  // 5 UART, 2 timers, dual timer, watchdog, 4 GPIO, 5 SSP, 4 SBCon, FPGAIO
  // The core-private blocks are not bus devices of the model: the NVIC is the
  // InterruptController, SysTick belongs to the CPU.
  EXPECT_EQ(board->unmodelled(),
            (std::vector<std::string>{"/interrupt-controller@e000e100", "/timer@e000e010"}));
  EXPECT_NE(board->find_as<Tmp105>("tmp105"), nullptr);
  EXPECT_EQ(board->find_as<CmsdkUart>("tmp105"), nullptr);
  EXPECT_EQ(board->find_as<Pl022>("uart0"), nullptr);
}

TEST(SimBus, UnmappedAccessIsABusErrorValue) {
  auto board = make_an385();
  for (std::uint64_t address : {0x40003000ull, 0x4000A000ull, 0x40024000ull, 0x4002B000ull,
                                0x50000000ull, 0x0ull, 0xE000E100ull}) {
    SCOPED_TRACE(address);
    const BusRead r = board->read(address, 4);
    EXPECT_EQ(r.status, BusStatus::kUnmapped);
    EXPECT_EQ(r.value, 0u);
    EXPECT_EQ(board->write(address, 4, 0xFFFFFFFF), BusStatus::kUnmapped);
  }
  EXPECT_STREQ(bus_status_name(BusStatus::kUnmapped), "bus error: no device at this address");
}

TEST(SimBus, WidthAndAlignmentErrors) {
  auto board = make_an385();
  EXPECT_EQ(board->read(0x40004000, 3).status, BusStatus::kBadWidth);
  EXPECT_EQ(board->read(0x40004000, 0).status, BusStatus::kBadWidth);
  EXPECT_EQ(board->read(0x40004000, 8).status, BusStatus::kBadWidth);  // APB: 32-bit port
  EXPECT_EQ(board->write(0x40004000, 8, 0), BusStatus::kBadWidth);
  EXPECT_EQ(board->read(0x40004002, 4).status, BusStatus::kMisaligned);
  EXPECT_EQ(board->write(0x40004001, 2, 0), BusStatus::kMisaligned);
  EXPECT_EQ(board->read(0x40004001, 1).status, BusStatus::kOk);
}

TEST(SimBus, SubWordAccessesActOnTheWholeRegisterOnlyAtItsAddress) {
  auto board = make_an385();
  const std::uint64_t baud = 0x40004010;  // UART0 BAUDDIV, 20 bits
  wr32(*board, baud, 0x000ABCDE);
  EXPECT_EQ(board->read(baud, 1).value, 0xDEu);
  EXPECT_EQ(board->read(baud, 2).value, 0xBCDEu);
  EXPECT_EQ(board->read(baud + 1, 1).value, 0u);  // not a register address
  EXPECT_EQ(board->read(baud + 2, 2).value, 0u);
  // A byte write at the register address writes the whole register, zero-extended.
  ASSERT_EQ(board->write(baud, 1, 0x55), BusStatus::kOk);
  EXPECT_EQ(rd32(*board, baud), 0x55u);
  // A write at another offset inside the register is ignored.
  ASSERT_EQ(board->write(baud + 2, 2, 0xFFFF), BusStatus::kOk);
  EXPECT_EQ(rd32(*board, baud), 0x55u);
}

TEST(SimBus, ReservedRegistersReadZeroAndIgnoreWrites) {
  auto board = make_an385();
  for (std::uint64_t base : {0x40000000ull, 0x40002000ull, 0x40004000ull, 0x40008000ull,
                             0x40020000ull, 0x40028000ull, 0x4002A000ull, 0x40010000ull}) {
    SCOPED_TRACE(base);
    wr32(*board, base + 0x800, 0xFFFFFFFF);
    EXPECT_EQ(rd32(*board, base + 0x800), 0u);
  }
}

TEST(SimBus, PeripheralIdRegisters) {
  auto board = make_an385();
  struct Id {
    std::uint64_t base;
    std::uint32_t pid0;
  };
  // CMSDK part numbers: UART 0x821, timer 0x822, dual timer 0x823, watchdog 0x824; PL022 0x022.
  for (const Id& id : {Id{0x40004000, 0x21}, Id{0x40000000, 0x22}, Id{0x40002000, 0x23},
                       Id{0x40008000, 0x24}, Id{0x40020000, 0x22}}) {
    SCOPED_TRACE(id.base);
    EXPECT_EQ(rd32(*board, id.base + 0xFE0), id.pid0);
    EXPECT_EQ(rd32(*board, id.base + 0xFF0), 0x0Du);
    EXPECT_EQ(rd32(*board, id.base + 0xFF4), 0xF0u);
    EXPECT_EQ(rd32(*board, id.base + 0xFF8), 0x05u);
    EXPECT_EQ(rd32(*board, id.base + 0xFFC), 0xB1u);
  }
  EXPECT_EQ(rd32(*board, 0x40004000 + 0xFD0), 0x04u);  // CMSDK PID4
  EXPECT_EQ(rd32(*board, 0x40004000 + 0xFE4), 0xB8u);
  EXPECT_EQ(rd32(*board, 0x40020000 + 0xFE4), 0x10u);  // PL022 PID1
}

TEST(SimBus, EachAccessTakesItsCyclesOfVirtualTime) {
  auto board = make_an385(2);
  EXPECT_EQ(board->clock().now(), 0u);
  rd32(*board, 0x40028018);
  EXPECT_EQ(board->clock().now(), 2u);
  wr32(*board, 0x40028000, 1);
  EXPECT_EQ(board->clock().now(), 4u);
  // COUNTER (25 MHz, PRESCALE 0) sees the time the polling itself takes.
  const std::uint32_t a = rd32(*board, 0x40028018);
  const std::uint32_t b = rd32(*board, 0x40028018);
  EXPECT_EQ(b - a, 2u);
}

TEST(SimBus, OverlappingDevicesAreRejected) {
  SimBoard board(25'000'000, 32, 3);
  DeviceConfig a{"a", "/a", {0x1000, 0x1000}, 25'000'000};
  DeviceConfig b{"b", "/b", {0x1800, 0x1000}, 25'000'000};
  DeviceConfig c{"c", "/c", {0x2000, 0x1000}, 25'000'000};
  EXPECT_TRUE(board.add_device(std::make_unique<CmsdkUart>(a, board.context())));
  EXPECT_FALSE(board.add_device(std::make_unique<CmsdkUart>(b, board.context())));
  EXPECT_TRUE(board.add_device(std::make_unique<CmsdkUart>(c, board.context())));
  EXPECT_EQ(board.device_at(0x1FFF)->label(), "a");
  EXPECT_EQ(board.device_at(0x2000)->label(), "c");
  EXPECT_EQ(board.device_at(0x3000), nullptr);
}

}  // namespace
}  // namespace wasmio::io::sim
