// wasmio: run, validate and inspect WebAssembly modules with the wasmio engine.
// Exit status: 0 success, 1 failure (invalid module, trap, error), 2 usage error.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.h"

int main(int argc, char** argv) {
  // For `run`, everything after `--` is a function argument (for values such as -inf). CLI11
  // hands `--` in a subcommand back to the parent once the positionals are satisfied, so the
  // split happens here.
  int own_argc = argc;
  std::vector<std::string> trailing;
  for (int i = 2; argc > 1 && std::string(argv[1]) == "run" && i < argc; ++i) {
    if (std::string(argv[i]) == "--") {
      own_argc = i;
      trailing.assign(argv + i + 1, argv + argc);
      break;
    }
  }

  CLI::App app{"wasmio: run, validate and inspect WebAssembly modules"};
  app.require_subcommand(1);
  int exit_status = 0;
  wasmio::cli::add_run_command(app, trailing, &exit_status);
  wasmio::cli::add_validate_command(app, &exit_status);
  wasmio::cli::add_inspect_command(app, &exit_status);
  wasmio::cli::add_bind_command(app, &exit_status);
  wasmio::cli::add_shrink_memory_command(app, &exit_status);
  wasmio::cli::add_aot_command(app, &exit_status);
  try {
    app.parse(own_argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? 0 : 2;
  }
  return exit_status;
}
