// `wasmio run`: results, argument parsing, traps with backtraces, resource limits.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tool_process.h"

namespace wasmio::testing {
namespace {

using ::testing::HasSubstr;

ProcessResult wasmio(std::vector<std::string> args) {
  args.insert(args.begin(), WASMIO_CLI);
  return run_process(args);
}

constexpr const char* kArith = R"wat((module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "id32") (param f32) (result f32) (local.get 0))
  (func (export "id64") (param f64) (result f64) (local.get 0))
  (func (export "several") (result i64 f32 f64) (i64.const -2) (f32.const 1.5) (f64.const -0.25))
  (func (export "nothing"))
))wat";

TEST(CliRun, PrintsResultsOnePerLine) {
  ScratchDir dir;
  std::string m = assemble(dir, "arith", kArith);
  auto r = wasmio({"run", m, "--invoke", "add", "2", "40"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "i32:42\n");

  r = wasmio({"run", m, "--invoke", "several"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "i64:-2\nf32:1.5\nf64:-0.25\n");

  r = wasmio({"run", m, "--invoke", "nothing"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(CliRun, ParsesIntegersInDecimalHexAndBothSignRanges) {
  ScratchDir dir;
  std::string m = assemble(dir, "arith", kArith);
  auto r = wasmio({"run", m, "--invoke", "add", "0x10", "-1"});
  EXPECT_EQ(r.out, "i32:15\n") << r.err;
  // 4294967295 is the unsigned spelling of -1.
  r = wasmio({"run", m, "--invoke", "add", "4294967295", "3"});
  EXPECT_EQ(r.out, "i32:2\n") << r.err;
  r = wasmio({"run", m, "--invoke", "add64", "0x7fffffffffffffff", "1"});
  EXPECT_EQ(r.out, "i64:-9223372036854775808\n") << r.err;
}

TEST(CliRun, ParsesAndPrintsFloatsIncludingNanAndInfinity) {
  ScratchDir dir;
  std::string m = assemble(dir, "arith", kArith);
  EXPECT_EQ(wasmio({"run", m, "--invoke", "id32", "0.1"}).out, "f32:0.1\n");
  EXPECT_EQ(wasmio({"run", m, "--invoke", "id64", "1e300"}).out, "f64:1e+300\n");
  EXPECT_EQ(wasmio({"run", m, "--invoke", "id32", "nan"}).out, "f32:nan\n");
  EXPECT_EQ(wasmio({"run", m, "--invoke", "id32", "nan:0x200000"}).out, "f32:nan:0x200000\n");
  EXPECT_EQ(wasmio({"run", m, "--invoke", "id64", "inf"}).out, "f64:inf\n");
  // Arguments that look like options go after `--`.
  EXPECT_EQ(wasmio({"run", m, "--invoke", "id64", "--", "-inf"}).out, "f64:-inf\n");
  EXPECT_EQ(wasmio({"run", m, "--invoke", "id32", "--", "-nan:0x1"}).out, "f32:-nan:0x1\n");
  EXPECT_EQ(wasmio({"run", m, "--invoke", "add", "1", "--", "-3"}).out, "i32:-2\n");
}

TEST(CliRun, RejectsBadArguments) {
  ScratchDir dir;
  std::string m = assemble(dir, "arith", kArith);
  auto r = wasmio({"run", m, "--invoke", "add", "1"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("expected 2 arguments, got 1"));
  r = wasmio({"run", m, "--invoke", "add", "1", "4294967296"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("argument 2"));
  r = wasmio({"run", m, "--invoke", "id32", "1.5x"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("is not an f32"));
  r = wasmio({"run", m, "--invoke", "missing"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("no exported function \"missing\""));
}

TEST(CliRun, WithoutInvokeRunsStartThenMain) {
  ScratchDir dir;
  std::string with_start = assemble(dir, "start", R"wat((module
    (global $g (mut i32) (i32.const 0))
    (func (export "_start") (global.set $g (i32.const 1)))
    (func (export "main") (result i32) (i32.const 7))))wat");
  auto r = wasmio({"run", with_start});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "");  // _start wins over main and returns nothing

  std::string with_main = assemble(dir, "main", R"wat((module
    (func (export "main") (result i32) (i32.const 7))))wat");
  r = wasmio({"run", with_main});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "i32:7\n");

  std::string neither = assemble(dir, "neither", "(module (func (export \"f\")))");
  r = wasmio({"run", neither});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(CliRun, TrapPrintsMessageAndBacktraceWithNames) {
  ScratchDir dir;
  std::string m = assemble(dir, "trap", R"wat((module
    (func $innermost (unreachable))
    (func $middle (call $innermost))
    (func $outer (export "outer") (call $middle))))wat",
                           {"--debug-names"});
  auto r = wasmio({"run", m, "--invoke", "outer"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("trap: unreachable"));
  // Innermost frame first.
  auto innermost = r.err.find("innermost"), middle = r.err.find("middle"),
       outer = r.err.find("outer");
  ASSERT_NE(innermost, std::string::npos) << r.err;
  ASSERT_NE(middle, std::string::npos) << r.err;
  ASSERT_NE(outer, std::string::npos) << r.err;
  EXPECT_LT(innermost, middle);
  EXPECT_LT(middle, outer);
  EXPECT_THAT(r.err, HasSubstr("#0 "));
  EXPECT_THAT(r.err, HasSubstr("#2 "));
}

TEST(CliRun, TrapsInArithmetic) {
  ScratchDir dir;
  std::string m = assemble(dir, "div", R"wat((module
    (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))))wat");
  auto r = wasmio({"run", m, "--invoke", "div", "7", "0"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("trap: integer divide by zero"));
  r = wasmio({"run", m, "--invoke", "div", "-7", "2"});
  EXPECT_EQ(r.out, "i32:-3\n") << r.err;
}

constexpr const char* kSpin = R"wat((module
  (func (export "spin") (loop $l (br $l)))
  (func $down (export "recurse") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))
)wat";

TEST(CliRun, FuelBudgetTrapsAnInfiniteLoop) {
  ScratchDir dir;
  std::string m = assemble(dir, "spin", kSpin);
  auto r = wasmio({"run", m, "--invoke", "spin", "--fuel", "10000"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("trap: fuel exhausted"));
}

TEST(CliRun, MaxFramesAndStackSlotsLimitRecursion) {
  ScratchDir dir;
  std::string m = assemble(dir, "spin", kSpin);
  auto r = wasmio({"run", m, "--invoke", "recurse", "50", "--max-frames", "1000"});
  EXPECT_EQ(r.out, "i32:50\n") << r.err;
  r = wasmio({"run", m, "--invoke", "recurse", "5000", "--max-frames", "1000"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("trap: call stack exhausted"));
  r = wasmio({"run", m, "--invoke", "recurse", "5000", "--stack-slots", "256"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("trap: call stack exhausted"));
}

TEST(CliRun, MaxMemoryPagesRefusesALargerMemory) {
  ScratchDir dir;
  std::string m = assemble(dir, "mem", R"wat((module (memory 4)
    (func (export "size") (result i32) (memory.size))))wat");
  auto r = wasmio({"run", m, "--invoke", "size", "--max-memory-pages", "4"});
  EXPECT_EQ(r.out, "i32:4\n") << r.err;
  r = wasmio({"run", m, "--invoke", "size", "--max-memory-pages", "3"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("memory exceeds the instance limit"));
}

TEST(CliRun, StartFunctionTrapAndMissingImportsFail) {
  ScratchDir dir;
  std::string trapping = assemble(dir, "start", "(module (func $s (unreachable)) (start $s))");
  auto r = wasmio({"run", trapping});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("trap: unreachable"));

  std::string importing = assemble(dir, "imp", R"wat((module
    (import "env" "log" (func (param i32))) (func (export "f"))))wat");
  r = wasmio({"run", importing, "--invoke", "f"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("import env.log (func) is not provided"));
}

TEST(CliRun, BadFilesFailWithTheReason) {
  ScratchDir dir;
  auto r = wasmio({"run", dir.file("does-not-exist.wasm")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot read"));

  std::string text = dir.write("text.wasm", "this is not a module");
  r = wasmio({"run", text});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("decode error"));
  EXPECT_THAT(r.err, HasSubstr("magic header not detected"));
}

TEST(CliUsage, MissingSubcommandOrFileIsAUsageError) {
  EXPECT_EQ(wasmio({}).exit_status, 2);
  EXPECT_EQ(wasmio({"run"}).exit_status, 2);
  EXPECT_EQ(wasmio({"frobnicate"}).exit_status, 2);
  auto help = wasmio({"--help"});
  EXPECT_EQ(help.exit_status, 0);
  EXPECT_THAT(help.out, HasSubstr("inspect"));
}

}  // namespace
}  // namespace wasmio::testing
