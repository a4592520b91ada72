// Virtual time of the simulated board: a cycle counter at the board clock and a queue of device
// deadlines. Nothing here reads the wall clock; the same stimuli give the same trace.
#pragma once

#include <cstdint>
#include <vector>

namespace wasmio::io::sim {

using Cycles = std::uint64_t;
inline constexpr Cycles kNever = UINT64_MAX;

class SimClock;

// A deadline a device owns (timer expiry, end of a UART frame). Armed at most once at a time;
// re-arming moves it. The owner must outlive its arming, or cancel it; the destructor cancels.
class SimEvent {
 public:
  using Callback = void (*)(void* context, Cycles now);
  SimEvent(Callback callback, void* context) : callback_(callback), context_(context) {}
  SimEvent(const SimEvent&) = delete;
  SimEvent& operator=(const SimEvent&) = delete;
  ~SimEvent();

  bool armed() const { return clock_ != nullptr; }
  Cycles deadline() const { return armed() ? when_ : kNever; }

 private:
  friend class SimClock;
  Callback callback_;
  void* context_;
  SimClock* clock_ = nullptr;  // set while armed
  Cycles when_ = 0;
  std::uint64_t sequence_ = 0;
};

class SimClock {
 public:
  explicit SimClock(std::uint64_t frequency_hz) : frequency_hz_(frequency_hz) {}
  SimClock(const SimClock&) = delete;
  SimClock& operator=(const SimClock&) = delete;
  ~SimClock();

  Cycles now() const { return now_; }
  std::uint64_t frequency_hz() const { return frequency_hz_; }
  Cycles cycles_from_us(std::uint64_t us) const { return us * frequency_hz_ / 1'000'000; }
  Cycles cycles_from_ms(std::uint64_t ms) const { return ms * frequency_hz_ / 1'000; }

  // Arms `event` for `when` (clamped to now). Events due at the same cycle run in arming order.
  void schedule(SimEvent& event, Cycles when);
  void schedule_in(SimEvent& event, Cycles delay) { schedule(event, now_ + delay); }
  void cancel(SimEvent& event);

  // Runs every event due up to and including `target`, in deadline order, each with now() equal
  // to its deadline; then now() = target. Callbacks may arm and cancel events.
  void advance_to(Cycles target) {
    if (queue_.empty() || queue_.front()->when_ > target) {  // nothing due: the common case
      if (target > now_) now_ = target;
      return;
    }
    run_due(target);
  }
  void advance(Cycles delta) { advance_to(now_ + delta); }
  // Jumps to the earliest deadline and runs everything due then. False if nothing is armed.
  bool run_next();
  Cycles next_deadline() const { return queue_.empty() ? kNever : queue_.front()->when_; }
  std::size_t pending_events() const { return queue_.size(); }

 private:
  void pop_front();
  void run_due(Cycles target);
  // Heap order: std::*_heap keep the greatest first, so "later" puts the earliest in front.
  static bool later(const SimEvent* a, const SimEvent* b) {
    return a->when_ != b->when_ ? a->when_ > b->when_ : a->sequence_ > b->sequence_;
  }

  std::uint64_t frequency_hz_;
  Cycles now_ = 0;
  std::uint64_t next_sequence_ = 0;
  std::vector<SimEvent*> queue_;  // binary min-heap on (when, sequence)
};

}  // namespace wasmio::io::sim
