/* Linear-memory load/store pairs with data-dependent addresses in a 256 KiB buffer: the cost of
 * bounds-checked memory access. Each iteration is one i32 load and one i32 store. */
#define BENCH_KERNEL memory
#include "bench_abi.h"

#define MEMORY_WORDS (1u << 16)
#define MEMORY_MASK (MEMORY_WORDS - 1u)

static bench_u32 words[MEMORY_WORDS];

/* size: load/store pairs; reps: repetitions over the same (evolving) buffer. */
bench_u32 BENCH_EXPORT(run)(bench_u32 size, bench_u32 reps) {
  bench_u32 seed = 0x3E3u;
  for (bench_u32 i = 0; i < MEMORY_WORDS; ++i) words[i] = bench_lcg(&seed);
  bench_u32 j = 0;
  for (bench_u32 r = 0; r < reps; ++r) {
    for (bench_u32 i = 0; i < size; ++i) {
      j = (j + 40503u) & MEMORY_MASK;
      bench_u32 v = words[j];
      words[(v ^ i) & MEMORY_MASK] = v + i; /* store address depends on the loaded value */
    }
  }
  bench_u32 hash = BENCH_HASH_INIT;
  for (bench_u32 i = 0; i < MEMORY_WORDS; ++i) hash = bench_mix(hash, words[i]);
  return hash;
}

bench_u32 BENCH_EXPORT(smoke)(void) { return BENCH_FN(run)(20000, 2); }
