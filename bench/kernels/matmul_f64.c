/* Double-precision matrix multiply C = A x B (n x n): f64 multiply-add and loads. Built with
 * -ffp-contract=off natively so both targets round every operation identically and the result
 * bits, not just their approximate values, must match. */
#define BENCH_KERNEL matmul_f64
#include "bench_abi.h"

#define MATMUL_MAX_N 256u

static double a[MATMUL_MAX_N * MATMUL_MAX_N];
static double b[MATMUL_MAX_N * MATMUL_MAX_N];
static double c[MATMUL_MAX_N * MATMUL_MAX_N];

/* A value in [-1, 1) with 24 random bits: exact in double. */
static double uniform(bench_u32* seed) {
  return (double)(bench_i32)(bench_lcg(seed) & 0xFFFFFF00u) * (1.0 / 2147483648.0);
}

/* c = a x b for row-major n x n matrices; i-k-j order (no reassociation of sums). */
void BENCH_FN(multiply)(const double* x, const double* y, double* out, bench_u32 n) {
  for (bench_u32 i = 0; i < n; ++i) {
    double* row = out + i * n;
    for (bench_u32 j = 0; j < n; ++j) row[j] = 0.0;
    for (bench_u32 k = 0; k < n; ++k) {
      double aik = x[i * n + k];
      const double* yrow = y + k * n;
      for (bench_u32 j = 0; j < n; ++j) row[j] += aik * yrow[j];
    }
  }
}

static bench_u32 hash_double(bench_u32 hash, double v) {
  union { double d; bench_u64 u; } bits;
  bits.d = v;
  hash = bench_mix(hash, (bench_u32)bits.u);
  return bench_mix(hash, (bench_u32)(bits.u >> 32));
}

/* size: n (at most 256); reps: multiplications, each with A perturbed by the previous one. */
bench_u32 BENCH_EXPORT(run)(bench_u32 size, bench_u32 reps) {
  bench_u32 n = size > MATMUL_MAX_N ? MATMUL_MAX_N : size;
  bench_u32 seed = 0xF10A7u;
  for (bench_u32 i = 0; i < n * n; ++i) a[i] = uniform(&seed);
  for (bench_u32 i = 0; i < n * n; ++i) b[i] = uniform(&seed);
  bench_u32 hash = BENCH_HASH_INIT;
  for (bench_u32 r = 0; r < reps; ++r) {
    BENCH_FN(multiply)(a, b, c, n);
    if (n != 0) a[r % (n * n)] += 0.5 * c[(r * 7u) % (n * n)];
  }
  for (bench_u32 i = 0; i < n * n; ++i) hash = hash_double(hash, c[i]);
  return hash;
}

bench_u32 BENCH_EXPORT(smoke)(void) { return BENCH_FN(run)(17, 3); }
