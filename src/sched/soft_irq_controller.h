// An interrupt controller in software, with the NVIC's per-line semantics (enabled, pending,
// active), for platforms whose interrupt sources are software events: POSIX signals and UIO
// file descriptors on Linux, or threads in tests. Any context may raise a line (a signal
// handler, another thread, the scheduler thread itself); a line is delivered to the sink when it
// is enabled, pending and not active, and the claim (pending -> active) is one compare-and-swap,
// so every raise is delivered exactly once or coalesced with a raise still pending, as on
// hardware. Lock-free and allocation-free after construction.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "platform.h"

namespace wasmio::sched {

class SoftIrqController {
 public:
  explicit SoftIrqController(std::uint32_t lines)
      : lines_(lines), state_(std::make_unique<std::atomic<std::uint8_t>[]>(lines)) {
    for (std::uint32_t i = 0; i < lines; ++i) state_[i].store(0, std::memory_order_relaxed);
  }

  // Replacing the sink waits until no other context is still inside the old one, so the old
  // sink may be destroyed afterwards. Not from inside the sink.
  void set_sink(InterruptSink* sink) {
    sink_.store(sink);
    while (in_sink_.load() != 0) {
    }
  }
  std::uint32_t line_count() const { return lines_; }

  // Any context (async-signal-safe). Returns false for a line that does not exist.
  bool raise(std::uint32_t line) noexcept {
    if (line >= lines_) return false;
    state_[line].fetch_or(kPending, std::memory_order_acq_rel);
    deliver(line);
    return true;
  }

  // Entry already moved the line pending -> active (the claim), as NVIC hardware does.
  void acknowledge(std::uint32_t) noexcept {}
  void mask(std::uint32_t line) noexcept { clear(line, kEnabled); }
  void unmask(std::uint32_t line) noexcept { set_and_deliver(line, kEnabled); }
  void complete(std::uint32_t line) noexcept {
    if (line >= lines_) return;
    state_[line].fetch_and(static_cast<std::uint8_t>(~kActive), std::memory_order_acq_rel);
    deliver(line);
  }
  void clear_pending(std::uint32_t line) noexcept { clear(line, kPending); }

  bool enabled(std::uint32_t line) const noexcept { return has(line, kEnabled); }
  bool pending(std::uint32_t line) const noexcept { return has(line, kPending); }
  bool active(std::uint32_t line) const noexcept { return has(line, kActive); }
  std::uint32_t delivered() const noexcept { return delivered_.load(std::memory_order_relaxed); }

 private:
  static constexpr std::uint8_t kEnabled = 1, kPending = 2, kActive = 4;

  bool has(std::uint32_t line, std::uint8_t bit) const noexcept {
    return line < lines_ && (state_[line].load(std::memory_order_acquire) & bit) != 0;
  }
  void clear(std::uint32_t line, std::uint8_t bit) noexcept {
    if (line < lines_) state_[line].fetch_and(static_cast<std::uint8_t>(~bit));
  }
  void set_and_deliver(std::uint32_t line, std::uint8_t bit) noexcept {
    if (line >= lines_) return;
    state_[line].fetch_or(bit);
    deliver(line);
  }
  // Claims the line (enabled + pending + not active -> enabled + active) and enters the sink.
  void deliver(std::uint32_t line) noexcept {
    std::uint8_t s = state_[line].load(std::memory_order_acquire);
    for (;;) {
      if ((s & (kEnabled | kPending | kActive)) != (kEnabled | kPending)) return;
      const std::uint8_t claimed = static_cast<std::uint8_t>((s & ~kPending) | kActive);
      if (state_[line].compare_exchange_weak(s, claimed, std::memory_order_acq_rel)) break;
    }
    delivered_.fetch_add(1, std::memory_order_relaxed);
    in_sink_.fetch_add(1);
    InterruptSink* sink = sink_.load();
    if (sink != nullptr) sink->on_interrupt(line);
    in_sink_.fetch_sub(1);
    if (sink == nullptr) complete(line);  // nobody listens: leave the line inactive again
  }

  std::uint32_t lines_;
  std::unique_ptr<std::atomic<std::uint8_t>[]> state_;
  std::atomic<InterruptSink*> sink_{nullptr};
  std::atomic<std::uint32_t> in_sink_{0};  // contexts inside sink_->on_interrupt
  std::atomic<std::uint32_t> delivered_{0};  // 32-bit: lock-free everywhere
};

}  // namespace wasmio::sched
