// `wasmio run --board B.dtb DRIVER.wasm --trace FILE.json`: the driver under the scheduler
// (src/sched) on the simulated board for a span of virtual time: its manifest's interrupts run
// as E1/4 handlers, its `main` export as its task. Writes a Chrome/Perfetto trace and prints the
// scheduler's summary (per handler and task) at the end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace wasmio::cli {

struct ScheduledRunOptions {
  std::string board;  // .dtb
  std::string file;   // driver .wasm
  std::string trace;  // output .json
  double run_ms = 500;             // virtual time to run
  std::string uart_rx;             // bytes for the first UART's RX wire, from 10 ms on
  std::optional<unsigned> button;  // press this FPGAIO button at 1/2 of the run, for 50 ms
  std::string fault_policy = "disable";
};

int run_scheduled(const ScheduledRunOptions& options);

}  // namespace wasmio::cli
