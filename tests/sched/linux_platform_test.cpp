// The scheduler on the Linux platform, in real time: UIO interrupt fds (against a stand-in with
// the same byte protocol: this machine has no UIO device) and real POSIX signals (kill from
// another thread, a timer_create timer). Nothing asserts a wall-clock duration: counts, orders
// and the scheduler's own rules (inter-arrival gaps on its clock, budgets in fuel).
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "platform/linux/linux_platform.h"
#include "sched_test_support.h"
#include "spinning_counter.h"

namespace wasmio::sched::test {
namespace {

using platform::linux_host::LinuxPlatform;
constexpr Cycles kMs = 1'000'000;  // the Linux platform counts nanoseconds

// The kernel side of /dev/uioN, for tests: the platform holds one end of a SOCK_SEQPACKET
// socketpair and speaks the UIO protocol on it (4-byte read = interrupt count, 4-byte write of
// 1 = re-enable); this end plays uio_pdrv_genirq: an interrupt is reported only while enabled
// and disables it, one raised while disabled is held until the next enable (a level line).
// It is a stand-in for the protocol, not for the kernel's timing.
class FakeUio {
 public:
  FakeUio() { EXPECT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds_), 0); }
  ~FakeUio() {
    close(fds_[1]);
    if (fds_[0] >= 0) close(fds_[0]);
  }
  int take_platform_fd() {
    const int fd = fds_[0];
    fds_[0] = -1;
    return fd;
  }
  // Reads the platform's enable writes that arrived within `timeout_ms` (0: just poll).
  void pump(int timeout_ms) {
    pollfd pfd{fds_[1], POLLIN, 0};
    while (poll(&pfd, 1, timeout_ms) > 0) {
      std::uint32_t value = 0;
      if (read(fds_[1], &value, sizeof value) != sizeof value) return;
      ++writes_;
      enabled_ = value == 1;
      if (enabled_ && held_) {
        held_ = false;
        report(1);
      }
      timeout_ms = 0;
    }
  }
  // The device raises its interrupt (`n` > 1: the count jumps, as when interrupts coalesce).
  void interrupt(std::uint32_t n = 1) {
    if (!enabled_) {
      held_ = true;
      return;
    }
    report(n);
  }
  bool enabled() const { return enabled_; }
  int writes() const { return writes_; }

 private:
  void report(std::uint32_t n) {
    count_ += n;
    enabled_ = false;
    EXPECT_EQ(write(fds_[1], &count_, sizeof count_), static_cast<ssize_t>(sizeof count_));
  }
  int fds_[2] = {-1, -1};
  std::uint32_t count_ = 1000;  // the kernel's count starts wherever it is
  bool enabled_ = true;         // uio_pdrv_genirq: enabled when opened
  bool held_ = false;
  int writes_ = 0;
};

const char* kForever = R"((module
  (func (export "on_irq") (loop $l (br $l))))
)";

ContainerSpec counter(std::uint32_t line, bool enabled, bool with_task, Cycles min_ia = 0) {
  HandlerSpec h = handler(line, "on_irq", 1, 1000, min_ia);
  h.enabled_at_start = enabled;
  h.arrival = ArrivalPolicy::kDrop;
  return spinning_counter("counter", h, with_task);
}

// Runs the loop in 2 ms spans until `done` (the clock only guards against a hang).
template <typename Done>
void run_until_done(Scheduler& s, Done done) {
  const auto guard = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!done() && std::chrono::steady_clock::now() < guard) s.run_for(2 * kMs);
}

TEST(LinuxPlatform, UioInterruptsAreEachDeliveredOnceAndTheLineIsReArmedAfterEach) {
  constexpr int kInterrupts = 200;
  LinuxPlatform platform;
  FakeUio device;
  std::string error;
  auto line = platform.add_uio_fd(device.take_platform_fd(), true, &error);
  ASSERT_TRUE(line.has_value()) << error;
  Scheduler scheduler(platform);
  auto id = scheduler.install(counter(*line, true, true), &error);
  ASSERT_TRUE(id.has_value()) << error;
  ASSERT_TRUE(scheduler.start(*id));
  std::atomic<bool> give_up{false};
  std::thread kernel([&] {
    for (int i = 0; i < kInterrupts && !give_up.load(); ++i) {
      while (!device.enabled() && !give_up.load()) device.pump(5);
      device.interrupt();
    }
  });
  const HandlerStats& stats = *scheduler.handler_stats(*id, *line);
  run_until_done(scheduler, [&] { return stats.completed >= kInterrupts; });
  give_up = true;
  kernel.join();
  scheduler.run_for(5 * kMs);
  device.pump(0);
  EXPECT_EQ(stats.activations, kInterrupts);
  EXPECT_EQ(stats.completed, kInterrupts);
  EXPECT_EQ(peek(scheduler, *id, 0), static_cast<std::uint32_t>(kInterrupts));
  EXPECT_EQ(platform.arrivals(*line), kInterrupts);
  EXPECT_EQ(platform.coalesced(*line), 0u);
  EXPECT_EQ(device.writes(), kInterrupts);  // one re-enable per handled interrupt, no more
  EXPECT_GT(peek(scheduler, *id, 8), 0u);   // the task ran between them
}

TEST(LinuxPlatform, UioLineMaskedIsNotReArmedAndItsArrivalWaitsForTheUnmask) {
  LinuxPlatform platform;
  FakeUio device;
  std::string error;
  auto line = platform.add_uio_fd(device.take_platform_fd(), true, &error);
  ASSERT_TRUE(line.has_value()) << error;
  Scheduler scheduler(platform);
  auto id = scheduler.install(counter(*line, true, false), &error);  // installed, not started
  ASSERT_TRUE(id.has_value()) << error;
  const HandlerStats& stats = *scheduler.handler_stats(*id, *line);
  device.interrupt();  // the first read also sets the count's baseline
  run_until_done(scheduler, [&] { return platform.arrivals(*line) == 1; });
  scheduler.run_for(5 * kMs);
  device.pump(0);
  EXPECT_EQ(device.writes(), 0);  // masked: not re-armed
  EXPECT_EQ(stats.activations, 0u);
  ASSERT_TRUE(scheduler.start(*id));  // the line opens: re-armed, the held arrival enters E0
  run_until_done(scheduler, [&] { return stats.completed == 1; });
  device.pump(0);
  EXPECT_EQ(device.writes(), 1);
  ASSERT_TRUE(device.enabled());
  device.interrupt(3);  // a count jump: three interrupts reported by one read
  run_until_done(scheduler, [&] { return stats.completed == 2; });
  scheduler.run_for(5 * kMs);
  device.pump(0);
  EXPECT_EQ(stats.activations, 2u);
  EXPECT_EQ(platform.arrivals(*line), 4u);
  EXPECT_EQ(platform.coalesced(*line), 2u);
  EXPECT_EQ(device.writes(), 2);
}

TEST(LinuxPlatform, UioFdMustBeReadWrite) {
  LinuxPlatform platform;
  std::string error;
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  EXPECT_FALSE(platform.add_uio_fd(p[0], false, &error).has_value());
  EXPECT_NE(error.find("reading and writing"), std::string::npos) << error;
  EXPECT_FALSE(platform.open_uio("/dev/uio-does-not-exist", &error).has_value());
  EXPECT_NE(error.find("/dev/uio-does-not-exist"), std::string::npos) << error;
  close(p[0]);
  close(p[1]);
}

TEST(LinuxPlatform, SignalsFromAnotherThreadInterruptWasmAndAreEachHandledOnce) {
  constexpr int kSignals = 300;
  LinuxPlatform platform;
  std::string error;
  auto line = platform.add_signal(SIGUSR1, &error);
  ASSERT_TRUE(line.has_value()) << error;
  EXPECT_FALSE(platform.add_signal(SIGUSR1, &error).has_value());  // one line per signal
  Scheduler scheduler(platform);
  auto id = scheduler.install(counter(*line, true, true), &error);
  ASSERT_TRUE(id.has_value()) << error;
  ASSERT_TRUE(scheduler.start(*id));
  std::atomic<bool> give_up{false};
  std::thread sender([&] {
    // The sender blocks the signal, so it lands on the scheduler's thread, often in Wasm.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    for (int i = 0; i < kSignals && !give_up.load(); ++i) {
      while (!platform.line_idle(*line) && !give_up.load()) std::this_thread::yield();
      kill(getpid(), SIGUSR1);
      // Standard signals do not queue: wait until this one was caught before the next.
      while (platform.arrivals(*line) <= static_cast<std::uint64_t>(i) && !give_up.load()) {
        std::this_thread::yield();
      }
    }
  });
  const HandlerStats& stats = *scheduler.handler_stats(*id, *line);
  run_until_done(scheduler, [&] { return stats.completed >= kSignals; });
  give_up = true;
  sender.join();
  scheduler.run_for(5 * kMs);
  EXPECT_EQ(stats.activations, kSignals);
  EXPECT_EQ(peek(scheduler, *id, 0), static_cast<std::uint32_t>(kSignals));
  EXPECT_EQ(platform.arrivals(*line), kSignals);
  EXPECT_GT(peek(scheduler, *id, 8), 0u);
  EXPECT_EQ(scheduler.spurious_interrupts(), 0u);
}

// A POSIX timer every millisecond against a handler allowed once per 20 ms (drop policy), and
// a handler that never returns on another signal, stopped by its fuel budget, while a task in
// a third container keeps counting.
TEST(LinuxPlatform, TimerSignalIsRateLimitedAndAnEndlessHandlerStopsAtItsBudget) {
  LinuxPlatform platform;
  std::string error;
  auto timer_line = platform.add_signal(SIGRTMIN, &error);
  ASSERT_TRUE(timer_line.has_value()) << error;
  auto usr2_line = platform.add_signal(SIGUSR2, &error);
  ASSERT_TRUE(usr2_line.has_value()) << error;
  Scheduler scheduler(platform);
  const Cycles min_ia = 20 * kMs;
  auto limited = scheduler.install(counter(*timer_line, true, false, min_ia), &error);
  ASSERT_TRUE(limited.has_value()) << error;
  ContainerSpec endless;
  endless.name = "endless";
  endless.module = assemble(kForever);
  HandlerSpec h = handler(*usr2_line, "on_irq", 0, 200'000);
  h.enabled_at_start = true;
  endless.handlers = {h};
  auto bad = scheduler.install(std::move(endless), &error);
  ASSERT_TRUE(bad.has_value()) << error;
  ContainerSpec worker = counter(40, false, true);  // its task counts in mem[8]
  worker.name = "worker";
  auto good = scheduler.install(std::move(worker), &error);
  ASSERT_TRUE(good.has_value()) << error;
  for (ContainerId c : {*limited, *bad, *good}) ASSERT_TRUE(scheduler.start(c));

  timer_t timer;
  sigevent ev{};
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGRTMIN;
  ASSERT_EQ(timer_create(CLOCK_MONOTONIC, &ev, &timer), 0);
  itimerspec period{};
  period.it_interval.tv_nsec = 1'000'000;
  period.it_value.tv_nsec = 1'000'000;
  ASSERT_EQ(timer_settime(timer, 0, &period, nullptr), 0);
  raise(SIGUSR2);
  const HandlerStats& ls = *scheduler.handler_stats(*limited, *timer_line);
  run_until_done(scheduler, [&] { return ls.completed >= 6; });
  timer_delete(timer);
  scheduler.run_for(2 * kMs);

  EXPECT_GE(ls.completed, 6u);
  EXPECT_GT(ls.dropped, 0u);  // arrivals inside the 20 ms window were dropped
  // Activations are at least the minimum inter-arrival apart.
  std::vector<Cycles> starts;
  Cycles last_end = 0;
  for (const TraceEvent& e : scheduler.trace().events()) {
    if (e.kind != TraceKind::kHandlerSpan || e.line != *timer_line) continue;
    if (starts.empty() || e.start > last_end) starts.push_back(e.start);
    last_end = e.end;
  }
  ASSERT_GE(starts.size(), 6u);
  // Releases are >= min_ia apart; a start is its release plus at most the worst latency.
  for (std::size_t i = 1; i < starts.size(); ++i) {
    EXPECT_GE(starts[i] - starts[i - 1] + ls.latency_max, min_ia) << "activation " << i;
  }
  const HandlerStats& bs = *scheduler.handler_stats(*bad, *usr2_line);
  EXPECT_EQ(bs.activations, 1u);
  EXPECT_EQ(bs.overruns, 1u);
  EXPECT_EQ(bs.completed, 0u);
  EXPECT_NE(scheduler.info(*bad)->last_fault.find("budget"), std::string::npos);
  EXPECT_GT(peek(scheduler, *good, 8), 0u);
}

}  // namespace
}  // namespace wasmio::sched::test
