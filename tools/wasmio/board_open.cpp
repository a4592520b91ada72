#include "board_open.h"

#include <fmt/format.h>

#include "module_file.h"

namespace wasmio::cli {

std::unique_ptr<io::BoardSession> open_board_with_module(const std::string& board_path,
                                                         const std::string& module_path,
                                                         std::vector<std::uint8_t>* bytes) {
  if (!read_module_file(module_path, bytes)) return nullptr;
  std::string error;
  std::unique_ptr<io::BoardSession> session = io::BoardSession::open_file(board_path, &error);
  if (!session) fmt::print(stderr, "wasmio: board {}: {}\n", board_path, error);
  return session;
}

}  // namespace wasmio::cli
