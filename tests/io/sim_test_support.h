// Shared by the tests/io/sim_* and devicetree_* tests: the compiled AN385 board and a simulated
// board built from it.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "io/board/devicetree.h"
#include "io/sim/sim_board.h"

namespace wasmio::io::test {

inline std::string an385_dtb_path() { return std::string(WASMIO_BOARDS_DIR) + "/mps2-an385.dtb"; }

// Loaded once per test binary; the description views stay valid for every test.
inline const Devicetree& an385() {
  static std::unique_ptr<Devicetree> tree = [] {
    DevicetreeLoad load = load_devicetree_file(an385_dtb_path());
    if (!load) ADD_FAILURE() << load.error;
    return std::move(load.tree);
  }();
  return *tree;
}

// A fresh simulated AN385. access_cycles 0 makes register accesses timeless, so tests can state
// exact counter values; tests of the access cost set it themselves.
inline std::unique_ptr<sim::SimBoard> make_an385(sim::Cycles access_cycles = 0) {
  std::string error;
  sim::SimBoard::Options options;
  options.access_cycles = access_cycles;
  auto board = sim::SimBoard::create(an385().board(), &error, options);
  EXPECT_TRUE(board != nullptr) << error;
  return board;
}

// 32-bit register helpers that fail the test on a bus error.
inline std::uint32_t rd32(sim::SimBoard& b, std::uint64_t address) {
  const sim::BusRead r = b.read(address, 4);
  EXPECT_EQ(r.status, sim::BusStatus::kOk) << std::hex << address;
  return static_cast<std::uint32_t>(r.value);
}
inline void wr32(sim::SimBoard& b, std::uint64_t address, std::uint32_t value) {
  EXPECT_EQ(b.write(address, 4, value), sim::BusStatus::kOk) << std::hex << address;
}

}  // namespace wasmio::io::test
