// The subcommands of `wasmio`, one file each. Each adds itself to the app; when it is the one
// parsed, its callback runs it and stores the process exit status in *exit_status.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace wasmio::cli {

// `trailing_args`: the words after `--` on the command line, appended to the function arguments.
void add_run_command(CLI::App& app, const std::vector<std::string>& trailing_args, int* exit_status);
void add_validate_command(CLI::App& app, int* exit_status);
void add_inspect_command(CLI::App& app, int* exit_status);
void add_bind_command(CLI::App& app, int* exit_status);
void add_shrink_memory_command(CLI::App& app, int* exit_status);
void add_aot_command(CLI::App& app, int* exit_status);

}  // namespace wasmio::cli
