#include "platform/linux/linux_platform.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wasmio::platform::linux_host {

namespace {

// Which platform and line each signal enters (read by the signal handler).
std::atomic<LinuxPlatform*> g_signal_owner[NSIG];
std::atomic<std::uint32_t> g_signal_line[NSIG];

std::int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void drain_eventfd(int fd) {
  std::uint64_t value = 0;
  while (read(fd, &value, sizeof value) == static_cast<ssize_t>(sizeof value)) {
  }
}

void poke_eventfd(int fd) {
  const std::uint64_t one = 1;
  // Async-signal-safe; a full counter (EAGAIN) already means "wake up".
  [[maybe_unused]] const ssize_t n = write(fd, &one, sizeof one);
}

}  // namespace

LinuxPlatform::LinuxPlatform() {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  control_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoch_ns_ = monotonic_ns();
}

LinuxPlatform::~LinuxPlatform() {
  const std::uint32_t used = used_.load();
  for (std::uint32_t i = 0; i < used; ++i) {
    Line& l = lines_[i];
    if (l.kind == Kind::kSignal) {
      sigaction(l.signo, &l.previous, nullptr);
      g_signal_owner[l.signo].store(nullptr);
    }
  }
  if (watcher_.joinable()) {
    stopping_.store(true);
    poke_eventfd(control_fd_);
    watcher_.join();
  }
  for (std::uint32_t i = 0; i < used; ++i) {
    if (lines_[i].kind == Kind::kUio && lines_[i].owns_fd) close(lines_[i].fd);
  }
  if (wake_fd_ >= 0) close(wake_fd_);
  if (control_fd_ >= 0) close(control_fd_);
}

sched::Cycles LinuxPlatform::now() const {
  return static_cast<sched::Cycles>(monotonic_ns() - epoch_ns_);
}

std::optional<std::uint32_t> LinuxPlatform::next_line(std::string* error) {
  if (wake_fd_ < 0 || control_fd_ < 0) {
    *error = std::string("eventfd: ") + std::strerror(errno);
    return std::nullopt;
  }
  if (used_.load() >= kLines) {
    *error = "all " + std::to_string(kLines) + " interrupt lines are in use";
    return std::nullopt;
  }
  return used_.load();
}

std::optional<std::uint32_t> LinuxPlatform::add_uio_fd(int fd, bool take_ownership,
                                                       std::string* error) {
  auto line = next_line(error);
  if (!line) return std::nullopt;
  const int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || (flags & O_ACCMODE) != O_RDWR) {
    *error = flags < 0 ? std::string("not an open file descriptor: ") + std::strerror(errno)
                       : std::string("a UIO fd must be open for reading and writing");
    return std::nullopt;
  }
  fcntl(fd, F_SETFL, flags | O_NONBLOCK);  // the watcher reads only what poll announced
  Line& l = lines_[*line];
  l.kind = Kind::kUio;
  l.fd = fd;
  l.owns_fd = take_ownership;
  used_.store(*line + 1);
  if (watcher_.joinable()) {
    poke_eventfd(control_fd_);  // rebuild the poll set
  } else {
    start_watcher();
  }
  return line;
}

std::optional<std::uint32_t> LinuxPlatform::open_uio(const std::string& path, std::string* error) {
  const int fd = open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    *error = path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  auto line = add_uio_fd(fd, true, error);
  if (!line) close(fd);
  return line;
}

std::optional<std::uint32_t> LinuxPlatform::add_signal(int signo, std::string* error) {
  if (signo <= 0 || signo >= NSIG || signo == SIGKILL || signo == SIGSTOP) {
    *error = "signal " + std::to_string(signo) + " cannot be an interrupt source";
    return std::nullopt;
  }
  if (g_signal_owner[signo].load() != nullptr) {
    *error = "signal " + std::to_string(signo) + " is an interrupt source already";
    return std::nullopt;
  }
  auto line = next_line(error);
  if (!line) return std::nullopt;
  Line& l = lines_[*line];
  l.kind = Kind::kSignal;
  l.signo = signo;
  g_signal_line[signo].store(*line);
  g_signal_owner[signo].store(this);
  struct sigaction action {};
  action.sa_handler = &LinuxPlatform::on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  if (sigaction(signo, &action, &l.previous) != 0) {
    *error = std::string("sigaction: ") + std::strerror(errno);
    g_signal_owner[signo].store(nullptr);
    l.kind = Kind::kNone;
    return std::nullopt;
  }
  used_.store(*line + 1);
  return line;
}

// The E0 entry of signal lines: async-signal-safe (atomics, clock_gettime, write).
void LinuxPlatform::on_signal(int signo) {
  const int saved = errno;
  LinuxPlatform* self = g_signal_owner[signo].load();
  if (self != nullptr) {
    const std::uint32_t line = g_signal_line[signo].load();
    self->lines_[line].arrivals.fetch_add(1, std::memory_order_relaxed);
    self->raise_line(line);
  }
  errno = saved;
}

void LinuxPlatform::raise_line(std::uint32_t line) {
  irqs_.raise(line);  // enters the scheduler's E0 now if the line is enabled and idle
  poke_eventfd(wake_fd_);
}

void LinuxPlatform::unmask(std::uint32_t line) {
  if (line < kLines && lines_[line].kind == Kind::kUio && !lines_[line].dead.load() &&
      !lines_[line].armed.exchange(true)) {
    const std::uint32_t one = 1;  // the UIO protocol: re-enable the interrupt in the kernel
    if (write(lines_[line].fd, &one, sizeof one) != static_cast<ssize_t>(sizeof one)) {
      lines_[line].armed.store(false);
    }
  }
  irqs_.unmask(line);
}

void LinuxPlatform::wait(sched::Cycles deadline) {
  pollfd pfd{wake_fd_, POLLIN, 0};
  timespec timeout{};
  timespec* timeout_ptr = nullptr;
  if (deadline != sched::kNever) {
    const sched::Cycles t = now();
    const sched::Cycles span = deadline > t ? deadline - t : 0;
    timeout.tv_sec = static_cast<time_t>(span / 1'000'000'000);
    timeout.tv_nsec = static_cast<long>(span % 1'000'000'000);
    timeout_ptr = &timeout;
  }
  // EINTR means a signal was taken (its E0 ran): return to the loop like a wake-up.
  if (ppoll(&pfd, 1, timeout_ptr, nullptr) > 0) drain_eventfd(wake_fd_);
}

bool LinuxPlatform::line_idle(std::uint32_t line) const {
  return irqs_.enabled(line) && !irqs_.pending(line) && !irqs_.active(line);
}

std::uint64_t LinuxPlatform::arrivals(std::uint32_t line) const {
  return line < kLines ? lines_[line].arrivals.load() : 0;
}

std::uint64_t LinuxPlatform::coalesced(std::uint32_t line) const {
  return line < kLines ? lines_[line].coalesced.load() : 0;
}

void LinuxPlatform::start_watcher() {
  // The watcher takes no signals: they go to the threads that run (or wait for) the scheduler.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  watcher_ = std::thread([this] { watch(); });
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

// The UIO side of E0: one blocking-read protocol per fd, each readable fd is one arrival.
void LinuxPlatform::watch() {
  std::vector<pollfd> fds;
  std::vector<std::uint32_t> line_of;
  for (;;) {
    fds.assign(1, pollfd{control_fd_, POLLIN, 0});
    line_of.assign(1, 0);
    const std::uint32_t used = used_.load();
    for (std::uint32_t i = 0; i < used; ++i) {
      if (lines_[i].kind != Kind::kUio || lines_[i].dead.load()) continue;
      fds.push_back(pollfd{lines_[i].fd, POLLIN, 0});
      line_of.push_back(i);
    }
    if (poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) return;
    if ((fds[0].revents & POLLIN) != 0) {
      drain_eventfd(control_fd_);
      if (stopping_.load()) return;
      continue;  // the set of fds changed
    }
    for (std::size_t k = 1; k < fds.size(); ++k) {
      if (fds[k].revents == 0) continue;
      Line& l = lines_[line_of[k]];
      std::uint32_t count = 0;
      const ssize_t n = read(l.fd, &count, sizeof count);
      if (n == static_cast<ssize_t>(sizeof count)) {
        const std::uint32_t delta = l.have_count ? count - l.last_count : 1;
        l.last_count = count;
        l.have_count = true;
        if (delta == 0) continue;
        l.arrivals.fetch_add(delta, std::memory_order_relaxed);
        if (delta > 1) l.coalesced.fetch_add(delta - 1, std::memory_order_relaxed);
        l.armed.store(false);  // the kernel disabled the interrupt until the next write of 1
        raise_line(line_of[k]);
      } else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) ||
                 (fds[k].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) {
        l.dead.store(true);  // device gone: stop watching it (its line stays quiet)
      }
    }
  }
}

}  // namespace wasmio::platform::linux_host
