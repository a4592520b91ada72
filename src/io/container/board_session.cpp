#include "board_session.h"

namespace wasmio::io {

BoardSession::BoardSession(std::unique_ptr<Devicetree> tree, std::unique_ptr<sim::SimBoard> board)
    : tree_(std::move(tree)),
      board_(std::move(board)),
      registry_(std::make_unique<GrantRegistry>(tree_->board())),
      windows_(*board_) {}

BoardSession::~BoardSession() = default;

std::unique_ptr<BoardSession> BoardSession::finish(DevicetreeLoad loaded, std::string* error) {
  if (!loaded) {
    *error = loaded.error;
    return nullptr;
  }
  std::unique_ptr<sim::SimBoard> board = sim::SimBoard::create(loaded.tree->board(), error);
  if (board == nullptr) return nullptr;
  return std::unique_ptr<BoardSession>(new BoardSession(std::move(loaded.tree), std::move(board)));
}

std::unique_ptr<BoardSession> BoardSession::open_file(const std::string& dtb_path,
                                                      std::string* error) {
  return finish(load_devicetree_file(dtb_path), error);
}

std::unique_ptr<BoardSession> BoardSession::open_blob(std::span<const std::uint8_t> dtb,
                                                      std::string_view name, std::string* error) {
  return finish(load_devicetree_blob(dtb, name), error);
}

}  // namespace wasmio::io
