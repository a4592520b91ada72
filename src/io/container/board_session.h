// A simulated board ready for driver containers: the devicetree, the board built from it, the
// board's grant registry and its register windows. What `wasmio run/bind --board` and the
// driver tests start from.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "../board/devicetree.h"
#include "../sim/sim_board.h"
#include "driver_container.h"
#include "window_source.h"

namespace wasmio::io {

class BoardSession {
 public:
  // From a .dtb file or blob; null with `*error` when the tree or the board cannot be built.
  static std::unique_ptr<BoardSession> open_file(const std::string& dtb_path, std::string* error);
  static std::unique_ptr<BoardSession> open_blob(std::span<const std::uint8_t> dtb,
                                                 std::string_view name, std::string* error);
  BoardSession(const BoardSession&) = delete;
  BoardSession& operator=(const BoardSession&) = delete;
  ~BoardSession();

  ContainerLoad load(std::span<const std::uint8_t> bytes, std::string_view source_name,
                     ContainerOptions options = {}) {
    return DriverContainer::load(bytes, source_name, *registry_, windows_, std::move(options));
  }

  const Devicetree& tree() const { return *tree_; }
  sim::SimBoard& board() { return *board_; }
  GrantRegistry& registry() { return *registry_; }
  WindowSource& windows() { return windows_; }

 private:
  BoardSession(std::unique_ptr<Devicetree> tree, std::unique_ptr<sim::SimBoard> board);
  static std::unique_ptr<BoardSession> finish(DevicetreeLoad loaded, std::string* error);

  std::unique_ptr<Devicetree> tree_;
  std::unique_ptr<sim::SimBoard> board_;
  std::unique_ptr<GrantRegistry> registry_;
  SimBoardWindows windows_;
};

}  // namespace wasmio::io
