// wasmio-bench: runs each kernel natively and in the wasmio engine, checks both compute the same
// checksum and prints the best-of-N times.
//
// Output (fixed formats, one line each):
//   # comment lines
//   NAME native_s wasm_s ratio                      per kernel, ratio = wasm_s / native_s
//   load NAME load_s=X instantiate_s=Y bytes=Z      per kernel, not part of the kernel time
//   hostcall ns_per_call wasm=X native=Y
//   aot NAME native_s aot_s ratio                   per kernel: the AOT tier (docs/design/0015)
//   aot geomean R                                   ratio = aot_s / native_s
//   geomean ratio R                                 last line, only when every kernel passed
// Any failure (load, trap, checksum mismatch) is reported on stderr and makes the exit status 1.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "aot_images.h"
#include "kernel_table.h"
#include "stopwatch.h"
#include "wasm_kernel.h"

#ifndef WASMIO_BENCH_WASM_DIR
#error "WASMIO_BENCH_WASM_DIR must name the folder of the compiled kernels"
#endif

namespace wasmio::bench {
namespace {

struct Options {
  unsigned reps = 3;
  bool smoke = false;
  std::vector<std::string> only;
  std::string wasm_dir = WASMIO_BENCH_WASM_DIR;
  Clock clock = Clock::kThreadCpu;
  unsigned inner_reps = 0;  // 0: each kernel's own repetition count
  bool list = false;
  bool no_aot = false;  // the interpreter only (instruction counts of its calls alone)
};

// The `reps` argument of run(size, reps) for a kernel under these options.
std::uint32_t inner_reps(const Options& options, const KernelSpec& spec) {
  return options.inner_reps != 0 ? options.inner_reps : spec.reps;
}

struct Measured {
  const KernelSpec* spec;
  double native_s;
  double wasm_s;
  double load_s;
  double instantiate_s;
  std::size_t bytes;
  double aot_s;  // 0: no AOT image
};

bool selected(const Options& options, const KernelSpec& spec) {
  return options.only.empty() ||
         std::find(options.only.begin(), options.only.end(), spec.name) != options.only.end();
}

std::string module_path(const Options& options, const KernelSpec& spec) {
  return fmt::format("{}/bench_{}.wasm", options.wasm_dir, spec.name);
}

void fail(const KernelSpec& spec, const std::string& why) {
  fmt::print(stderr, "wasmio-bench: {}: {}\n", spec.name, why);
}

// Compares one wasm result against the native checksum; false (and a message) when they differ.
bool agrees(const KernelSpec& spec, const char* what, const CallResult& wasm, std::uint32_t native) {
  if (!wasm.ok) {
    fail(spec, fmt::format("{}: {}", what, wasm.error));
    return false;
  }
  if (wasm.checksum != native) {
    fail(spec, fmt::format("{}: wasm checksum {:#010x} != native {:#010x}", what, wasm.checksum, native));
    return false;
  }
  return true;
}

// --smoke: each kernel once at a tiny size on both sides; no timing.
int run_smoke(const Options& options) {
  int failures = 0;
  fmt::print("# wasmio-bench --smoke: NAME checksum, wasm equal to native at tiny sizes\n");
  for (const KernelSpec& spec : kernels()) {
    if (!selected(options, spec)) continue;
    WasmKernel wasm(module_path(options, spec), options.clock);
    if (!wasm.ok()) {
      fail(spec, wasm.error());
      ++failures;
      continue;
    }
    const std::uint32_t native_smoke = spec.native_smoke();
    // run(3, 2): the exported entry with arguments, at an edge-case size.
    const std::uint32_t native_tiny = spec.native_run(3, 2);
    bool ok = agrees(spec, "smoke()", wasm.smoke(), native_smoke) &&
                    agrees(spec, "run(3, 2)", wasm.run(3, 2), native_tiny);
    // The AOT image must compute the same.
    if (ok && !options.no_aot && aot_image(spec.name) != nullptr) {
      WasmKernel aot(module_path(options, spec), options.clock, aot_image(spec.name));
      ok = aot.ok() ? agrees(spec, "aot smoke()", aot.smoke(), native_smoke) &&
                          agrees(spec, "aot run(3, 2)", aot.run(3, 2), native_tiny)
                    : (fail(spec, aot.error()), false);
    }
    if (!ok) {
      ++failures;
      continue;
    }
    fmt::print("{} {:#010x}\n", spec.name, native_smoke);
  }
  return failures == 0 ? 0 : 1;
}

int run_bench(const Options& options) {
  fmt::print("# wasmio-bench: best of {} runs, {} time, NAME native_s wasm_s ratio (= wasm_s / native_s), "
             "load and instantiation timed separately\n",
             options.reps, options.clock == Clock::kThreadCpu ? "thread CPU" : "wall-clock");
  std::vector<Measured> measured;
  int failures = 0;
  for (const KernelSpec& spec : kernels()) {
    if (!selected(options, spec)) continue;
    WasmKernel wasm(module_path(options, spec), options.clock);
    if (!wasm.ok()) {
      fail(spec, wasm.error());
      ++failures;
      continue;
    }
    double native_best = std::numeric_limits<double>::infinity();
    double wasm_best = native_best;
    std::uint32_t native_checksum = 0;
    bool ok = true;
    for (unsigned rep = 0; rep < options.reps && ok; ++rep) {
      native_best = std::min(native_best, seconds_of(options.clock, [&] {
        native_checksum = spec.native_run(spec.size, inner_reps(options, spec));
      }));
      CallResult result;
      wasm_best = std::min(wasm_best, seconds_of(options.clock, [&] {
        result = wasm.run(spec.size, inner_reps(options, spec));
      }));
      ok = agrees(spec, "run", result, native_checksum);
    }
    if (!ok) {
      ++failures;
      continue;
    }
    fmt::print("{} {:.6f} {:.6f} {:.2f}\n", spec.name, native_best, wasm_best, wasm_best / native_best);
    std::fflush(stdout);
    // The same module from its AOT image, checked against the same native checksum.
    double aot_best = 0;
    if (const AotImage* image = options.no_aot ? nullptr : aot_image(spec.name)) {
      WasmKernel aot(module_path(options, spec), options.clock, image);
      if (!aot.ok()) {
        fail(spec, aot.error());
        ++failures;
        continue;
      }
      aot_best = std::numeric_limits<double>::infinity();
      for (unsigned rep = 0; rep < options.reps && ok; ++rep) {
        CallResult result;
        aot_best = std::min(aot_best, seconds_of(options.clock, [&] {
          result = aot.run(spec.size, inner_reps(options, spec));
        }));
        ok = agrees(spec, "aot run", result, native_checksum);
      }
      if (!ok) {
        ++failures;
        continue;
      }
    }
    measured.push_back({&spec, native_best, wasm_best, wasm.load_seconds(), wasm.instantiate_seconds(),
                        wasm.module_bytes(), aot_best});
  }
  for (const Measured& m : measured) {
    fmt::print("load {} load_s={:.6f} instantiate_s={:.6f} bytes={}\n", m.spec->name, m.load_s,
               m.instantiate_s, m.bytes);
  }
  for (const Measured& m : measured) {
    if (m.spec->name != "hostcall") continue;
    const double calls = static_cast<double>(m.spec->operations) * inner_reps(options, *m.spec);
    fmt::print("hostcall ns_per_call wasm={:.2f} native={:.2f}\n", m.wasm_s / calls * 1e9,
               m.native_s / calls * 1e9);
  }
  double aot_log_sum = 0;
  std::size_t aot_count = 0;
  for (const Measured& m : measured) {
    if (m.aot_s <= 0) continue;
    fmt::print("aot {} {:.6f} {:.6f} {:.2f}\n", m.spec->name, m.native_s, m.aot_s, m.aot_s / m.native_s);
    aot_log_sum += std::log(m.aot_s / m.native_s);
    ++aot_count;
  }
  if (failures == 0 && aot_count == measured.size() && aot_count != 0) {
    fmt::print("aot geomean {:.2f}\n", std::exp(aot_log_sum / static_cast<double>(aot_count)));
  }
  if (failures != 0) {
    fmt::print("# {} kernel(s) failed: no geomean\n", failures);
    return 1;
  }
  if (measured.empty()) {
    fmt::print(stderr, "wasmio-bench: no kernel selected\n");
    return 1;
  }
  double log_sum = 0;
  for (const Measured& m : measured) log_sum += std::log(m.wasm_s / m.native_s);
  fmt::print("geomean ratio {:.2f}\n", std::exp(log_sum / static_cast<double>(measured.size())));
  return 0;
}

}  // namespace
}  // namespace wasmio::bench

int main(int argc, char** argv) {
  using namespace wasmio::bench;
  Options options;
  CLI::App app{"wasmio engine speed: the same C kernels natively and as wasm32 in the engine"};
  app.add_option("--reps,-n", options.reps, "runs per kernel and side; the best (min) counts")
      ->check(CLI::Range(1u, 1000u));
  app.add_flag("--smoke", options.smoke, "run every kernel once at a tiny size, check checksums, no timing");
  std::vector<std::string> names;
  for (const KernelSpec& spec : kernels()) names.emplace_back(spec.name);
  app.add_option("--kernel,-k", options.only, "only these kernels (repeatable)")
      ->check(CLI::IsMember(names));
  app.add_option("--wasm-dir", options.wasm_dir, "folder holding bench_NAME.wasm");
  app.add_option("--clock", options.clock, "thread-cpu (default: immune to waiting for a core) or wall")
      ->transform(CLI::CheckedTransformer(std::map<std::string, Clock>{{"thread-cpu", Clock::kThreadCpu},
                                                                      {"wall", Clock::kWall}}));
  app.add_option("--inner-reps", options.inner_reps,
                 "run(size, N) instead of each kernel's own repetition count (instruction counting)")
      ->check(CLI::Range(1u, 1000u));
  app.add_flag("--list", options.list, "print the kernel names, one a line, and exit");
  app.add_flag("--no-aot", options.no_aot,
               "skip the AOT runs (bench/run callgrind: WasmKernel::run must count the interpreter alone)");
  CLI11_PARSE(app, argc, argv);
  if (options.list) {
    for (const KernelSpec& spec : kernels()) fmt::print("{}\n", spec.name);
    return 0;
  }
  return options.smoke ? run_smoke(options) : run_bench(options);
}
