// What every `wasmio ... --board` run starts from: the driver's bytes and a simulated board
// built from the devicetree, with the CLI's error reporting in one place.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/container/board_session.h"

namespace wasmio::cli {

// Reads `module_path` into `*bytes` and opens the board; on failure prints
// "wasmio: ..." to stderr and returns nullptr.
std::unique_ptr<io::BoardSession> open_board_with_module(const std::string& board_path,
                                                         const std::string& module_path,
                                                         std::vector<std::uint8_t>* bytes);

}  // namespace wasmio::cli
