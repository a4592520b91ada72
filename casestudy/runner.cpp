// wasmio-casestudy: runs the case study on the simulated board and prints what happens — the
// containers and services, the frames on UART0, a live update of the sensor driver (and one
// that is refused), a logged record read back from the flash by a request over the line,
// per-service call counts and per-container CPU.
//
//   wasmio-casestudy [--seconds S] [--update-at S] [--no-update] [--request-at S]
//                    [--lines N] [--containers DIR] [--board DTB]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <sstream>
#include <string>

#include "line_frames.h"
#include "scenario.h"

using namespace wasmio;

namespace {

void print_services(casestudy::Scenario& s) {
  for (const services::ServiceInfo& i : s.hub().services()) {
    std::printf("  %-20s %-5s provider %-14s %-9s calls %6llu replies %6llu refused %4llu "
                "faults %llu overruns %llu max fuel/call %llu\n",
                i.name.c_str(), i.version.text().c_str(),
                i.provider.empty() ? "-" : i.provider.c_str(), services::service_state_name(i.state),
                static_cast<unsigned long long>(i.stats.calls),
                static_cast<unsigned long long>(i.stats.replies),
                static_cast<unsigned long long>(i.stats.refused),
                static_cast<unsigned long long>(i.stats.faults),
                static_cast<unsigned long long>(i.stats.overruns),
                static_cast<unsigned long long>(i.stats.fuel_max));
  }
}

}  // namespace

int main(int argc, char** argv) {
  casestudy::ScenarioOptions options;
  options.containers_dir = WASMIO_CASESTUDY_DIR;
  options.board_dtb = std::string(WASMIO_BOARDS_DIR) + "/mps2-an385-dma.dtb";
  double seconds = 2.05, update_at = 1.0;  // 2.05: the report of the 2 s period is on the wire
  double request_at = 1.55;                // asks for record 3 (the fourth report) back
  bool update = true;
  unsigned lines = 6;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "wasmio-casestudy: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--seconds") {
      seconds = std::atof(value());
    } else if (a == "--update-at") {
      update_at = std::atof(value());
    } else if (a == "--no-update") {
      update = false;
    } else if (a == "--request-at") {
      request_at = std::atof(value());
    } else if (a == "--lines") {
      lines = static_cast<unsigned>(std::atoi(value()));
    } else if (a == "--containers") {
      options.containers_dir = value();
    } else if (a == "--board") {
      options.board_dtb = value();
    } else {
      std::fprintf(stderr,
                   "usage: wasmio-casestudy [--seconds S] [--update-at S] [--no-update] "
                   "[--request-at S] [--lines N] [--containers DIR] [--board DTB]\n");
      return 2;
    }
  }
  if (seconds <= 0 || seconds > 3600 || update_at < 0 || request_at < 0) {
    std::fprintf(stderr,
                 "wasmio-casestudy: --seconds must be in (0, 3600], --update-at and "
                 "--request-at >= 0\n");
    return 2;
  }
  std::string error;
  auto s = casestudy::Scenario::create(options, &error);
  if (!s) {
    std::fprintf(stderr, "wasmio-casestudy: %s\n", error.c_str());
    return 1;
  }
  std::printf("case study: MPS2 AN385 simulated at 25 MHz; report every %u ms; TMP105 at %d mC\n",
              options.period_ms, options.temperature_mc);
  std::printf("containers: tick-timer (timer0 IRQ), uart-proto (UART0 RX/TX IRQs), "
              "tmp105-sensor (SBCon I2C), flash-log (W25Q16JV on PL022), "
              "report-app (no peripherals)\n");
  const auto total_ms = static_cast<std::uint64_t>(seconds * 1000);
  // What happens when, in order of time (the update first at equal times).
  std::multimap<std::uint64_t, std::function<void()>> events;
  if (update) {
    events.emplace(static_cast<std::uint64_t>(update_at * 1000), [&] {
      if (!s->update_sensor("cs_sensor_unbindable.wasm", &error)) {
        std::printf("[%7.3f s] %s\n", s->seconds(), error.c_str());
      }
      if (s->update_sensor("cs_sensor_v1_1.wasm", &error)) {
        std::printf("[%7.3f s] live update: tmp105-sensor 1.0 -> 1.1 installed\n", s->seconds());
      } else {
        std::printf("[%7.3f s] %s\n", s->seconds(), error.c_str());
      }
    });
  }
  events.emplace(static_cast<std::uint64_t>(request_at * 1000), [&] {
    std::printf("[%7.3f s] request over the line: LOG,3\n", s->seconds());
    s->uart().inject_rx(casestudy::framed("LOG,3"));
  });
  std::uint64_t at_ms = 0;
  for (auto& [ms, action] : events) {
    if (ms >= total_ms) break;
    s->run_ms(ms - at_ms);
    at_ms = ms;
    action();
  }
  s->run_ms(total_ms - at_ms);
  const std::string out = s->uart_output();
  std::istringstream in(out);
  std::string line;
  unsigned reports = 0, errors = 0;
  std::vector<std::string> all;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    all.push_back(line);
    if (line.rfind("$T,", 0) == 0) ++reports;
    if (line.rfind("$E,", 0) == 0) ++errors;
  }
  std::printf("uart0: %zu frames\n", all.size());
  // The first lines, the last, the first report of 1.1 and the one before, every answer and
  // warning ("$L", "$W"); "..." where lines are left out.
  std::vector<bool> show(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const bool first_v1 = i > 0 && all[i].find(",v1*") != std::string::npos &&
                          all[i - 1].find(",v1*") == std::string::npos;
    if (i < lines || i + 1 == all.size() || all[i].rfind("$L,", 0) == 0 ||
        all[i].rfind("$W,", 0) == 0) {
      show[i] = true;
    }
    if (first_v1) show[i] = show[i - 1] = true;
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!show[i]) continue;
    if (i > 0 && !show[i - 1]) std::printf("  ...\n");
    std::printf("  %s\n", all[i].c_str());
  }
  std::printf("services:\n");
  print_services(*s);
  const double us_per_cycle =
      1e6 / static_cast<double>(s->scheduler().platform().cycles_per_second());
  for (const services::UpdateRecord& u : s->hub().updates()) {
    if (u.ready_at) {
      std::printf("update of %s: new version ready %.1f us after the update began\n",
                  u.container.c_str(), static_cast<double>(*u.ready_at - u.at) * us_per_cycle);
    }
    if (auto gap = u.gap()) {
      std::printf("update gap: %llu cycles = %.1f us (last reply of 1.0 -> first reply of 1.1; "
                  "the application asks once per period)\n",
                  static_cast<unsigned long long>(*gap), static_cast<double>(*gap) * us_per_cycle);
    }
  }
  std::printf("flash: %llu page programs, %llu erases (W25Q16JV on the shield-0 PL022)\n",
              static_cast<unsigned long long>(s->flash()->programs()),
              static_cast<unsigned long long>(s->flash()->erases()));
  const auto now = s->scheduler().platform().now();
  std::printf("casestudy: %u reports, %u error frames in %.3f s; CPU busy %.2f%%\n", reports,
              errors, s->seconds(),
              100.0 * static_cast<double>(now - s->scheduler().idle_cycles()) /
                  static_cast<double>(now));
  return 0;
}
