// A bounded ring of plain-data events written at E0 (interrupt handlers, signal handlers,
// other threads) and read by the scheduler loop. Producers never allocate, lock or wait: a slot
// is claimed with a compare-and-swap on the write position and published by its sequence word
// (Vyukov's bounded queue, multi-producer, single consumer). Nested interrupts are just more
// producers. When the ring is full the event is counted as lost, never blocked on.
//
// Only 32-bit atomics are used: they are lock-free on a Cortex-M3 (LDREX/STREX), 64-bit ones
// are not.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "platform.h"

namespace wasmio::sched {

struct IsrEvent {
  Cycles time = 0;
  std::uint32_t container = 0;
  std::uint32_t line = 0;
  std::uint8_t kind = 0;  // a TraceKind
};

class IsrEventRing {
 public:
  // `capacity` is rounded up to a power of two (at least 2); allocated here, never later.
  explicit IsrEventRing(std::uint32_t capacity) {
    std::uint32_t size = 2;
    while (size < capacity && size < (1u << 30)) size <<= 1;
    mask_ = size - 1;
    cells_ = std::make_unique<Cell[]>(size);
    for (std::uint32_t i = 0; i < size; ++i) cells_[i].sequence.store(i, std::memory_order_relaxed);
  }

  // E0-safe. False when full (the event is counted in lost()).
  bool push(const IsrEvent& event) noexcept {
    std::uint32_t pos = write_.load(std::memory_order_relaxed);
    for (;;) {
      Cell& cell = cells_[pos & mask_];
      const std::uint32_t seq = cell.sequence.load(std::memory_order_acquire);
      const std::int32_t diff = static_cast<std::int32_t>(seq - pos);
      if (diff == 0) {
        if (write_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
          cell.event = event;
          cell.sequence.store(pos + 1, std::memory_order_release);
          return true;
        }
      } else if (diff < 0) {
        lost_.fetch_add(1, std::memory_order_relaxed);
        return false;
      } else {
        pos = write_.load(std::memory_order_relaxed);
      }
    }
  }

  // Consumer (the scheduler loop) only. False when no published event is waiting.
  bool pop(IsrEvent* out) noexcept {
    Cell& cell = cells_[read_ & mask_];
    const std::uint32_t seq = cell.sequence.load(std::memory_order_acquire);
    if (seq != read_ + 1) return false;
    *out = cell.event;
    cell.sequence.store(read_ + mask_ + 1, std::memory_order_release);
    ++read_;
    return true;
  }

  std::uint32_t lost() const noexcept { return lost_.load(std::memory_order_relaxed); }
  std::uint32_t capacity() const noexcept { return mask_ + 1; }

 private:
  struct Cell {
    std::atomic<std::uint32_t> sequence{0};
    IsrEvent event;
  };
  std::unique_ptr<Cell[]> cells_;
  std::uint32_t mask_ = 0;
  std::atomic<std::uint32_t> write_{0};
  std::uint32_t read_ = 0;
  std::atomic<std::uint32_t> lost_{0};
};

}  // namespace wasmio::sched
