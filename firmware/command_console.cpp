#include "command_console.h"

#include <cinttypes>
#include <cstdio>

#include "board_drivers.h"
#include "install_frame.h"
#include "installer.h"
#include "platform/mps2-an385/board.h"
#include "platform/mps2-an385/nvic_platform.h"
#include "sched/driver_loader.h"
#include "sched/scheduler.h"

namespace {

using namespace wasmio;
using namespace wasmio::firmware;
namespace an385 = wasmio::platform::an385;

constexpr std::uint32_t kCounterHz = 25'000'000;

// UART0 bytes with a timeout measured on the FPGAIO counter (wraps every 171 s: differences only).
int read_byte(std::uint32_t timeout_ticks) {
  const std::uint32_t start = an385::fpga_counter();
  for (;;) {
    const int b = an385::console_read_byte();
    if (b >= 0) return b;
    if (an385::fpga_counter() - start > timeout_ticks) return -1;
  }
}

// 0.5 s of board time between two bytes of a frame. The board is busy polling, so under QEMU
// -icount this is 31 M instructions: a few seconds of host time on a loaded machine, while the
// host writes a whole frame into the pipe at once.
class UartSource final : public ByteSource {
 public:
  int next() override { return read_byte(kCounterHz / 2); }
};

// After a refused frame: drop what is still arriving until the line has been quiet for 100 ms.
void drain() {
  while (read_byte(kCounterHz / 10) >= 0) {
  }
}

void temperature(io::DriverContainer* sensor) {
  if (sensor == nullptr) {
    std::printf("temperature: no driver\n");
    return;
  }
  io::CallResult r = sensor->call("main", {}, 50'000'000);
  if (!r.ok || r.results.size() != 1) {
    std::printf("temperature: driver failed: %s\n", r.message.c_str());
  } else if (static_cast<std::int32_t>(r.results[0].of.i32) == INT32_MIN) {
    std::printf("temperature: no answer from the sensor\n");
  } else {
    std::printf("temperature: %" PRId32 " mC\n", r.results[0].of.i32);
  }
}

// drivers/irq/irq_demo.wasm under the scheduler for 2 s of board time: the CMSDK UART driver with
// RX/TX interrupts echoes what arrives, timer 0's interrupt blinks LED0 every 100 ms. The same
// binary and loader as `wasmio run --board` on the simulated board.
void irq_demo(BoardDrivers& drivers) {
  an385::NvicPlatform platform;
  sched::Scheduler scheduler(platform);
  scheduler.trace() = sched::Trace(0);  // no unbounded trace on the MCU
  sched::DriverOptions options;
  // Deployment override. QEMU's UART has no baud timing: reading DATA lets the chardev refill the
  // receive buffer at once, so one RX activation drains a burst (2 to 10 activations for a
  // 10-byte line, depending on host timing), and ~60 fuel per byte overruns the manifest's 600
  // (sized for one or two bytes per activation at 115200 baud, as on silicon and the simulated
  // board); policy "disable" would then mask RX for good.
  sched::IrqOverride rx_budget;
  rx_budget.handler = "uart_rx_irq";
  rx_budget.budget_fuel = 20000;
  options.overrides.push_back(rx_budget);
  sched::DriverLoad load = sched::load_driver(driver_image("irq_demo"), "irq_demo.wasm",
                                              drivers.registry(), drivers.windows(),
                                              an385::NvicPlatform::kClockHz, options);
  std::string error;
  std::optional<sched::ContainerId> id;
  if (load) {
    load.spec->execution.stack_slots = 1024;
    load.spec->execution.max_frames = 64;
    id = scheduler.install(std::move(*load.spec), &error);
  } else {
    error = load.error;
  }
  if (!id || !scheduler.start(*id)) {
    std::printf("irq-demo: refused: %s\n", error.c_str());
    return;
  }
  std::printf("irq-demo: running\n");
  scheduler.run_for(2 * kCounterHz);
  const sched::HandlerStats* rx = scheduler.handler_stats(*id, 0);
  const sched::HandlerStats* blink = scheduler.handler_stats(*id, 8);
  const std::uint64_t rx_runs = rx ? rx->completed : 0;
  const std::uint64_t blinks = blink ? blink->completed : 0;
  std::uint64_t overruns = 0;
  for (std::uint32_t line : {0u, 1u, 8u, 9u}) {
    if (const sched::HandlerStats* h = scheduler.handler_stats(*id, line)) {
      overruns += h->overruns;
      if (h->overruns) std::printf("\nirq-demo: line %lu overran its budget\n", (unsigned long)line);
    }
  }
  scheduler.stop(*id);
  scheduler.remove(*id);
  an385::console_init();  // the driver left UART0 with its interrupts enabled
  std::printf("\nirq-demo: stopped after 2 s: %lu UART RX handler runs, %lu timer 0 interrupts, "
              "%lu overruns\n",
              static_cast<unsigned long>(rx_runs), static_cast<unsigned long>(blinks),
              static_cast<unsigned long>(overruns));
}

}  // namespace

void run_command_console() {
  BoardDrivers drivers;
  io::ContainerLoad sensor = drivers.load(driver_image("temperature"), "temperature.wasm", true);
  if (!sensor) std::printf("console: temperature driver: %s\n", sensor.error.c_str());
  std::vector<InstalledDriver> installed;
  for (;;) {
    std::printf("console: ready\n");
    int command = read_byte(60 * kCounterHz);
    while (command == '\r' || command == '\n') command = read_byte(60 * kCounterHz);
    switch (command) {
      case 'T':
        temperature(sensor.container.get());
        break;
      case 'I': {
        UartSource source;
        Frame frame = receive_frame(source);
        const bool frame_ok = frame.status == FrameStatus::kOk;
        InstallOutcome out = install_driver(drivers, std::move(frame), installed);
        if (!frame_ok) drain();
        std::printf("%s\n", out.message.c_str());
        break;
      }
      case 'D':
        irq_demo(drivers);
        break;
      case 'Q':
        std::printf("console: bye (%u drivers installed)\n", static_cast<unsigned>(installed.size()));
        std::fflush(stdout);
        an385::semihosting_exit(true);
      case -1:
        std::printf("console: no command within 60 s\n");
        std::fflush(stdout);
        an385::semihosting_exit(false);
      default:
        std::printf("console: unknown command 0x%02x\n", command);
        break;
    }
  }
}
