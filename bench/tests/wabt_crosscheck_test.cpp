// The compiled wasm kernels against their native builds, run by an independent interpreter
// (wabt's wasm-interp): a clang/wasm-ld or kernel portability problem shows up here even when
// the wasmio engine is the suspect. hostcall is left out: wasm-interp cannot supply its import.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "native_kernels.h"

namespace {

struct Case {
  const char* name;
  std::uint32_t (*native_smoke)();
};

class WabtCrossCheck : public testing::TestWithParam<Case> {};

// Runs the module's exported smoke() in wasm-interp; "" on failure, else its printed i32.
std::string interp_smoke(const std::string& module) {
  const std::string command = std::string(WASMIO_WASM_INTERP) + " " + module + " --run-all-exports 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string output;
  char chunk[256];
  while (std::fgets(chunk, sizeof chunk, pipe) != nullptr) output += chunk;
  const int status = pclose(pipe);
  const std::string marker = "smoke() => i32:";
  const auto at = output.find(marker);
  if (status != 0 || at == std::string::npos) {
    ADD_FAILURE() << command << " said:\n" << output;
    return "";
  }
  return output.substr(at + marker.size(), output.find('\n', at) - at - marker.size());
}

TEST_P(WabtCrossCheck, SmokeEqualsNative) {
  if (std::string(WASMIO_WASM_INTERP).empty() || std::string(WASMIO_WASM_INTERP).ends_with("NOTFOUND")) {
    GTEST_SKIP() << "wasm-interp (wabt) not installed";
  }
  const Case& c = GetParam();
  const std::string module = std::string(WASMIO_BENCH_WASM_DIR) + "/bench_" + c.name + ".wasm";
  EXPECT_EQ(interp_smoke(module), std::to_string(c.native_smoke()));
}

INSTANTIATE_TEST_SUITE_P(Kernels, WabtCrossCheck,
                         testing::Values(Case{"fib", bench_fib_smoke}, Case{"crc32", bench_crc32_smoke},
                                         Case{"matmul_i32", bench_matmul_i32_smoke},
                                         Case{"matmul_f64", bench_matmul_f64_smoke},
                                         Case{"quicksort", bench_quicksort_smoke},
                                         Case{"sha256", bench_sha256_smoke},
                                         Case{"memory", bench_memory_smoke}),
                         [](const testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

}  // namespace
