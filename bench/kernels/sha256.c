/* SHA-256 (FIPS 180-4) over an LCG-filled buffer: 32-bit rotates, adds, xors, big-endian loads.
 * A real digest (checked against the standard's test vectors natively), not an approximation. */
#define BENCH_KERNEL sha256
#include "bench_abi.h"

#define SHA256_MAX_BYTES (1u << 20)

static const bench_u32 k_round[64] = {
  0x428A2F98u, 0x71374491u, 0xB5C0FBCFu, 0xE9B5DBA5u, 0x3956C25Bu, 0x59F111F1u, 0x923F82A4u, 0xAB1C5ED5u,
  0xD807AA98u, 0x12835B01u, 0x243185BEu, 0x550C7DC3u, 0x72BE5D74u, 0x80DEB1FEu, 0x9BDC06A7u, 0xC19BF174u,
  0xE49B69C1u, 0xEFBE4786u, 0x0FC19DC6u, 0x240CA1CCu, 0x2DE92C6Fu, 0x4A7484AAu, 0x5CB0A9DCu, 0x76F988DAu,
  0x983E5152u, 0xA831C66Du, 0xB00327C8u, 0xBF597FC7u, 0xC6E00BF3u, 0xD5A79147u, 0x06CA6351u, 0x14292967u,
  0x27B70A85u, 0x2E1B2138u, 0x4D2C6DFCu, 0x53380D13u, 0x650A7354u, 0x766A0ABBu, 0x81C2C92Eu, 0x92722C85u,
  0xA2BFE8A1u, 0xA81A664Bu, 0xC24B8B70u, 0xC76C51A3u, 0xD192E819u, 0xD6990624u, 0xF40E3585u, 0x106AA070u,
  0x19A4C116u, 0x1E376C08u, 0x2748774Cu, 0x34B0BCB5u, 0x391C0CB3u, 0x4ED8AA4Au, 0x5B9CCA4Fu, 0x682E6FF3u,
  0x748F82EEu, 0x78A5636Fu, 0x84C87814u, 0x8CC70208u, 0x90BEFFFAu, 0xA4506CEBu, 0xBEF9A3F7u, 0xC67178F2u,
};

static bench_u8 buffer[SHA256_MAX_BYTES];

static inline bench_u32 rotr(bench_u32 x, int n) { return (x >> n) | (x << (32 - n)); }

static bench_u32 load_be32(const bench_u8* p) {
  return ((bench_u32)p[0] << 24) | ((bench_u32)p[1] << 16) | ((bench_u32)p[2] << 8) | p[3];
}

static void compress(bench_u32 state[8], const bench_u8* block) {
  bench_u32 w[64];
  for (int t = 0; t < 16; ++t) w[t] = load_be32(block + 4 * t);
  for (int t = 16; t < 64; ++t) {
    bench_u32 s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    bench_u32 s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  bench_u32 a = state[0], b = state[1], c = state[2], d = state[3];
  bench_u32 e = state[4], f = state[5], g = state[6], h = state[7];
  for (int t = 0; t < 64; ++t) {
    bench_u32 t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k_round[t] + w[t];
    bench_u32 t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a; state[1] += b; state[2] += c; state[3] += d;
  state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

/* The SHA-256 digest of data[0..len) into out[0..32). */
void BENCH_FN(digest)(const bench_u8* data, bench_u32 len, bench_u8 out[32]) {
  bench_u32 state[8] = {0x6A09E667u, 0xBB67AE85u, 0x3C6EF372u, 0xA54FF53Au,
                        0x510E527Fu, 0x9B05688Cu, 0x1F83D9ABu, 0x5BE0CD19u};
  bench_u32 full = len & ~63u;
  for (bench_u32 i = 0; i < full; i += 64) compress(state, data + i);
  /* Padding: 0x80, zeros, then the bit length big-endian; one or two final blocks. */
  bench_u8 tail[128];
  bench_u32 rest = len - full;
  bench_u32 tail_len = rest < 56 ? 64 : 128;
  for (bench_u32 i = 0; i < tail_len; ++i) tail[i] = i < rest ? data[full + i] : 0;
  tail[rest] = 0x80;
  bench_u64 bits = (bench_u64)len * 8;
  for (int i = 0; i < 8; ++i) tail[tail_len - 1 - i] = (bench_u8)(bits >> (8 * i));
  for (bench_u32 i = 0; i < tail_len; i += 64) compress(state, tail + i);
  for (int i = 0; i < 8; ++i) {
    out[4 * i] = (bench_u8)(state[i] >> 24);
    out[4 * i + 1] = (bench_u8)(state[i] >> 16);
    out[4 * i + 2] = (bench_u8)(state[i] >> 8);
    out[4 * i + 3] = (bench_u8)state[i];
  }
}

/* size: message bytes (at most 1 MiB); reps: digests, each written over the message's start so
 * every pass hashes different data. */
bench_u32 BENCH_EXPORT(run)(bench_u32 size, bench_u32 reps) {
  if (size > SHA256_MAX_BYTES) size = SHA256_MAX_BYTES;
  bench_u32 seed = 0x5A256u;
  for (bench_u32 i = 0; i < size; ++i) buffer[i] = (bench_u8)(bench_lcg(&seed) >> 24);
  bench_u8 out[32];
  bench_u32 hash = BENCH_HASH_INIT;
  for (bench_u32 r = 0; r < reps; ++r) {
    BENCH_FN(digest)(buffer, size, out);
    for (bench_u32 i = 0; i < 32; ++i) {
      if (i < size) buffer[i] = out[i];
      if (i % 4 == 3) hash = bench_mix(hash, load_be32(out + i - 3));
    }
  }
  return hash;
}

bench_u32 BENCH_EXPORT(smoke)(void) { return BENCH_FN(run)(1000, 3); }
