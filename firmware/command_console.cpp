#include "command_console.h"

#include <cinttypes>
#include <cstdio>

#include "board_drivers.h"
#include "install_frame.h"
#include "installer.h"
#include "platform/mps2-an385/board.h"

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

class UartSource final : public ByteSource {
 public:
  int next() override { return read_byte(2 * kCounterHz); }
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
