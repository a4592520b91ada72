// wasmio run FILE.wasm [--invoke NAME] [ARGS...] [--fuel N] [--max-memory-pages N]
//                     [--stack-slots N] [--max-frames N]
// Instantiates the module (running its start function) and calls one export: NAME, or else
// `_start` or `main` when exported. Prints each result as TYPE:VALUE on its own line (see
// value_text.h); a trap prints "trap: MESSAGE" and the Wasm backtrace to stderr, exit status 1.
// Arguments that start with '-' followed by a letter (-inf, -nan) go after `--`, which ends
// the options: `wasmio run m.wasm --invoke f 1 -- -inf`.
// With --board B.dtb the module is a driver run in a container on the simulated board (see
// board_run.h): its UART output goes to the terminal, LED changes are printed.
// With --aot the module's code is compiled ahead of time (docs/design/0015: the system C++
// compiler, cached by module hash in --aot-cache) and the call runs natively; the start function
// runs interpreted, before the native code is attached.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "board_run.h"
#include "platform/linux/aot_loader.h"
#include "sched_run.h"
#include "commands.h"
#include "module_file.h"
#include "value_text.h"

namespace wasmio::cli {
namespace {

struct RunOptions {
  std::string file;
  std::string invoke;
  std::vector<std::string> args;
  std::optional<std::uint64_t> fuel;
  InstanceLimits limits;
  ExecutionConfig config;
  std::string board;
  std::optional<double> temperature;
  ScheduledRunOptions scheduled;  // --trace: under the scheduler (sched_run.h)
  bool aot = false;
  std::string aot_cache;  // empty: the loader's default
};

std::string describe_type(const FuncType& type) {
  std::string s = "(";
  for (std::size_t i = 0; i < type.params.size(); ++i) {
    s += fmt::format("{}{}", i ? ", " : "", valtype_name(type.params[i]));
  }
  s += ") -> (";
  for (std::size_t i = 0; i < type.results.size(); ++i) {
    s += fmt::format("{}{}", i ? ", " : "", valtype_name(type.results[i]));
  }
  return s + ")";
}

void print_trap(const Error& error, const Execution& execution) {
  fmt::print(stderr, "trap: {}\n", error.message());
  auto frames = execution.backtrace();
  if (frames.empty()) return;
  fmt::print(stderr, "wasm backtrace:\n");
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const BacktraceFrame& f = frames[i];
    fmt::print(stderr, "  #{} 0x{:x} func[{}]{}{}\n", i, f.code_offset, f.function_index,
               f.name.empty() ? "" : " ", f.name);
  }
}

// Errors from a running execution are traps (with a backtrace); others are plain errors.
void print_failure(const std::string& file, const Error& error, const Execution& execution) {
  if (error.phase() == Phase::kExecute) {
    print_trap(error, execution);
  } else {
    fmt::print(stderr, "wasmio: {}: {}\n", file, describe_load_error(error));
  }
}

// Imports a plain `run` cannot satisfy are reported by name. (Board bindings will define
// them in the linker.)
bool resolve_imports(const std::string& file, const Module& module, const Linker& linker,
                     std::vector<Extern>* imports) {
  imports->resize(module.import_count());
  auto resolved = linker.resolve(module, imports->data(), module.import_count());
  if (resolved) return true;
  if (resolved.error().code == ErrorCode::kUnknownImport &&
      resolved.error().index < module.import_count()) {
    ImportInfo info = module.import(resolved.error().index);
    fmt::print(stderr, "wasmio: {}: import {}.{} ({}) is not provided\n", file, info.module,
               info.name, extern_kind_name(info.kind));
  } else {
    fmt::print(stderr, "wasmio: {}: {}\n", file, describe_load_error(resolved.error()));
  }
  return false;
}

int run(const RunOptions& options) {
  if (options.aot && !options.board.empty()) {
    fmt::print(stderr, "wasmio: --aot runs plain modules; drivers on --board run interpreted\n");
    return 1;
  }
  if (!options.board.empty() && !options.scheduled.trace.empty()) {
    ScheduledRunOptions scheduled = options.scheduled;
    scheduled.board = options.board;
    scheduled.file = options.file;
    return run_scheduled(scheduled);
  }
  if (!options.board.empty()) {
    return run_on_board(BoardRunOptions{options.board, options.file, options.invoke, options.args,
                                        options.fuel, options.temperature});
  }
  std::unique_ptr<Module> module = load_module_file(options.file, LoadStage::kLower);
  if (!module) return 1;

  // Declared before the store: the native code stays loaded until every instance is gone.
  platform::linux_host::AotLoader aot_loader(platform::linux_host::AotLoaderOptions{options.aot_cache});
  const AotImage* aot_image = nullptr;
  if (options.aot) {
    std::string error;
    aot_image = aot_loader.load(*module, &error);
    if (aot_image == nullptr) {
      fmt::print(stderr, "wasmio: {}: {}\n", options.file, error);
      return 1;
    }
  }

  Store store;
  Linker linker;
  std::vector<Extern> imports;
  if (!resolve_imports(options.file, *module, linker, &imports)) return 1;

  Execution execution(options.config);
  if (options.fuel) execution.set_fuel(*options.fuel);
  InstanceOptions instance_options;
  instance_options.limits = options.limits;
  instance_options.execution = &execution;
  auto instance = store.instantiate(*module, imports, instance_options);
  if (!instance) {
    print_failure(options.file, instance.error(), execution);
    return 1;
  }
  if (execution.state() == RunState::kSuspended) {
    // Only possible with suspending host functions, which `run` does not provide.
    fmt::print(stderr, "wasmio: {}: the start function suspended\n", options.file);
    return 1;
  }
  if (aot_image != nullptr) {
    auto attached = (*instance)->attach_native(*aot_image);
    if (!attached) {
      fmt::print(stderr, "wasmio: {}: native code refused: {}\n", options.file, attached.error().message());
      return 1;
    }
  }

  std::string name = options.invoke;
  if (name.empty()) {
    for (const char* candidate : {"_start", "main"}) {
      if ((*instance)->exported_function(candidate) != nullptr) {
        name = candidate;
        break;
      }
    }
    if (name.empty()) {
      if (!options.args.empty()) {
        fmt::print(stderr, "wasmio: arguments given but no --invoke and no _start or main export\n");
        return 1;
      }
      return 0;  // instantiating (and the start function) was the whole run
    }
  }
  FunctionInstance* function = (*instance)->exported_function(name);
  if (function == nullptr) {
    fmt::print(stderr, "wasmio: {}: no exported function \"{}\"\n", options.file, name);
    return 1;
  }

  const FuncType type = Store::function_type(function);
  if (options.args.size() != type.params.size()) {
    fmt::print(stderr, "wasmio: \"{}\" has type {}: expected {} arguments, got {}\n", name,
               describe_type(type), type.params.size(), options.args.size());
    return 1;
  }
  std::vector<Value> args;
  for (std::size_t i = 0; i < options.args.size(); ++i) {
    std::string error;
    auto value = parse_value(type.params[i], options.args[i], &error);
    if (!value) {
      fmt::print(stderr, "wasmio: argument {} of \"{}\": {}\n", i + 1, name, error);
      return 1;
    }
    args.push_back(*value);
  }

  auto state = execution.invoke(function, args);
  if (!state) {
    print_failure(options.file, state.error(), execution);
    return 1;
  }
  if (*state != RunState::kReturned) {
    fmt::print(stderr, "wasmio: \"{}\" suspended instead of returning\n", name);
    execution.abandon();
    return 1;
  }
  for (const Value& v : execution.results()) fmt::print("{}\n", format_value(v));
  return 0;
}

}  // namespace

void add_run_command(CLI::App& app, const std::vector<std::string>& trailing_args,
                     int* exit_status) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "instantiate a module and call an exported function");
  cmd->add_option("FILE", options->file, "the .wasm module")->required();
  cmd->add_option("ARGS", options->args, "arguments, parsed by the function's parameter types");
  cmd->add_option("--invoke", options->invoke,
                  "the export to call (default: _start or main when exported)");
  cmd->add_option("--fuel", options->fuel,
                  "instruction budget; running out traps with \"fuel exhausted\"");
  cmd->add_option("--max-memory-pages", options->limits.max_memory_pages,
                  "limit on the instance's memory, in 64 KiB pages")
      ->capture_default_str();
  cmd->add_option("--stack-slots", options->config.stack_slots,
                  "64-bit value slots of the Wasm stack (all frames)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-frames", options->config.max_frames, "Wasm call depth limit")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--aot", options->aot,
               "compile the module ahead of time (system C++ compiler, cached) and run native code");
  cmd->add_option("--aot-cache", options->aot_cache, "folder of compiled modules for --aot");
  cmd->add_option("--board", options->board,
                  "run the driver on this board's simulation (compiled devicetree .dtb)");
  cmd->add_option("--temperature", options->temperature,
                  "with --board: every TMP105's temperature, in degrees Celsius");
  cmd->add_option("--trace", options->scheduled.trace,
                  "with --board: run the driver under the interrupt scheduler (its manifest's "
                  "handlers, main as its task) and write a Chrome/Perfetto trace JSON here");
  cmd->add_option("--run-ms", options->scheduled.run_ms,
                  "with --trace: virtual milliseconds to run")->capture_default_str();
  cmd->add_option("--uart-rx", options->scheduled.uart_rx,
                  "with --trace: bytes arriving on the first UART at 10 ms");
  cmd->add_option("--press-button", options->scheduled.button,
                  "with --trace: press this FPGAIO button halfway through, for 50 ms");
  cmd->add_option("--fault-policy", options->scheduled.fault_policy,
                  "with --trace: disable, notify or restart")->capture_default_str();
  cmd->callback([options, trailing_args, exit_status] {
    options->args.insert(options->args.end(), trailing_args.begin(), trailing_args.end());
    *exit_status = run(*options);
  });
}

}  // namespace wasmio::cli
