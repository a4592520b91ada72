// wasmio aot FILE.wasm -o OUT.cpp [--symbol NAME] [--shared]: the AOT tier's compiler
// (docs/design/0015). Emits the C++ source of the module's native code; with --shared it also
// compiles that source with the system C++ compiler into a shared object for `dlopen`
// (`wasmio-spectest --tier aot` loads such objects).
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "commands.h"
#include "platform/linux/aot_loader.h"
#include "module_file.h"

namespace wasmio::cli {
namespace {

using platform::linux_host::aot_compiler_command;
using platform::linux_host::shell_quote;

struct AotCommand {
  std::string input;
  std::string output;
  std::string symbol = "wasmio_aot_image";
  bool shared = false;
  std::string compiler = "c++";
  std::string optimize = "-O2";
};

int run_aot(const AotCommand& c) {
  std::unique_ptr<Module> module = load_module_file(c.input, LoadStage::kLower);
  if (!module) return 1;
  std::string text;
  auto sink = [](void* context, std::string_view piece) { static_cast<std::string*>(context)->append(piece); };
  auto emitted = aot_emit_source(*module, c.symbol, sink, &text);
  if (!emitted) {
    fmt::print(stderr, "wasmio: cannot compile {} ahead of time: {} (function {})\n", c.input,
               emitted.error().message(), emitted.error().index);
    return 1;
  }
  const std::string source = c.shared ? c.output + ".cpp" : c.output;
  std::FILE* f = std::fopen(source.c_str(), "wb");
  if (f == nullptr || std::fwrite(text.data(), 1, text.size(), f) != text.size() || std::fclose(f) != 0) {
    fmt::print(stderr, "wasmio: cannot write {}\n", source);
    return 1;
  }
  if (!c.shared) return 0;
  // The generated code includes the engine's internal headers of this very build.
  const std::string command = fmt::format("{} -shared -o {} {}", aot_compiler_command(c.compiler, c.optimize),
                                          shell_quote(c.output), shell_quote(source));
  const int status = std::system(command.c_str());
  if (status != 0) {
    fmt::print(stderr, "wasmio: the C++ compiler failed on {} ({})\n", source, command);
    return 1;
  }
  std::remove(source.c_str());
  return 0;
}

}  // namespace

void add_aot_command(CLI::App& app, int* exit_status) {
  auto c = std::make_shared<AotCommand>();
  CLI::App* cmd = app.add_subcommand("aot", "compile a module ahead of time to C++ (or a shared object)");
  cmd->add_option("FILE", c->input, "the .wasm module")->required();
  cmd->add_option("-o,--output", c->output, "the generated .cpp (with --shared: the .so)")->required();
  cmd->add_option("--symbol", c->symbol, "name of the extern \"C\" AotImage the source defines");
  cmd->add_flag("--shared", c->shared, "also compile to a shared object with the system C++ compiler");
  cmd->add_option("--cxx", c->compiler, "the C++ compiler for --shared (default c++)");
  cmd->add_option("--opt", c->optimize, "optimisation flag for --shared (default -O2)");
  cmd->callback([c, exit_status] { *exit_status = run_aot(*c); });
}

}  // namespace wasmio::cli
