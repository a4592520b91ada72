#include "board_run.h"

#include <cmath>
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "io/container/board_session.h"
#include "io/sim/cmsdk_uart.h"
#include "io/sim/mps2_fpgaio.h"
#include "io/sim/tmp105.h"
#include "board_open.h"
#include "value_text.h"

namespace wasmio::cli {
namespace {

// One console for UART bytes and board events, in virtual-time order, whole lines only.
class Console final : public io::sim::ByteSink {
 public:
  void put(std::uint8_t byte, io::sim::Cycles) override {
    if (byte == '\r') return;  // the terminal's newline is enough
    std::fputc(byte, stdout);
    at_line_start_ = byte == '\n';
    if (at_line_start_) flush_events();
  }
  void event(std::string line) {
    held_.push_back(std::move(line));
    if (at_line_start_) flush_events();
  }
  void finish() {
    if (!at_line_start_ && !held_.empty()) std::fputc('\n', stdout);
    at_line_start_ = true;
    flush_events();
    std::fflush(stdout);
  }

 private:
  void flush_events() {
    for (const std::string& line : held_) std::fputs(line.c_str(), stdout);
    held_.clear();
  }
  bool at_line_start_ = true;
  std::vector<std::string> held_;
};

std::string led_text(std::uint32_t leds, std::uint32_t count) {
  std::string s;
  for (std::uint32_t i = 0; i < count; ++i) s += (leds >> i) & 1 ? "\u25cf" : "\u25cb";
  return s;
}

}  // namespace

int run_on_board(const BoardRunOptions& options) {
  std::vector<std::uint8_t> bytes;
  std::unique_ptr<io::BoardSession> session = open_board_with_module(options.board, options.file, &bytes);
  if (!session) return 1;
  io::sim::SimBoard& board = session->board();
  Console console;
  for (io::sim::SimDevice* device : board.devices()) {
    if (device->kind() == io::sim::CmsdkUart::kCompatible) {
      static_cast<io::sim::CmsdkUart*>(device)->set_sink(&console);
    }
    if (device->kind() == io::sim::Mps2Fpgaio::kCompatible) {
      auto* fpgaio = static_cast<io::sim::Mps2Fpgaio*>(device);
      const std::string label(fpgaio->label());
      const double hz = static_cast<double>(board.clock().frequency_hz());
      fpgaio->on_led_change([&console, label, hz](const io::sim::LedChange& change) {
        console.event(fmt::format("[{} LEDs {} at {:.1f} ms]\n", label, led_text(change.after, 2),
                                  static_cast<double>(change.when) * 1000.0 / hz));
      });
    }
  }
  if (options.temperature_c) {
    for (const io::BoardNode& node : session->tree().board().nodes) {
      if (auto* sensor = board.find_as<io::sim::Tmp105>(node.label)) {
        sensor->set_temperature_mc(static_cast<std::int32_t>(std::lround(*options.temperature_c * 1000)));
      }
    }
  }

  io::ContainerLoad load = session->load(bytes, options.file);
  if (!load) {
    fmt::print(stderr, "wasmio: {}\n", load.error);
    return 1;
  }
  io::DriverContainer& container = *load.container;
  const std::string name = options.invoke.empty() ? "main" : options.invoke;
  FunctionInstance* function = container.instance().exported_function(name);
  if (function == nullptr) {
    fmt::print(stderr, "wasmio: {}: no exported function \"{}\"\n", options.file, name);
    return 1;
  }
  const FuncType type = Store::function_type(function);
  if (options.args.size() != type.params.size()) {
    fmt::print(stderr, "wasmio: \"{}\" takes {} arguments, got {}\n", name, type.params.size(),
               options.args.size());
    return 1;
  }
  std::vector<Value> args;
  for (std::size_t i = 0; i < options.args.size(); ++i) {
    std::string why;
    auto value = parse_value(type.params[i], options.args[i], &why);
    if (!value) {
      fmt::print(stderr, "wasmio: argument {} of \"{}\": {}\n", i + 1, name, why);
      return 1;
    }
    args.push_back(*value);
  }
  const io::CallResult result = container.call(name, args, options.fuel);
  // Let the last UART frames finish on the wire.
  board.clock().advance(board.clock().cycles_from_ms(10));
  console.finish();
  if (!result.ok) {
    fmt::print(stderr, "wasmio: {}\n", result.message);
    return 1;
  }
  for (const Value& v : result.results) fmt::print("{}\n", format_value(v));
  return 0;
}

}  // namespace wasmio::cli
