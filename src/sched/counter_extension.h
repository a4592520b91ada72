// A free-running 32-bit up-counter extended to 64 bits without a lock, so thread mode and
// interrupt handlers (E0 stamps its arrivals) can read the same clock (NvicPlatform::now()).
//
// The state is one 32-bit word: the number of half periods of the counter seen so far, whose
// low bit is therefore the top bit of the last reading. A reader loads the state, THEN reads the
// counter, and counts one more half period when the counter's top bit differs from the state's.
// It publishes with a compare-and-swap that may fail: then a reader that interrupted it stored
// the same or a later state, and its own result is still right for its own reading. Correct as
// long as some reader looks at least once per half period (86 s at 25 MHz; the scheduler's
// longest sleep is one SysTick reload, 0.67 s). Only 32-bit atomics: lock-free on a Cortex-M3.
#pragma once

#include <atomic>
#include <cstdint>

namespace wasmio::sched {

// The pure step: the state after seeing `low` with state `halves`, and the 64-bit time.
struct CounterStep {
  std::uint32_t halves;
  std::uint64_t time;
};
constexpr CounterStep extend_counter(std::uint32_t halves, std::uint32_t low) {
  const std::uint32_t next = (halves & 1u) != (low >> 31) ? halves + 1 : halves;
  return {next, (static_cast<std::uint64_t>(next >> 1) << 32) | low};
}

class CounterExtension {
 public:
  explicit CounterExtension(std::uint32_t first_reading = 0) : halves_(first_reading >> 31) {}

  // `read_counter` is called once, after the state was loaded.
  template <typename ReadCounter>
  std::uint64_t read(ReadCounter read_counter) {
    std::uint32_t seen = halves_.load(std::memory_order_acquire);
    const CounterStep step = extend_counter(seen, read_counter());
    if (step.halves != seen) {
      halves_.compare_exchange_strong(seen, step.halves, std::memory_order_acq_rel);
    }
    return step.time;
  }

 private:
  std::atomic<std::uint32_t> halves_;
};

}  // namespace wasmio::sched
