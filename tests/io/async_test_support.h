// Shared by the tests/io/async_* tests: the AN385 + PL081 + SPI flash board variant
// (boards/mps2-an385-dma.dts) and SPI helpers for the flash on the shield-0 PL022.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "io/board/devicetree.h"
#include "io/sim/sim_board.h"

namespace wasmio::io::test {

inline std::string an385_dma_dtb_path() {
  return std::string(WASMIO_BOARDS_DIR) + "/mps2-an385-dma.dtb";
}

inline const Devicetree& an385_dma() {
  static std::unique_ptr<Devicetree> tree = [] {
    DevicetreeLoad load = load_devicetree_file(an385_dma_dtb_path());
    if (!load) ADD_FAILURE() << load.error;
    return std::move(load.tree);
  }();
  return *tree;
}

inline std::unique_ptr<sim::SimBoard> make_an385_dma(sim::Cycles access_cycles = 0) {
  std::string error;
  sim::SimBoard::Options options;
  options.access_cycles = access_cycles;
  auto board = sim::SimBoard::create(an385_dma().board(), &error, options);
  EXPECT_TRUE(board != nullptr) << error;
  return board;
}

inline constexpr std::uint64_t kShield0Spi = 0x40026000;
inline constexpr std::uint64_t kFpgaioMisc = 0x4002804C;
inline constexpr std::uint32_t kFlashCsBit = 1u << 8;  // SHIELD_0_SPI_nCS

// Polled SPI on the shield-0 PL022 through the bus, as a register-level driver does it.
class SpiBusMaster {
 public:
  explicit SpiBusMaster(sim::SimBoard& b, std::uint32_t cr0 = 0x00C7) : b_(b) {
    write(kFpgaioMisc, kFlashCsBit);  // deselect
    write(kShield0Spi + 0x00, cr0);   // 8-bit Motorola, mode 3 by default
    write(kShield0Spi + 0x10, 2);     // CPSDVSR 2
    write(kShield0Spi + 0x04, 2);     // SSE
  }
  std::uint32_t read(std::uint64_t a) { return static_cast<std::uint32_t>(b_.read(a, 4).value); }
  void write(std::uint64_t a, std::uint32_t v) {
    EXPECT_EQ(b_.write(a, 4, v), sim::BusStatus::kOk);
  }
  // One select: every word out, every word in.
  std::vector<std::uint16_t> transfer(const std::vector<std::uint16_t>& out) {
    write(kFpgaioMisc, 0);
    std::vector<std::uint16_t> in;
    for (std::uint16_t w : out) {
      write(kShield0Spi + 0x08, w);
      while ((read(kShield0Spi + 0x0C) & 4) == 0) {  // RNE
        if (!b_.clock().run_next()) break;
      }
      in.push_back(static_cast<std::uint16_t>(read(kShield0Spi + 0x08)));
    }
    write(kFpgaioMisc, kFlashCsBit);
    return in;
  }

 private:
  sim::SimBoard& b_;
};

}  // namespace wasmio::io::test
