// Closed-form arithmetic of a down-counter, shared by the CMSDK timer, dual timer and watchdog,
// so a model can jump over any number of ticks without simulating each one.
//
// One tick: a non-zero count decrements, and reaching 0 is a "trigger" (the interrupt moment);
// at 0 the count reloads on the next tick (no trigger), or stays at 0 for a one-shot counter or
// a reload value of 0. Period with reload R: R + 1 ticks.
#pragma once

#include <cstdint>

namespace wasmio::io::sim {

struct CountdownStep {
  std::uint32_t value = 0;
  std::uint64_t triggers = 0;
};

inline CountdownStep countdown_advance(std::uint32_t value, std::uint32_t reload, bool one_shot,
                                       std::uint64_t ticks) {
  CountdownStep out;
  if (value > 0) {
    if (ticks < value) {
      out.value = static_cast<std::uint32_t>(value - ticks);
      return out;
    }
    ticks -= value;
    out.triggers = 1;
  }
  if (one_shot || reload == 0 || ticks == 0) return out;  // value 0
  const std::uint64_t period = std::uint64_t{reload} + 1;
  out.triggers += ticks / period;
  const std::uint64_t into = ticks % period;
  out.value = into == 0 ? 0 : static_cast<std::uint32_t>(period - into);
  return out;
}

// Ticks until the next trigger, or UINT64_MAX if none will come.
inline std::uint64_t countdown_ticks_to_trigger(std::uint32_t value, std::uint32_t reload,
                                                bool one_shot) {
  if (value > 0) return value;
  if (one_shot || reload == 0) return UINT64_MAX;
  return std::uint64_t{reload} + 1;
}

}  // namespace wasmio::io::sim
