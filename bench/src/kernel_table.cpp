#include "kernel_table.h"

#include "native_kernels.h"

namespace wasmio::bench {
namespace {

// run(size, reps) per kernel: sizes so one native run takes roughly 0.05-0.1 s on an x86-64
// server core (docs/design/0008-benchmarks.md has the measured times). hostcall and memory do
// 10 M operations per rep; `operations` is per rep.
constexpr std::uint32_t kHostCalls = 10'000'000;
constexpr std::uint32_t kLoadStorePairs = 10'000'000;

constexpr KernelSpec kKernels[] = {
    {"fib", bench_fib_run, bench_fib_smoke, 38, 1, 0},
    {"crc32", bench_crc32_run, bench_crc32_smoke, 4u << 20, 8, 0},
    {"matmul_i32", bench_matmul_i32_run, bench_matmul_i32_smoke, 200, 22, 0},
    {"matmul_f64", bench_matmul_f64_run, bench_matmul_f64_smoke, 200, 24, 0},
    {"quicksort", bench_quicksort_run, bench_quicksort_smoke, 1u << 20, 1, 0},
    {"sha256", bench_sha256_run, bench_sha256_smoke, 1u << 20, 20, 0},
    {"hostcall", bench_hostcall_run, bench_hostcall_smoke, kHostCalls, 4, kHostCalls},
    {"memory", bench_memory_run, bench_memory_smoke, kLoadStorePairs, 5, kLoadStorePairs},
};

}  // namespace

std::span<const KernelSpec> kernels() noexcept { return kKernels; }

}  // namespace wasmio::bench
