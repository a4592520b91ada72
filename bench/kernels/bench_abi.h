/* The one macro layer that lets each kernel source build both as a wasm32 module and as native
 * code linked into the benchmark runner.
 *
 * Every kernel file defines BENCH_KERNEL (its name) before including this header and exports
 *   uint32_t run(uint32_t size, uint32_t reps)   the measured work, returns a checksum
 *   uint32_t smoke(void)                         run() at a tiny size, for tests
 * In wasm these are the module's exports "run" and "smoke". Natively they become
 * bench_<kernel>_run / bench_<kernel>_smoke, so all kernels can live in one executable. */
#ifndef WASMIO_BENCH_ABI_H
#define WASMIO_BENCH_ABI_H

typedef unsigned int bench_u32;
typedef unsigned long long bench_u64;
typedef int bench_i32;
typedef unsigned char bench_u8;
#ifdef __cplusplus
static_assert(sizeof(bench_u32) == 4 && sizeof(bench_u64) == 8, "kernel integer widths");
#else
_Static_assert(sizeof(bench_u32) == 4 && sizeof(bench_u64) == 8, "kernel integer widths");
#endif

#define BENCH_CAT3_(a, b, c) a##_##b##_##c
#define BENCH_CAT3(a, b, c) BENCH_CAT3_(a, b, c)

/* A kernel-private function with external linkage (for native unit tests); never exported. */
#define BENCH_FN(name) BENCH_CAT3(bench, BENCH_KERNEL, name)

#if defined(__wasm__)
#define BENCH_EXPORT(name) __attribute__((export_name(#name))) BENCH_CAT3(bench, BENCH_KERNEL, name)
/* Declares an imported host function; in wasm it is a module import. */
#define BENCH_IMPORT(module, name, ret, params) \
  __attribute__((import_module(#module), import_name(#name))) ret name params;
#define BENCH_CALL_IMPORT(name) name
#else
#define BENCH_EXPORT(name) BENCH_CAT3(bench, BENCH_KERNEL, name)
/* Natively the "import" is a call through a volatile function pointer (bench/src/host_mix.c), so the
 * compiler can neither inline it nor hoist it out of the loop: the native twin of a host call. */
#define BENCH_IMPORT(module, name, ret, params) \
  extern ret (*volatile bench_import_##name) params;
#define BENCH_CALL_IMPORT(name) (*bench_import_##name)
#endif

/* Deterministic input: the classic 32-bit LCG (Numerical Recipes constants). Same sequence on
 * every target, so native and wasm see identical data. */
static inline bench_u32 bench_lcg(bench_u32* state) {
  *state = *state * 1664525u + 1013904223u;
  return *state;
}

/* Folds a word into a running checksum (FNV-1a over the word's four bytes). */
static inline bench_u32 bench_mix(bench_u32 hash, bench_u32 word) {
  for (int i = 0; i < 4; ++i) {
    hash ^= (word >> (8 * i)) & 0xFFu;
    hash *= 16777619u;
  }
  return hash;
}
#define BENCH_HASH_INIT 2166136261u

#endif
