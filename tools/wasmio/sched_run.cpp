#include "sched_run.h"

#include <cstdio>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "io/container/board_session.h"
#include "io/sim/cmsdk_uart.h"
#include "io/sim/mps2_fpgaio.h"
#include "board_open.h"
#include "sched/driver_loader.h"
#include "sched/scheduler.h"
#include "sched/sim_platform.h"
#include "sched/timed_windows.h"

namespace wasmio::cli {
namespace {

// Stimuli at virtual times: the scripted UART input and button press.
struct Stimuli {
  io::sim::SimBoard* board = nullptr;
  io::sim::CmsdkUart* uart = nullptr;
  io::sim::Mps2Fpgaio* fpgaio = nullptr;
  std::string rx;
  unsigned button = 0;
  static void send_rx(void* self, io::sim::Cycles) {
    auto* s = static_cast<Stimuli*>(self);
    s->uart->inject_rx(s->rx);
  }
  static void press(void* self, io::sim::Cycles) {
    auto* s = static_cast<Stimuli*>(self);
    s->fpgaio->set_button(s->button, true);
    s->board->clock().schedule_in(s->release_event, s->board->clock().cycles_from_ms(50));
  }
  static void release(void* self, io::sim::Cycles) {
    auto* s = static_cast<Stimuli*>(self);
    s->fpgaio->set_button(s->button, false);
  }
  io::sim::SimEvent rx_event{&Stimuli::send_rx, this};
  io::sim::SimEvent press_event{&Stimuli::press, this};
  io::sim::SimEvent release_event{&Stimuli::release, this};
};

}  // namespace

int run_scheduled(const ScheduledRunOptions& options) {
  std::vector<std::uint8_t> bytes;
  std::unique_ptr<io::BoardSession> session = open_board_with_module(options.board, options.file, &bytes);
  if (!session) return 1;
  io::sim::SimBoard& board = session->board();
  Stimuli stimuli;
  stimuli.board = &board;
  for (io::sim::SimDevice* device : board.devices()) {
    if (device->kind() == io::sim::CmsdkUart::kCompatible && stimuli.uart == nullptr) {
      stimuli.uart = static_cast<io::sim::CmsdkUart*>(device);
    }
    if (device->kind() == io::sim::Mps2Fpgaio::kCompatible && stimuli.fpgaio == nullptr) {
      stimuli.fpgaio = static_cast<io::sim::Mps2Fpgaio*>(device);
    }
  }
  std::string error;
  sched::DriverOptions driver;
  if (options.fault_policy == "notify") {
    driver.fault_policy = sched::FaultPolicy::kNotify;
  } else if (options.fault_policy == "restart") {
    driver.fault_policy = sched::FaultPolicy::kRestart;
  } else if (options.fault_policy != "disable") {
    fmt::print(stderr, "wasmio: --fault-policy must be disable, notify or restart\n");
    return 1;
  }
  sched::SimPlatform platform(board);
  sched::Scheduler scheduler(platform);
  sched::TimedWindows windows(session->windows(), scheduler);
  sched::DriverLoad load = sched::load_driver(bytes, options.file, session->registry(), windows,
                                              board.clock().frequency_hz(), driver);
  if (!load) {
    fmt::print(stderr, "wasmio: {}\n", load.error);
    return 1;
  }
  auto id = scheduler.install(std::move(*load.spec), &error);
  if (!id) {
    fmt::print(stderr, "wasmio: {}\n", error);
    return 1;
  }
  if (stimuli.uart != nullptr && !options.uart_rx.empty()) {
    stimuli.rx = options.uart_rx;
    board.clock().schedule(stimuli.rx_event, board.clock().cycles_from_ms(10));
  }
  const io::sim::Cycles end =
      board.clock().now() + static_cast<io::sim::Cycles>(options.run_ms * 1000.0) *
                                board.clock().frequency_hz() / 1'000'000;
  if (stimuli.fpgaio != nullptr && options.button) {
    stimuli.button = *options.button;
    board.clock().schedule(stimuli.press_event, end / 2);
  }
  if (stimuli.fpgaio != nullptr) {
    const double hz = static_cast<double>(board.clock().frequency_hz());
    stimuli.fpgaio->on_led_change([hz](const io::sim::LedChange& change) {
      std::fprintf(stderr, "[LEDs %u%u at %.1f ms]\n", change.after & 1u, (change.after >> 1) & 1u,
                   static_cast<double>(change.when) * 1000.0 / hz);
    });
  }
  scheduler.start(*id);
  scheduler.run_until(end);
  if (stimuli.uart != nullptr) {
    std::string text = stimuli.uart->transmitted().text();
    std::erase(text, '\r');
    std::fwrite(text.data(), 1, text.size(), stdout);
    if (!text.empty() && text.back() != '\n') std::fputc('\n', stdout);
  }
  std::ofstream file(options.trace);
  file << scheduler.trace().chrome_json(static_cast<double>(board.clock().frequency_hz()) / 1e6);
  if (!file) {
    fmt::print(stderr, "wasmio: cannot write {}\n", options.trace);
    return 1;
  }
  fmt::print("{}", scheduler.summary());
  fmt::print("trace: {} ({} events)\n", options.trace, scheduler.trace().events().size());
  const auto info = scheduler.info(*id);
  return info && info->task_state == sched::TaskState::kFaulted ? 1 : 0;
}

}  // namespace wasmio::cli
