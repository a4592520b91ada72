// The native kernels against known answers (FIPS 180-4 and CRC-32 check values, std::sort, naive
// matrix products), and the determinism the runner relies on: run() starts from scratch each time.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "host_mix.h"
#include "native_kernels.h"

namespace {

std::string hex(const std::uint8_t* bytes, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += digits[bytes[i] >> 4];
    s += digits[bytes[i] & 15];
  }
  return s;
}

std::string sha256_hex(const std::string& message) {
  std::uint8_t out[32];
  bench_sha256_digest(reinterpret_cast<const std::uint8_t*>(message.data()),
                      static_cast<std::uint32_t>(message.size()), out);
  return hex(out, 32);
}

TEST(BenchKernels, FibonacciValues) {
  EXPECT_EQ(bench_fib_fib(0), 0u);
  EXPECT_EQ(bench_fib_fib(1), 1u);
  EXPECT_EQ(bench_fib_fib(10), 55u);
  EXPECT_EQ(bench_fib_fib(32), 2178309u);
}

TEST(BenchKernels, Crc32CheckValue) {
  const char* check = "123456789";
  EXPECT_EQ(bench_crc32_compute(reinterpret_cast<const std::uint8_t*>(check), 9), 0xCBF43926u);
  EXPECT_EQ(bench_crc32_compute(nullptr, 0), 0u);
  const char* fox = "The quick brown fox jumps over the lazy dog";
  EXPECT_EQ(bench_crc32_compute(reinterpret_cast<const std::uint8_t*>(fox), 43), 0x414FA339u);
}

TEST(BenchKernels, Sha256StandardVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the padding needs a second block.
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // Lengths around the block boundary (values from Python's hashlib).
  EXPECT_EQ(sha256_hex(std::string(55, 'x')), "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072");
  EXPECT_EQ(sha256_hex(std::string(63, 'x')), "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2");
  EXPECT_EQ(sha256_hex(std::string(64, 'x')), "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(BenchKernels, QuicksortMatchesStdSort) {
  std::uint32_t seed = 7;
  auto next = [&] { return seed = seed * 1103515245u + 12345u; };
  const std::vector<std::size_t> sizes = {1, 2, 15, 16, 17, 100, 1000, 40000};
  for (std::size_t n : sizes) {
    for (int shape = 0; shape < 4; ++shape) {
      std::vector<std::int32_t> v(n);
      for (std::size_t i = 0; i < n; ++i) {
        switch (shape) {
          case 0: v[i] = static_cast<std::int32_t>(next()); break;         // random
          case 1: v[i] = static_cast<std::int32_t>(next() % 5) - 2; break;  // many duplicates
          case 2: v[i] = static_cast<std::int32_t>(i); break;              // sorted
          default: v[i] = static_cast<std::int32_t>(n - i); break;         // reversed
        }
      }
      std::vector<std::int32_t> expected = v;
      std::sort(expected.begin(), expected.end());
      bench_quicksort_sort(v.data(), 0, static_cast<std::int32_t>(n) - 1);
      EXPECT_EQ(v, expected) << "n=" << n << " shape=" << shape;
    }
  }
}

TEST(BenchKernels, IntegerMatmulMatchesNaiveProduct) {
  const std::uint32_t n = 23;
  std::vector<std::uint32_t> a(n * n), b(n * n), c(n * n);
  for (std::uint32_t i = 0; i < n * n; ++i) {
    a[i] = i * 2654435761u;
    b[i] = (i ^ 0x5555u) * 40503u;
  }
  bench_matmul_i32_multiply(a.data(), b.data(), c.data(), n);
  for (std::uint32_t i = 0; i < n; ++i) {
    for (std::uint32_t j = 0; j < n; ++j) {
      std::uint32_t sum = 0;
      for (std::uint32_t k = 0; k < n; ++k) sum += a[i * n + k] * b[k * n + j];
      ASSERT_EQ(c[i * n + j], sum) << i << "," << j;
    }
  }
}

TEST(BenchKernels, DoubleMatmulMatchesNaiveProductBitForBit) {
  const std::uint32_t n = 19;
  std::vector<double> a(n * n), b(n * n), c(n * n);
  for (std::uint32_t i = 0; i < n * n; ++i) {
    a[i] = static_cast<double>(static_cast<std::int32_t>(i * 2654435761u)) / 3.0e9;
    b[i] = static_cast<double>(static_cast<std::int32_t>(i * 40503u + 17)) / 7.0e8;
  }
  bench_matmul_f64_multiply(a.data(), b.data(), c.data(), n);
  for (std::uint32_t i = 0; i < n; ++i) {
    for (std::uint32_t j = 0; j < n; ++j) {
      double sum = 0.0;  // same summation order as the kernel: k ascending from 0.0
      for (std::uint32_t k = 0; k < n; ++k) sum += a[i * n + k] * b[k * n + j];
      ASSERT_EQ(std::memcmp(&c[i * n + j], &sum, sizeof sum), 0) << i << "," << j;
    }
  }
}

TEST(BenchKernels, HostcallChainsTheHostFunction) {
  std::uint32_t acc = 2166136261u;  // BENCH_HASH_INIT
  for (std::uint32_t r = 0; r < 3; ++r) {
    for (std::uint32_t i = 0; i < 50; ++i) acc = bench_host_mix(acc, i);
  }
  EXPECT_EQ(bench_hostcall_run(50, 3), acc);
}

// The runner calls run() repeatedly on one instance: each call must regenerate its input.
TEST(BenchKernels, RunIsRepeatableAndSizeSensitive) {
#define WASMIO_BENCH_CHECK(name)                                                   \
  EXPECT_EQ(bench_##name##_run(20, 2), bench_##name##_run(20, 2)) << #name;        \
  EXPECT_NE(bench_##name##_run(20, 2), bench_##name##_run(21, 2)) << #name;        \
  EXPECT_EQ(bench_##name##_smoke(), bench_##name##_smoke()) << #name;
  WASMIO_BENCH_KERNELS(WASMIO_BENCH_CHECK)
#undef WASMIO_BENCH_CHECK
}

}  // namespace
