// `wasmio run --aot`: the same results, traps with backtraces and fuel limits as the interpreter,
// from native code compiled by the system C++ compiler (docs/design/0015); refusals.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tool_process.h"

namespace wasmio::testing {
namespace {

using ::testing::HasSubstr;

ProcessResult wasmio(std::vector<std::string> args) {
  args.insert(args.begin(), WASMIO_CLI);
  return run_process(args);
}

constexpr const char* kModule = R"wat((module
  (func $fac (export "fac") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
  (func (export "spin") (param i32) (result i32) (local i32)
    (loop $l (local.set 1 (i32.add (local.get 1) (i32.const 3)))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get 1))
  (func $inner (result i32) (i32.div_s (i32.const 1) (i32.const 0)))
  (func (export "boom") (result i32) (call $inner))
))wat";

// Same output from both tiers; the native one actually compiled into the cache.
TEST(CliRunAot, ResultsEqualTheInterpreters) {
  ScratchDir dir;
  const std::string m = assemble(dir, "m", kModule, {"--debug-names"});
  const std::string cache = dir.file("cache");
  for (const std::vector<std::string>& call : {std::vector<std::string>{"--invoke", "fac", "20"},
                                               std::vector<std::string>{"--invoke", "spin", "100000"}}) {
    std::vector<std::string> interp = {"run", m};
    interp.insert(interp.end(), call.begin(), call.end());
    std::vector<std::string> native = {"run", "--aot", "--aot-cache", cache, m};
    native.insert(native.end(), call.begin(), call.end());
    auto a = wasmio(interp);
    auto b = wasmio(native);
    EXPECT_EQ(a.exit_status, 0) << a.err;
    EXPECT_EQ(b.exit_status, 0) << b.err;
    EXPECT_EQ(a.out, b.out);
  }
  bool compiled = false;
  for (const auto& entry : std::filesystem::directory_iterator(cache)) {
    compiled = compiled || entry.path().extension() == ".so";
  }
  EXPECT_TRUE(compiled) << "no shared object in " << cache;
}

TEST(CliRunAot, TrapsWithTheInterpretersBacktraceAndFuelLimit) {
  ScratchDir dir;
  const std::string m = assemble(dir, "m", kModule, {"--debug-names"});
  const std::string cache = dir.file("cache");
  auto interp = wasmio({"run", m, "--invoke", "boom"});
  auto native = wasmio({"run", "--aot", "--aot-cache", cache, m, "--invoke", "boom"});
  EXPECT_EQ(native.exit_status, 1);
  EXPECT_THAT(native.err, HasSubstr("trap: integer divide by zero"));
  EXPECT_THAT(native.err, HasSubstr("func[2] inner"));
  EXPECT_EQ(native.err, interp.err);

  auto fuel = wasmio({"run", "--aot", "--aot-cache", cache, m, "--invoke", "spin", "--fuel", "1000", "1000000"});
  EXPECT_EQ(fuel.exit_status, 1);
  EXPECT_THAT(fuel.err, HasSubstr("trap: fuel exhausted"));
}

TEST(CliRunAot, RefusesBoardRunsAndReportsCompilerFailures) {
  ScratchDir dir;
  const std::string m = assemble(dir, "m", kModule);
  auto board = wasmio({"run", "--aot", "--board", dir.file("board.dtb"), m});
  EXPECT_EQ(board.exit_status, 1);
  EXPECT_THAT(board.err, HasSubstr("--aot runs plain modules"));
  // A cache path that cannot be a folder: the compiled object cannot be written.
  const std::string blocker = dir.write("file", "x");
  auto bad = wasmio({"run", "--aot", "--aot-cache", blocker + "/sub", m, "--invoke", "fac", "3"});
  EXPECT_EQ(bad.exit_status, 1);
  EXPECT_THAT(bad.err, HasSubstr("aot:"));
}

}  // namespace
}  // namespace wasmio::testing
