// wasmio-linux-irq: runs one container on the Linux platform with a POSIX signal as its
// interrupt line (kill -USR1 <pid>, or --timer-ms for a POSIX timer that sends it), then prints
// what happened and the scheduler summary. The handler's mem[0] is read as its activation count.
//
//   wasmio-linux-irq MODULE.wasm --handler EXPORT [--task EXPORT] [--signal USR1|USR2|RTMIN|N]
//       [--budget FUEL] [--min-interarrival-us N] [--timer-ms N] [--until-handled N]
//       [--seconds S] [--trace FILE.json]
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "platform/linux/linux_platform.h"
#include "sched/scheduler.h"

namespace {

using wasmio::platform::linux_host::LinuxPlatform;
namespace sched = wasmio::sched;

int usage(const char* why) {
  std::fprintf(stderr,
               "wasmio-linux-irq: %s\nusage: wasmio-linux-irq MODULE.wasm --handler EXPORT "
               "[--task EXPORT] [--signal USR1|USR2|RTMIN|N] [--budget FUEL] "
               "[--min-interarrival-us N] [--timer-ms N] [--until-handled N] [--seconds S] "
               "[--trace FILE.json]\n",
               why);
  return 2;
}

int parse_signal(const std::string& s) {
  if (s == "USR1" || s == "SIGUSR1") return SIGUSR1;
  if (s == "USR2" || s == "SIGUSR2") return SIGUSR2;
  if (s == "RTMIN" || s == "SIGRTMIN") return SIGRTMIN;
  char* end = nullptr;
  const long n = std::strtol(s.c_str(), &end, 10);
  return end != s.c_str() && *end == '\0' ? static_cast<int>(n) : -1;
}

bool parse_number(const char* text, std::uint64_t* out) {
  char* end = nullptr;
  errno = 0;
  *out = std::strtoull(text, &end, 10);
  return errno == 0 && end != text && *end == '\0';
}

}  // namespace

int main(int argc, char** argv) {
  std::string path, handler_export, task_export, trace_path, signal_name = "USR1";
  std::uint64_t budget = 100'000, min_ia_us = 0, timer_ms = 0, until_handled = 0, seconds = 10;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) return nullptr;
      (void)name;
      return argv[++i];
    };
    const char* v = nullptr;
    std::uint64_t* number = nullptr;
    if (arg == "--handler" || arg == "--task" || arg == "--signal" || arg == "--trace") {
      if ((v = value(arg.c_str())) == nullptr) return usage(("missing value for " + arg).c_str());
      (arg == "--handler" ? handler_export
       : arg == "--task"  ? task_export
       : arg == "--trace" ? trace_path
                          : signal_name) = v;
      continue;
    }
    if (arg == "--budget") number = &budget;
    if (arg == "--min-interarrival-us") number = &min_ia_us;
    if (arg == "--timer-ms") number = &timer_ms;
    if (arg == "--until-handled") number = &until_handled;
    if (arg == "--seconds") number = &seconds;
    if (number != nullptr) {
      if ((v = value(arg.c_str())) == nullptr || !parse_number(v, number)) {
        return usage(("bad or missing number for " + arg).c_str());
      }
      continue;
    }
    if (!arg.empty() && arg[0] == '-') return usage(("unknown option " + arg).c_str());
    if (!path.empty()) return usage("one module only");
    path = arg;
  }
  if (path.empty() || handler_export.empty()) return usage("a module and --handler are needed");
  const int signo = parse_signal(signal_name);

  std::ifstream in(path, std::ios::binary);
  if (!in) return usage(("cannot read " + path).c_str());
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  auto module = wasmio::Module::load(bytes);
  if (!module) {
    std::fprintf(stderr, "wasmio-linux-irq: %s: %s\n", path.c_str(),
                 module.error().message());
    return 1;
  }

  LinuxPlatform platform;
  std::string error;
  auto line = platform.add_signal(signo, &error);
  if (!line) {
    std::fprintf(stderr, "wasmio-linux-irq: %s\n", error.c_str());
    return 1;
  }
  sched::Scheduler scheduler(platform);
  sched::ContainerSpec spec;
  spec.name = path.substr(path.find_last_of('/') + 1);
  spec.module = std::shared_ptr<const wasmio::Module>(std::move(*module));
  sched::HandlerSpec h;
  h.line = *line;
  h.export_name = handler_export;
  h.priority = 0;
  h.budget_fuel = budget;
  h.min_interarrival = min_ia_us * 1000;  // the platform counts nanoseconds
  h.enabled_at_start = true;
  spec.handlers = {h};
  if (!task_export.empty()) spec.task = sched::TaskSpec{task_export, 128};
  auto id = scheduler.install(std::move(spec), &error);
  if (!id) {
    std::fprintf(stderr, "wasmio-linux-irq: %s\n", error.c_str());
    return 1;
  }
  scheduler.start(*id);

  timer_t timer{};
  bool have_timer = false;
  if (timer_ms != 0) {
    sigevent ev{};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = signo;
    itimerspec period{};
    period.it_interval.tv_sec = static_cast<time_t>(timer_ms / 1000);
    period.it_interval.tv_nsec = static_cast<long>(timer_ms % 1000) * 1'000'000;
    period.it_value = period.it_interval;
    have_timer = timer_create(CLOCK_MONOTONIC, &ev, &timer) == 0 &&
                 timer_settime(timer, 0, &period, nullptr) == 0;
    if (!have_timer) std::perror("wasmio-linux-irq: timer_create");
  }
  std::printf("wasmio-linux-irq: pid %d, signal %d is line %u; handler %s\n",
              static_cast<int>(getpid()), signo, *line, handler_export.c_str());
  std::fflush(stdout);

  const sched::HandlerStats& stats = *scheduler.handler_stats(*id, *line);
  const auto stop = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < stop &&
         (until_handled == 0 || stats.completed < until_handled)) {
    scheduler.run_for(10'000'000);  // 10 ms
  }
  if (have_timer) timer_delete(timer);

  std::uint32_t counted = 0;
  if (wasmio::Instance* instance = scheduler.instance(*id)) {
    if (instance->memory(0) != nullptr) {
      auto data = wasmio::Store::memory_data(instance->memory(0));
      if (data.size() >= 4) std::memcpy(&counted, data.data(), 4);
    }
  }
  std::printf("signals %llu handled %llu (guest counted %u) dropped %llu deferred %llu overruns %llu\n",
              static_cast<unsigned long long>(platform.arrivals(*line)),
              static_cast<unsigned long long>(stats.completed), counted,
              static_cast<unsigned long long>(stats.dropped),
              static_cast<unsigned long long>(stats.deferred),
              static_cast<unsigned long long>(stats.overruns));
  std::fputs(scheduler.summary().c_str(), stdout);
  // Every completed activation is one the guest counted; with --until-handled, enough ran.
  const bool ok = counted == stats.completed &&
                  (until_handled == 0 || stats.completed >= until_handled);
  std::printf("linux-irq-check %s\n", ok ? "ok" : "FAILED");
  if (!trace_path.empty()) {
    std::ofstream out(trace_path);
    out << scheduler.trace().chrome_json(1000.0);  // nanoseconds: 1000 per microsecond
    if (!out) {
      std::fprintf(stderr, "wasmio-linux-irq: cannot write %s\n", trace_path.c_str());
      return 1;
    }
  }
  return ok ? 0 : 1;
}
