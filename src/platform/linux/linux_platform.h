// The scheduler's platform on Linux: CLOCK_MONOTONIC time in nanoseconds, an idle wait that
// sleeps in ppoll until an interrupt source fires or the deadline passes, and two kinds of
// interrupt source behind a software controller with the NVIC's per-line semantics:
//
//  - UIO interrupt file descriptors (/dev/uioN): a blocking 4-byte read returns the total
//    interrupt count, writing a 4-byte 1 re-enables the interrupt in the kernel (which disables
//    it after each one). A watcher thread reads the fds and enters E0 for their lines; unmask
//    re-arms the device with the write, mask simply does not re-arm it.
//  - POSIX signals (kill, raise, timer_create, ...): the signal handler is the E0 entry; it only
//    calls the scheduler's ISR-safe path and wakes the loop (an eventfd write).
//
// Budgets stay in fuel (Wasm instructions), so the model is the same as in the simulation and
// on the MCU; what is real time here is latency, inter-arrival checks, periods and reservations.
#pragma once

#include <atomic>
#include <csignal>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sched/platform.h"
#include "sched/soft_irq_controller.h"

namespace wasmio::platform::linux_host {

class LinuxPlatform final : public sched::Platform {
 public:
  static constexpr std::uint32_t kLines = 64;

  LinuxPlatform();
  ~LinuxPlatform() override;
  LinuxPlatform(const LinuxPlatform&) = delete;
  LinuxPlatform& operator=(const LinuxPlatform&) = delete;

  // Interrupt sources, each on the next free line (returned). Add them before the scheduler
  // runs. A UIO fd must be open for reading and writing; with `take_ownership` it is closed by
  // the platform. A signal may serve one line of one platform at a time.
  std::optional<std::uint32_t> add_uio_fd(int fd, bool take_ownership, std::string* error);
  std::optional<std::uint32_t> open_uio(const std::string& path, std::string* error);
  std::optional<std::uint32_t> add_signal(int signo, std::string* error);

  sched::Cycles now() const override;
  std::uint64_t cycles_per_second() const override { return 1'000'000'000; }
  sched::Cycles next_external_event() const override { return sched::kNever; }
  void consume(sched::Cycles) override {}  // real time has passed already
  bool virtual_time() const override { return false; }
  void wait(sched::Cycles deadline) override;

  void set_sink(sched::InterruptSink* sink) override { irqs_.set_sink(sink); }
  void mask(std::uint32_t line) override { irqs_.mask(line); }
  void unmask(std::uint32_t line) override;
  void acknowledge(std::uint32_t line) override { irqs_.acknowledge(line); }
  void complete(std::uint32_t line) override { irqs_.complete(line); }
  void clear_pending(std::uint32_t line) override { irqs_.clear_pending(line); }
  void set_priority(std::uint32_t, std::uint8_t) override {}  // the scheduler orders handlers
  std::uint32_t line_count() const override { return kLines; }

  // The line is enabled and neither pending nor in service (a new arrival would be taken now).
  bool line_idle(std::uint32_t line) const;
  // Arrivals seen by the source: UIO interrupt count increments, signals caught.
  std::uint64_t arrivals(std::uint32_t line) const;
  // UIO: count increments beyond one per read (interrupts the device coalesced).
  std::uint64_t coalesced(std::uint32_t line) const;
  // Lines entered into E0 (claims by the controller).
  std::uint32_t delivered() const { return irqs_.delivered(); }

 private:
  enum class Kind : std::uint8_t { kNone, kUio, kSignal };
  struct Line {
    Kind kind = Kind::kNone;
    int fd = -1;
    bool owns_fd = false;
    int signo = 0;
    std::atomic<bool> armed{true};  // UIO: the kernel has the interrupt enabled
    std::uint32_t last_count = 0;   // watcher thread only
    bool have_count = false;
    std::atomic<std::uint64_t> arrivals{0};
    std::atomic<std::uint64_t> coalesced{0};
    std::atomic<bool> dead{false};  // UIO: the fd hung up or failed; no longer watched
    struct sigaction previous {};
  };

  static void on_signal(int signo);
  void raise_line(std::uint32_t line);  // E0 entry from any context; wakes the loop
  void start_watcher();
  void watch();
  std::optional<std::uint32_t> next_line(std::string* error);

  sched::SoftIrqController irqs_{kLines};
  Line lines_[kLines];
  std::atomic<std::uint32_t> used_{0};  // lines handed out (the watcher reads it)
  int wake_fd_ = -1;     // eventfd: E0 -> the loop's ppoll
  int control_fd_ = -1;  // eventfd: stop/rescan -> the watcher
  std::thread watcher_;
  std::atomic<bool> stopping_{false};
  std::int64_t epoch_ns_ = 0;
};

}  // namespace wasmio::platform::linux_host
