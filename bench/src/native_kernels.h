// The native builds of bench/kernels/*.c: bench_<kernel>_run(size, reps) and bench_<kernel>_smoke().
#pragma once

#include <cstdint>

// Every kernel, in report order. Adding a kernel: a kernels/NAME.c, a line here, and sizes in
// kernel_table.cpp.
#define WASMIO_BENCH_KERNELS(X) \
  X(fib)                        \
  X(crc32)                      \
  X(matmul_i32)                 \
  X(matmul_f64)                 \
  X(quicksort)                  \
  X(sha256)                     \
  X(hostcall)                   \
  X(memory)

extern "C" {
#define WASMIO_BENCH_DECLARE(name)                                  \
  std::uint32_t bench_##name##_run(std::uint32_t size, std::uint32_t reps); \
  std::uint32_t bench_##name##_smoke(void);
WASMIO_BENCH_KERNELS(WASMIO_BENCH_DECLARE)
#undef WASMIO_BENCH_DECLARE

// Internals exposed for the kernels' own unit tests.
std::uint32_t bench_fib_fib(std::uint32_t n);
std::uint32_t bench_crc32_compute(const std::uint8_t* data, std::uint32_t len);
void bench_sha256_digest(const std::uint8_t* data, std::uint32_t len, std::uint8_t out[32]);
void bench_quicksort_sort(std::int32_t* values, std::int32_t lo, std::int32_t hi);
void bench_matmul_i32_multiply(const std::uint32_t* a, const std::uint32_t* b, std::uint32_t* c,
                               std::uint32_t n);
void bench_matmul_f64_multiply(const double* a, const double* b, double* c, std::uint32_t n);
}
