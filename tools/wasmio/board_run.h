// `wasmio run --board B.dtb DRIVER.wasm`: the driver in a container on the simulated board.
// UART output goes to stdout; LED changes print as "[leds] ..." lines (held back while a UART
// line is incomplete, so the two never interleave mid-line).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wasmio::cli {

struct BoardRunOptions {
  std::string board;  // .dtb
  std::string file;   // driver .wasm
  std::string invoke;  // default: main
  std::vector<std::string> args;
  std::optional<std::uint64_t> fuel;
  std::optional<double> temperature_c;  // every TMP105 on the board
};

int run_on_board(const BoardRunOptions& options);

}  // namespace wasmio::cli
