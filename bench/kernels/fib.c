/* Recursive Fibonacci: call/return cost, small frames, no memory traffic. */
#define BENCH_KERNEL fib
#include "bench_abi.h"

bench_u32 BENCH_FN(fib)(bench_u32 n) {
  return n < 2 ? n : BENCH_FN(fib)(n - 1) + BENCH_FN(fib)(n - 2);
}

bench_u32 BENCH_EXPORT(run)(bench_u32 size, bench_u32 reps) {
  /* A volatile argument: fib is pure, so without it the compiler may compute it once per run. */
  volatile bench_u32 n = size;
  bench_u32 hash = BENCH_HASH_INIT;
  for (bench_u32 r = 0; r < reps; ++r) hash = bench_mix(hash, BENCH_FN(fib)(n));
  return hash;
}

bench_u32 BENCH_EXPORT(smoke)(void) { return BENCH_FN(run)(15, 2); }
