#include "casestudy_mode.h"

#include <malloc.h>

#include <cstdio>
#include <optional>
#include <string>

#include "board_drivers.h"
#include "install_frame.h"
#include "platform/mps2-an385/board.h"
#include "platform/mps2-an385/nvic_platform.h"
#include "sched/scheduler.h"
#include "services/service_hub.h"

namespace {

using namespace wasmio;
using namespace wasmio::firmware;
namespace an385 = wasmio::platform::an385;

constexpr sched::Cycles kHz = an385::NvicPlatform::kClockHz;
constexpr sched::Cycles kMs = kHz / 1000;
// The board stops by itself after this much board time without a 'Q' (a test that lost it).
// Long: under -icount sleep=off idle time costs no host time, so the board runs ahead of the host.
constexpr sched::Cycles kRunLimit = 24 * 3600 * kHz;
constexpr sched::Cycles kMeasureSpan = 5 * kHz;

// Same priorities, policies and period as casestudy/scenario.cpp.
struct Member {
  const char* image;
  const char* source;
  std::uint8_t priority;
  sched::FaultPolicy policy;
  bool periodic;
};

// newlib-nano's printf has no 64-bit conversions: counters are printed through this.
struct Decimal {
  char text[24];
};
Decimal dec(std::int64_t v) {
  Decimal d{};
  char digits[24];
  int n = 0;
  std::uint64_t u = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  do {
    digits[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  int k = 0;
  if (v < 0) d.text[k++] = '-';
  while (n > 0) d.text[k++] = digits[--n];
  d.text[k] = '\0';
  return d;
}

ExecutionConfig mcu_execution() {
  ExecutionConfig config;
  config.stack_slots = 1024;  // 8 KiB of value slots: the deepest case-study call uses < 200
  config.max_frames = 64;
  return config;
}

std::uint64_t temperature_replies(const services::ServiceHub& hub) {
  const auto s = hub.service("sensor.temperature");
  return s ? s->stats.replies : 0;
}

// A WIO1 frame on the console UART while the scheduler keeps running: between bytes the board
// runs its containers in 2 ms slices, so the reports go on during a transfer.
class SchedulingSource final : public ByteSource {
 public:
  // `timeout`: board time without a byte that ends the frame (kStalled).
  SchedulingSource(sched::Scheduler& scheduler, sched::Cycles timeout)
      : scheduler_(scheduler), timeout_(timeout) {}
  int next() override {
    const sched::Cycles start = scheduler_.platform().now();
    for (;;) {
      // QEMU refills the receive register from the chardev soon after a read: poll a little
      // before handing the core back to the scheduler.
      const std::uint32_t spin = an385::fpga_counter();
      do {
        const int b = an385::console_read_byte();
        if (b >= 0) return b;
      } while (an385::fpga_counter() - spin < 20 * kMs / 1000);
      if (scheduler_.platform().now() - start > timeout_) return -1;
      // Bytes come in bursts (QEMU refills the receive register after each read), so a
      // slice between polls costs the transfer little and gives the containers long runs.
      scheduler_.run_for(2 * kMs);
    }
  }

 private:
  sched::Scheduler& scheduler_;
  sched::Cycles timeout_;
};

struct Window {
  sched::Cycles at = 0, idle = 0;
  std::uint64_t reports = 0;
};

Window window_now(sched::Scheduler& scheduler, const services::ServiceHub& hub) {
  return {scheduler.platform().now(), scheduler.idle_cycles(), temperature_replies(hub)};
}

// Board-time window of kMeasureSpan: busy = span - idle (idle: the scheduler's time in WFI).
void measure(sched::Scheduler& scheduler, const services::ServiceHub& hub, bool flat_out) {
  const Window a = window_now(scheduler, hub);
  scheduler.run_for(kMeasureSpan);
  const Window b = window_now(scheduler, hub);
  const std::uint64_t span = b.at - a.at, idle = b.idle - a.idle;
  std::printf("casestudy: measure mode=%s cycles=%s idle_cycles=%s reports=%s hz=%s\n",
              flat_out ? "flat" : "periodic", dec(span).text, dec(idle).text,
              dec(b.reports - a.reports).text, dec(kHz).text);
}

void print_update(const services::ServiceHub& hub) {
  if (hub.updates().empty()) {
    std::printf("casestudy: no update\n");
    return;
  }
  const services::UpdateRecord& u = hub.updates().back();
  const auto gap = u.gap();
  std::printf("casestudy: update gap_cycles=%s ready_after_cycles=%s\n",
              dec(gap ? static_cast<std::int64_t>(*gap) : -1).text,
              dec(u.ready_at ? static_cast<std::int64_t>(*u.ready_at - u.at) : -1).text);
}

void print_stats(sched::Scheduler& scheduler, const services::ServiceHub& hub) {
  for (const services::ServiceInfo& s : hub.services()) {
    std::printf("casestudy: service %s %s provider=%s state=%s calls=%s replies=%s refused=%s"
                " faults=%s overruns=%s fuel_max=%s\n",
                s.name.c_str(), s.version.text().c_str(),
                s.provider.empty() ? "-" : s.provider.c_str(), services::service_state_name(s.state),
                dec(s.stats.calls).text, dec(s.stats.replies).text, dec(s.stats.refused).text,
                dec(s.stats.faults).text, dec(s.stats.overruns).text, dec(s.stats.fuel_max).text);
  }
  std::printf("casestudy: board now_cycles=%s idle_cycles=%s spurious=%s\n",
              dec(scheduler.platform().now()).text, dec(scheduler.idle_cycles()).text,
              dec(scheduler.spurious_interrupts()).text);
}

void update_sensor(sched::Scheduler& scheduler, services::ServiceHub& hub) {
  // Generous in board time: under QEMU -icount sleep=off the board's clock can run many times
  // faster than the host feeds the socket (the containers keep running meanwhile).
  SchedulingSource source(scheduler, 30 * kHz);
  Frame frame = receive_frame(source);
  if (frame.status != FrameStatus::kOk) {
    // Drop the rest until the line has been quiet for 2 s, then answer: the sender waits for
    // the answer before its next command, which the drain would otherwise swallow.
    SchedulingSource rest(scheduler, 2 * kHz);
    while (rest.next() >= 0) {
    }
    std::printf("casestudy: update refused: frame %s (%lu of %lu bytes)\n",
                frame_status_name(frame.status), static_cast<unsigned long>(frame.received),
                static_cast<unsigned long>(frame.length));
    return;
  }
  std::string error;
  const sched::Cycles start = scheduler.platform().now();
  const bool ok = hub.update("tmp105-sensor", frame.payload, "uart1 frame", &error);
  const sched::Cycles took = scheduler.platform().now() - start;
  if (ok) {
    std::printf("casestudy: update ok 'tmp105-sensor' from %lu bytes in %s cycles\n",
                static_cast<unsigned long>(frame.length), dec(took).text);
  } else {
    std::printf("casestudy: update refused: %s\n", error.c_str());
  }
}

}  // namespace

void run_casestudy(bool flat_out, bool measure_and_exit) {
  // UART0 is the protocol line of the uart-proto container from now on.
  an385::console_use_uart(1);
  an385::console_init();
  std::printf("casestudy: booting (%s)\n", flat_out ? "flat out" : "periodic, 100 ms");

  BoardDrivers drivers;
  an385::NvicPlatform platform;
  sched::Scheduler scheduler(platform);
  scheduler.trace() = sched::Trace(0);  // no unbounded trace on the MCU
  services::ServiceHub hub(scheduler, drivers.registry(), drivers.windows());
  hub.set_execution_config(mcu_execution());

  const Member members[] = {
      {"cs_tick_timer", "cs_tick_timer.wasm", 16, sched::FaultPolicy::kRestart, false},
      {"cs_uart_proto", "cs_uart_proto.wasm", 32, sched::FaultPolicy::kRestart, false},
      {"cs_sensor", "cs_sensor.wasm", 64, sched::FaultPolicy::kRestart, false},
      {flat_out ? "cs_report_app_flat" : "cs_report_app",
       flat_out ? "cs_report_app_flat.wasm" : "cs_report_app.wasm", 128,
       sched::FaultPolicy::kDisable, !flat_out},
  };
  const struct mallinfo before = mallinfo();
  for (const Member& m : members) {
    sched::DriverOptions options;
    options.task_priority = m.priority;
    options.fault_policy = m.policy;
    if (m.periodic) options.task_period = 100 * kMs;
    std::string error;
    const auto image = driver_image(m.image);
    if (image.empty() || !hub.install(image, m.source, std::move(options), &error)) {
      std::printf("casestudy: %s refused: %s\n", m.source,
                  image.empty() ? "not in this image" : error.c_str());
      std::fflush(stdout);
      an385::semihosting_exit(false);
    }
  }
  const struct mallinfo after = mallinfo();
  std::printf("casestudy: 4 containers installed, heap %d bytes (binaries copied, instances, "
              "executions)\n", after.uordblks - before.uordblks);
  std::printf("casestudy: ready\n");

  if (measure_and_exit) {
    scheduler.run_for(kHz);
    measure(scheduler, hub, flat_out);
    print_stats(scheduler, hub);
    std::fflush(stdout);
    an385::semihosting_exit(true);
  }
  const sched::Cycles start = scheduler.platform().now();
  bool gap_printed = false;
  for (;;) {
    scheduler.run_for(10 * kMs);
    if (!gap_printed && !hub.updates().empty() && hub.updates().back().gap()) {
      print_update(hub);
      gap_printed = true;
    }
    const int command = an385::console_read_byte();
    switch (command) {
      case -1:
      case '\r':
      case '\n':
        break;
      case 'I':
        update_sensor(scheduler, hub);
        gap_printed = false;
        break;
      case 'M':
        measure(scheduler, hub, flat_out);
        break;
      case 'S':
        print_stats(scheduler, hub);
        break;
      case 'Q':
        print_stats(scheduler, hub);
        print_update(hub);
        std::printf("casestudy: bye\n");
        std::fflush(stdout);
        an385::semihosting_exit(true);
      default:
        std::printf("casestudy: unknown command 0x%02x\n", command);
        break;
    }
    if (scheduler.platform().now() - start > kRunLimit) {
      std::printf("casestudy: no 'Q' within %s s of board time\n", dec(kRunLimit / kHz).text);
      std::fflush(stdout);
      an385::semihosting_exit(false);
    }
  }
}
