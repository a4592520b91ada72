// The case study measured, in virtual time on the simulated AN385 (deterministic: the same
// figures on every run and machine). Prints exactly:
//   casestudy-throughput native=N wasm=M ratio=R   reports delivered per virtual second, the
//                                                  application reporting back to back
//   casestudy-cpu native=P wasm=Q wasm_nolog=R     busy share of virtual time (drivers + app),
//                                                  one report every 100 ms, each logged to the
//                                                  SPI flash; wasm_nolog: the containers with
//                                                  no flash-log installed (its appends refused)
//   casestudy-update-gap cycles=N us=M             live update of the sensor driver: last reply
//                                                  of 1.0 -> first reply of 1.1, caller asking
//                                                  back to back
//   casestudy-footprint container=NAME linear=N host=M   bytes per container: its linear
//                                                  memory, and engine allocations besides it
// Native runs happen in child processes: the native drivers are linked in once and keep
// static state (casestudy/native/native_baseline.h).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>

#include "native_baseline.h"
#include "scenario.h"
#include "wasmio/allocator.h"

using namespace wasmio;
using namespace wasmio::casestudy;

namespace {

struct Figures {
  double reports_per_s = 0;
  double cpu_percent = 0;
};

ScenarioOptions defaults() {
  ScenarioOptions o;
  o.containers_dir = WASMIO_CASESTUDY_DIR;
  o.board_dtb = std::string(WASMIO_BOARDS_DIR) + "/mps2-an385-dma.dtb";  // with the SPI flash
  return o;
}

// Complete "$T,..." frames in UART output.
unsigned reports(const std::string& out) {
  unsigned n = 0;
  for (std::size_t at = out.find("$T,"); at != std::string::npos; at = out.find("$T,", at + 1)) {
    if (out.find('\n', at) != std::string::npos) ++n;
  }
  return n;
}

double busy_percent(sched::Scheduler& s, sched::Cycles from, sched::Cycles idle_from) {
  const sched::Cycles span = s.platform().now() - from;
  const sched::Cycles idle = s.idle_cycles() - idle_from;
  return span ? 100.0 * static_cast<double>(span - idle) / static_cast<double>(span) : 0;
}

// Measures after a warm-up (start-up of the drivers is not steady state).
template <typename Run>
Figures measure(Run& run, std::uint64_t warmup_ms, std::uint64_t ms) {
  run.run_ms(warmup_ms);
  const unsigned before = reports(run.uart_output());
  const sched::Cycles from = run.scheduler().platform().now();
  const sched::Cycles idle_from = run.scheduler().idle_cycles();
  run.run_ms(ms);
  Figures f;
  f.reports_per_s = (reports(run.uart_output()) - before) * 1000.0 / static_cast<double>(ms);
  f.cpu_percent = busy_percent(run.scheduler(), from, idle_from);
  return f;
}

bool wasm_figures(bool flat_out, std::uint64_t ms, Figures* out, std::string* error,
                  bool logger = true) {
  ScenarioOptions o = defaults();
  o.flat_out = flat_out;
  if (!logger) o.flash_log_file.clear();
  auto s = Scenario::create(o, error);
  if (!s) return false;
  *out = measure(*s, 200, ms);
  return true;
}

// In a child process; the figures come back through a pipe.
bool native_figures(bool flat_out, std::uint64_t ms, Figures* out, std::string* error) {
  int fds[2];
  if (pipe(fds) != 0) {
    *error = "pipe failed";
    return false;
  }
  std::fflush(stdout);
  const pid_t child = fork();
  if (child < 0) {
    *error = "fork failed";
    return false;
  }
  if (child == 0) {
    close(fds[0]);
    ScenarioOptions o = defaults();
    o.flat_out = flat_out;
    std::string e;
    auto b = NativeBaseline::create(o, &e);
    Figures f;
    int ok = b != nullptr;
    if (b) f = measure(*b, 200, ms);
    char text[256];
    const int n = std::snprintf(text, sizeof text, "%d %.6f %.6f %s", ok, f.reports_per_s,
                                f.cpu_percent, e.c_str());
    if (write(fds[1], text, static_cast<std::size_t>(n)) != n) _exit(2);
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buffer[256];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  std::istringstream in(text);
  int ok = 0;
  in >> ok >> out->reports_per_s >> out->cpu_percent;
  if (!ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::getline(in, *error);
    if (error->empty()) *error = "native run failed";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  bool smoke = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--smoke") == 0) {
      smoke = true;
    } else {
      std::fprintf(stderr, "usage: wasmio-casestudy-bench [--smoke]\n");
      return 2;
    }
  }
  const std::uint64_t ms = smoke ? 500 : 5000;
  std::string error;
  Figures wasm_flat, native_flat, wasm_periodic, native_periodic, wasm_periodic_nolog;
  if (!wasm_figures(true, ms, &wasm_flat, &error) ||
      !native_figures(true, ms, &native_flat, &error) ||
      !wasm_figures(false, ms * 2, &wasm_periodic, &error) ||
      !native_figures(false, ms * 2, &native_periodic, &error) ||
      !wasm_figures(false, ms * 2, &wasm_periodic_nolog, &error, false)) {
    std::fprintf(stderr, "wasmio-casestudy-bench: %s\n", error.c_str());
    return 1;
  }
  std::printf("casestudy-throughput native=%.1f wasm=%.1f ratio=%.3f\n", native_flat.reports_per_s,
              wasm_flat.reports_per_s,
              native_flat.reports_per_s > 0 ? wasm_flat.reports_per_s / native_flat.reports_per_s
                                            : 0.0);
  std::printf("casestudy-cpu native=%.3f wasm=%.3f wasm_nolog=%.3f\n", native_periodic.cpu_percent,
              wasm_periodic.cpu_percent, wasm_periodic_nolog.cpu_percent);

  {
    ScenarioOptions o = defaults();
    o.flat_out = true;
    auto s = Scenario::create(o, &error);
    if (!s) {
      std::fprintf(stderr, "wasmio-casestudy-bench: %s\n", error.c_str());
      return 1;
    }
    s->run_ms(200);
    if (!s->update_sensor("cs_sensor_v1_1.wasm", &error)) {
      std::fprintf(stderr, "wasmio-casestudy-bench: %s\n", error.c_str());
      return 1;
    }
    s->run_ms(50);
    const auto gap = s->hub().updates().at(0).gap();
    if (!gap) {
      std::fprintf(stderr, "wasmio-casestudy-bench: the new sensor driver never replied\n");
      return 1;
    }
    std::printf("casestudy-update-gap cycles=%llu us=%.1f\n", static_cast<unsigned long long>(*gap),
                static_cast<double>(*gap) * 1e6 /
                    static_cast<double>(s->scheduler().platform().cycles_per_second()));
  }

  // Footprint: each container installed alone into the running scenario's hub is not possible
  // (services and grants are unique), so install the scenario's five containers one by one
  // into a fresh hub and attribute the engine allocations of each install to it.
  {
    std::string e;
    auto session = io::BoardSession::open_file(defaults().board_dtb, &e);
    sched::SimPlatform platform(session->board());
    sched::Scheduler scheduler(platform);
    sched::TimedWindows windows(session->windows(), scheduler);
    services::ServiceHub hub(scheduler, session->registry(), windows);
    hub.set_execution_config(execution_config());
    for (const char* file : {"cs_tick_timer.wasm", "cs_uart_proto.wasm", "cs_sensor.wasm",
                             "cs_flash_log.wasm", "cs_report_app.wasm"}) {
      const auto bytes = read_file(defaults().containers_dir + "/" + file, &e);
      const std::size_t before = allocated_bytes();
      auto id = hub.install(bytes, file, {}, &e, false);
      if (!id) {
        std::fprintf(stderr, "wasmio-casestudy-bench: %s\n", e.c_str());
        return 1;
      }
      const std::size_t engine = allocated_bytes() - before;
      Instance* instance = scheduler.instance(*id);
      const std::size_t linear =
          instance->memory(0) ? Store::memory_data(instance->memory(0)).size() : 0;
      const auto info = scheduler.info(*id);
      std::printf("casestudy-footprint container=%s linear=%zu host=%zu\n", info->name.c_str(),
                  linear, engine > linear ? engine - linear : engine);
    }
  }
  return 0;
}
