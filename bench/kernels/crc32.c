/* Table-driven CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) over an LCG-filled buffer:
 * byte loads, table lookups, shifts and xors. */
#define BENCH_KERNEL crc32
#include "bench_abi.h"

#define CRC32_MAX_BYTES (4u << 20)

static bench_u32 crc_table[256];
static bench_u8 buffer[CRC32_MAX_BYTES];

static void build_table(void) {
  for (bench_u32 i = 0; i < 256; ++i) {
    bench_u32 c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

/* Standard CRC-32 of `len` bytes (pre- and post-inverted), as zlib's crc32(0, data, len). */
bench_u32 BENCH_FN(compute)(const bench_u8* data, bench_u32 len) {
  build_table();
  bench_u32 crc = 0xFFFFFFFFu;
  for (bench_u32 i = 0; i < len; ++i) crc = crc_table[(crc ^ data[i]) & 0xFFu] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

/* size: buffer bytes (at most 4 MiB); reps: passes over it, each chained to the previous CRC. */
bench_u32 BENCH_EXPORT(run)(bench_u32 size, bench_u32 reps) {
  if (size > CRC32_MAX_BYTES) size = CRC32_MAX_BYTES;
  bench_u32 seed = 0xC0FFEEu;
  for (bench_u32 i = 0; i < size; ++i) buffer[i] = (bench_u8)(bench_lcg(&seed) >> 24);
  bench_u32 hash = BENCH_HASH_INIT;
  for (bench_u32 r = 0; r < reps; ++r) {
    bench_u32 crc = BENCH_FN(compute)(buffer, size);
    hash = bench_mix(hash, crc);
    if (size != 0) buffer[r % size] ^= (bench_u8)crc; /* the next pass sees different data */
  }
  return hash;
}

bench_u32 BENCH_EXPORT(smoke)(void) { return BENCH_FN(run)(5000, 3); }
