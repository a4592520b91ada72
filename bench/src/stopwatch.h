// Monotonic wall-clock timing of one call.
#pragma once

#include <chrono>

namespace wasmio::bench {

template <typename F>
double seconds_of(F&& f) {
  auto start = std::chrono::steady_clock::now();
  f();
  auto end = std::chrono::steady_clock::now();
  return std::chrono::duration<double>(end - start).count();
}

}  // namespace wasmio::bench
