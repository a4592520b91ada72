/* Integer matrix multiply C = A x B (n x n, wrapping 32-bit arithmetic): multiply-add throughput
 * and strided loads. */
#define BENCH_KERNEL matmul_i32
#include "bench_abi.h"

#define MATMUL_MAX_N 256u

static bench_u32 a[MATMUL_MAX_N * MATMUL_MAX_N];
static bench_u32 b[MATMUL_MAX_N * MATMUL_MAX_N];
static bench_u32 c[MATMUL_MAX_N * MATMUL_MAX_N];

/* c = a x b for row-major n x n matrices; i-k-j order so the inner loop walks rows. */
void BENCH_FN(multiply)(const bench_u32* x, const bench_u32* y, bench_u32* out, bench_u32 n) {
  for (bench_u32 i = 0; i < n; ++i) {
    bench_u32* row = out + i * n;
    for (bench_u32 j = 0; j < n; ++j) row[j] = 0;
    for (bench_u32 k = 0; k < n; ++k) {
      bench_u32 aik = x[i * n + k];
      const bench_u32* yrow = y + k * n;
      for (bench_u32 j = 0; j < n; ++j) row[j] += aik * yrow[j];
    }
  }
}

/* size: n (at most 256); reps: multiplications, each with A perturbed by the previous one. */
bench_u32 BENCH_EXPORT(run)(bench_u32 size, bench_u32 reps) {
  bench_u32 n = size > MATMUL_MAX_N ? MATMUL_MAX_N : size;
  bench_u32 seed = 0xA11CEu;
  for (bench_u32 i = 0; i < n * n; ++i) a[i] = bench_lcg(&seed) >> 20;
  for (bench_u32 i = 0; i < n * n; ++i) b[i] = bench_lcg(&seed) >> 20;
  bench_u32 hash = BENCH_HASH_INIT;
  for (bench_u32 r = 0; r < reps; ++r) {
    BENCH_FN(multiply)(a, b, c, n);
    if (n != 0) a[r % (n * n)] += c[(r * 7u) % (n * n)];
  }
  for (bench_u32 i = 0; i < n * n; ++i) hash = bench_mix(hash, c[i]);
  return hash;
}

bench_u32 BENCH_EXPORT(smoke)(void) { return BENCH_FN(run)(17, 3); }
