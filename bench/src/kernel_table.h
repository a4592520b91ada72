// What the runner knows about each kernel: its native entry points and the size it is measured at.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace wasmio::bench {

using NativeRun = std::uint32_t (*)(std::uint32_t size, std::uint32_t reps);
using NativeSmoke = std::uint32_t (*)();

struct KernelSpec {
  std::string_view name;       // also the module file: bench_<name>.wasm
  NativeRun native_run;
  NativeSmoke native_smoke;
  std::uint32_t size;          // run(size, reps) at benchmark scale
  std::uint32_t reps;
  std::uint64_t operations;    // host calls or load/store pairs per run, for per-op figures; 0 = n/a
};

std::span<const KernelSpec> kernels() noexcept;

}  // namespace wasmio::bench
