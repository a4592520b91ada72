// wasmio bind --board B.dtb D.wasm...
// Loads every driver into a container on one simulated board, in the order given (so earlier
// drivers hold their grants while later ones bind), and prints each binding or every reason
// why it was refused. Exit status 1 when any driver was refused.
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.h"
#include "driver_text.h"
#include "io/container/board_session.h"
#include "module_file.h"

namespace wasmio::cli {
namespace {

struct BindOptions {
  std::string board;
  std::vector<std::string> files;
};

int bind(const BindOptions& options) {
  std::string error;
  std::unique_ptr<io::BoardSession> session = io::BoardSession::open_file(options.board, &error);
  if (!session) {
    fmt::print(stderr, "wasmio: board {}: {}\n", options.board, error);
    return 1;
  }
  fmt::print("board {} ({})\n", session->tree().board().model, options.board);
  std::vector<std::unique_ptr<io::DriverContainer>> containers;
  int status = 0;
  for (const std::string& file : options.files) {
    std::vector<std::uint8_t> bytes;
    if (!read_module_file(file, &bytes)) {
      status = 1;
      continue;
    }
    io::ContainerOptions container_options;
    container_options.name = file;  // the same driver may be bound twice from two files
    io::ContainerLoad load = session->load(bytes, file, container_options);
    if (!load) {
      fmt::print("{}: refused\n{}\n", file, load.error);
      status = 1;
      continue;
    }
    fmt::print("{}: bound\n{}", file,
               describe_binding(load.container->binding(), session->tree().board()));
    containers.push_back(std::move(load.container));
  }
  return status;
}

}  // namespace

void add_bind_command(CLI::App& app, int* exit_status) {
  auto options = std::make_shared<BindOptions>();
  CLI::App* cmd = app.add_subcommand(
      "bind", "show how drivers bind to a board's devices, or every reason why not");
  cmd->add_option("--board", options->board, "the board's compiled devicetree (.dtb)")->required();
  cmd->add_option("DRIVERS", options->files, "driver .wasm files, bound in this order")->required();
  cmd->callback([options, exit_status] { *exit_status = bind(*options); });
}

}  // namespace wasmio::cli
