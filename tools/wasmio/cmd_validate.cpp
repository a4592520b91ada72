// wasmio validate FILE.wasm: decodes and validates; prints "valid" or the error.
#include <fmt/format.h>

#include <memory>
#include <string>

#include "commands.h"
#include "module_file.h"

namespace wasmio::cli {

void add_validate_command(CLI::App& app, int* exit_status) {
  auto file = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("validate", "check that a module is valid Wasm 2.0");
  cmd->add_option("FILE", *file, "the .wasm module")->required();
  cmd->callback([file, exit_status] {
    // The error (phase, message, byte offset) goes to stderr.
    std::unique_ptr<Module> module = load_module_file(*file, LoadStage::kValidate);
    if (!module) {
      *exit_status = 1;
      return;
    }
    fmt::print("valid\n");
    *exit_status = 0;
  });
}

}  // namespace wasmio::cli
