// The case study on the simulated MPS2 AN385 with its SPI NOR flash (mps2-an385-dma.dts;
// docs/case-study.md): five containers that talk only through services — tmp105-sensor (I2C),
// uart-proto (UART0, framed protocol), tick-timer (timer0), flash-log (W25Q16JV on PL022) and
// report-app — under one scheduler with one service hub. Used by the runner, the benchmark and
// the tests, so all three run exactly the same scenario.
#pragma once

#include <memory>
#include <string>

#include "io/container/board_session.h"
#include "io/sim/cmsdk_uart.h"
#include "io/sim/spi_nor_flash.h"
#include "io/sim/tmp105.h"
#include "sched/scheduler.h"
#include "sched/sim_platform.h"
#include "sched/timed_windows.h"
#include "services/service_hub.h"

namespace wasmio::casestudy {

struct ScenarioOptions {
  std::string containers_dir;  // the built cs_*.wasm
  std::string board_dtb;       // mps2-an385-dma.dtb: the board with the SPI flash
  bool flat_out = false;       // the application reports back to back (throughput)
  std::uint32_t period_ms = 100;
  std::int32_t temperature_mc = 23'500;
  sched::FaultPolicy sensor_policy = sched::FaultPolicy::kRestart;
  std::string flash_log_file = "cs_flash_log.wasm";  // empty: no logger
  sched::FaultPolicy flash_policy = sched::FaultPolicy::kRestart;
};

// The flash node's label on mps2-an385-dma.dts.
inline constexpr const char* kFlashLabel = "spi_flash";

std::vector<std::uint8_t> read_file(const std::string& path, std::string* error);
// The execution stacks the case study gives its containers.
ExecutionConfig execution_config();

class Scenario {
 public:
  // Null with *error when a file is missing or a container is refused.
  static std::unique_ptr<Scenario> create(const ScenarioOptions& options, std::string* error);
  ~Scenario();

  void run_ms(std::uint64_t ms);
  // Replaces the sensor driver by containers_dir/<file>.
  bool update_sensor(const std::string& file, std::string* error);
  std::string uart_output() const { return uart_->transmitted().text(); }
  double seconds() const;

  io::sim::SimBoard& board() { return session_->board(); }
  io::sim::CmsdkUart& uart() { return *uart_; }
  io::sim::Tmp105& sensor() { return *sensor_; }
  // The board's flash (the scenario refuses a board without one unless the logger is off).
  io::sim::SpiNorFlash* flash() { return flash_; }
  sched::Scheduler& scheduler() { return *scheduler_; }
  services::ServiceHub& hub() { return *hub_; }
  const ScenarioOptions& options() const { return options_; }

 private:
  explicit Scenario(ScenarioOptions options) : options_(std::move(options)) {}
  bool install(const std::string& file, sched::DriverOptions driver, std::string* error);

  ScenarioOptions options_;
  std::unique_ptr<io::BoardSession> session_;
  std::unique_ptr<sched::SimPlatform> platform_;
  std::unique_ptr<sched::Scheduler> scheduler_;
  std::unique_ptr<sched::TimedWindows> windows_;
  std::unique_ptr<services::ServiceHub> hub_;
  io::sim::CmsdkUart* uart_ = nullptr;
  io::sim::Tmp105* sensor_ = nullptr;
  io::sim::SpiNorFlash* flash_ = nullptr;
};

}  // namespace wasmio::casestudy
