/* Calls of an imported host function from a tight loop: the cost of crossing from Wasm into the
 * embedder and back. Natively the same host function is called through a function pointer. */
#define BENCH_KERNEL hostcall
#include "bench_abi.h"

BENCH_IMPORT(bench, host_mix, bench_u32, (bench_u32 acc, bench_u32 value))

/* size: calls per rep; reps: repetitions. */
bench_u32 BENCH_EXPORT(run)(bench_u32 size, bench_u32 reps) {
  bench_u32 acc = BENCH_HASH_INIT;
  for (bench_u32 r = 0; r < reps; ++r) {
    for (bench_u32 i = 0; i < size; ++i) acc = BENCH_CALL_IMPORT(host_mix)(acc, i);
  }
  return acc;
}

bench_u32 BENCH_EXPORT(smoke)(void) { return BENCH_FN(run)(1000, 2); }
