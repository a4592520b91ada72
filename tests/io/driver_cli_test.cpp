// The command line on the simulated board: `wasmio run --board` prints the demo's UART output
// and LED changes, `wasmio bind` shows bindings and refusals (exit status 1).
#include "container_test_support.h"

#include <array>
#include <cstdio>
#include <sys/wait.h>

namespace wasmio::io::test {
namespace {

#ifdef WASMIO_CLI

struct Output {
  int status = -1;
  std::string text;  // stdout and stderr
};

Output wasmio_cli(const std::string& args) {
  Output out;
  const std::string command = std::string(WASMIO_CLI) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buffer;
  for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) {
    out.text.append(buffer.data(), n);
  }
  const int status = pclose(pipe);
  out.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

std::string driver_file(const std::string& name) { return std::string(WASMIO_DRIVERS_DIR) + "/" + name + ".wasm"; }

TEST(DriverCli, RunBoardDemoPrintsTemperatureAndLeds) {
  const Output out = wasmio_cli("run --board " + an385_dtb() + " " +
                                driver_file("board_demo_mapped") + " --temperature 23.5");
  EXPECT_EQ(out.status, 0) << out.text;
  std::size_t readings = 0;
  for (std::size_t p = out.text.find("temperature: 23.50 C\n"); p != std::string::npos;
       p = out.text.find("temperature: 23.50 C\n", p + 1)) {
    ++readings;
  }
  EXPECT_EQ(readings, 4u) << out.text;
  // Whole lines: the LED change waits for the UART line it interrupted to end.
  EXPECT_NE(out.text.find("temperature: 23.50 C\n[fpgaio LEDs \u25cf\u25cb at"), std::string::npos)
      << out.text;
  EXPECT_NE(out.text.find("[fpgaio LEDs \u25cf\u25cb at"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("[fpgaio LEDs \u25cb\u25cb at"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("i32:23500"), std::string::npos) << out.text;
}

TEST(DriverCli, RunReportsATrapWithItsBacktrace) {
  const Output out = wasmio_cli("run --board " + an385_dtb() + " " +
                                driver_file("timer_delay_host_call") + " --fuel 50");
  EXPECT_EQ(out.status, 1) << out.text;
  EXPECT_NE(out.text.find("fuel exhausted"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("at func["), std::string::npos) << out.text;
}

TEST(DriverCli, BindShowsGrantsAndRefusals) {
  const Output out = wasmio_cli("bind --board " + an385_dtb() + " " + driver_file("temperature_copy") +
                                " " + driver_file("leds_host_call") + " " +
                                driver_file("board_demo_host_call"));
  EXPECT_EQ(out.status, 1) << out.text;
  EXPECT_NE(out.text.find("i2c -> /apb@40000000/i2c@4002a000 (i2c_shield1)"), std::string::npos)
      << out.text;
  EXPECT_NE(out.text.find("property reg = <0x48>"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("board_demo_host_call.wasm: refused"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("is exclusively granted to container"), std::string::npos) << out.text;
}

TEST(DriverCli, InspectShowsTheManifest) {
  const Output out = wasmio_cli("inspect " + driver_file("uart_hello_copy"));
  EXPECT_EQ(out.status, 0) << out.text;
  EXPECT_NE(out.text.find("driver \"uart-hello\", access path copy"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("peripheral console: \"arm,cmsdk-uart\""), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("window 0: >= 0x14 bytes, 32-bit, volatile 0x0+4 0x4+4 0xc+4"),
            std::string::npos) << out.text;
}

#endif

}  // namespace
}  // namespace wasmio::io::test
