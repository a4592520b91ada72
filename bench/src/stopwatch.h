// Timing of one call. The default clock is the calling thread's CPU time: on a machine shared
// with builds and other jobs, wall-clock time also counts the periods the thread waited for a
// core, which inflated single runs several-fold in practice. Wall-clock time stays available.
#pragma once

#include <time.h>

namespace wasmio::bench {

enum class Clock { kThreadCpu, kWall };

inline double now_seconds(Clock clock) {
  timespec ts{};
  clock_gettime(clock == Clock::kThreadCpu ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

template <typename F>
double seconds_of(Clock clock, F&& f) {
  const double start = now_seconds(clock);
  f();
  return now_seconds(clock) - start;
}

}  // namespace wasmio::bench
