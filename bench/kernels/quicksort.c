/* Quicksort of LCG-generated signed 32-bit integers: unpredictable branches, compares, swaps,
 * recursion. */
#define BENCH_KERNEL quicksort
#include "bench_abi.h"

#define QUICKSORT_MAX_COUNT (1u << 20)
#define INSERTION_SORT_BELOW 16

static bench_i32 values[QUICKSORT_MAX_COUNT];

static void insertion_sort(bench_i32* v, bench_i32 lo, bench_i32 hi) {
  for (bench_i32 i = lo + 1; i <= hi; ++i) {
    bench_i32 x = v[i];
    bench_i32 j = i - 1;
    while (j >= lo && v[j] > x) {
      v[j + 1] = v[j];
      --j;
    }
    v[j + 1] = x;
  }
}

static void swap(bench_i32* v, bench_i32 i, bench_i32 j) {
  bench_i32 t = v[i];
  v[i] = v[j];
  v[j] = t;
}

/* Sorts v[lo..hi] ascending. Median-of-three pivot, Hoare partition; recurses into the smaller
 * part and loops on the larger, so the depth stays below log2(count). */
void BENCH_FN(sort)(bench_i32* v, bench_i32 lo, bench_i32 hi) {
  while (hi - lo >= INSERTION_SORT_BELOW) {
    bench_i32 mid = lo + (hi - lo) / 2;
    if (v[mid] < v[lo]) swap(v, mid, lo);
    if (v[hi] < v[lo]) swap(v, hi, lo);
    if (v[hi] < v[mid]) swap(v, hi, mid);
    bench_i32 pivot = v[mid];
    bench_i32 i = lo - 1;
    bench_i32 j = hi + 1;
    for (;;) {
      do ++i; while (v[i] < pivot);
      do --j; while (v[j] > pivot);
      if (i >= j) break;
      swap(v, i, j);
    }
    if (j - lo < hi - j) {
      BENCH_FN(sort)(v, lo, j);
      lo = j + 1;
    } else {
      BENCH_FN(sort)(v, j + 1, hi);
      hi = j;
    }
  }
  insertion_sort(v, lo, hi);
}

/* size: element count (at most 1 Mi); reps: sorts of freshly generated data. The checksum covers
 * every element and whether the order is right. */
bench_u32 BENCH_EXPORT(run)(bench_u32 size, bench_u32 reps) {
  bench_u32 count = size > QUICKSORT_MAX_COUNT ? QUICKSORT_MAX_COUNT : size;
  bench_u32 seed = 0x5EED5u;
  bench_u32 hash = BENCH_HASH_INIT;
  for (bench_u32 r = 0; r < reps; ++r) {
    for (bench_u32 i = 0; i < count; ++i) values[i] = (bench_i32)bench_lcg(&seed);
    if (count != 0) BENCH_FN(sort)(values, 0, (bench_i32)count - 1);
    bench_u32 sorted = 1;
    for (bench_u32 i = 0; i < count; ++i) {
      if (i != 0 && values[i - 1] > values[i]) sorted = 0;
      hash = bench_mix(hash, (bench_u32)values[i]);
    }
    hash = bench_mix(hash, sorted);
  }
  return hash;
}

bench_u32 BENCH_EXPORT(smoke)(void) { return BENCH_FN(run)(3000, 2); }
