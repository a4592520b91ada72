// wasmio-spectest end to end: scripts written as .wast, converted with wast2json at test time,
// run by the built runner. Checks the counting, the failure report and the crash isolation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "tool_process.h"

namespace wasmio::testing {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

// Converts NAME.wast into NAME.json + modules in `dir`.
void convert(const ScratchDir& dir, const std::string& name, const std::string& wast) {
  std::string source = dir.write(name + ".wast", wast);
  ProcessResult r = run_process({WASMIO_WAST2JSON, source, "-o", dir.file(name + ".json")});
  ASSERT_EQ(r.exit_status, 0) << r.err;
}

ProcessResult spectest(std::vector<std::string> args) {
  args.insert(args.begin(), WASMIO_SPECTEST);
  return run_process(args);
}

std::string last_line(const std::string& out) {
  std::string s = out;
  if (!s.empty() && s.back() == '\n') s.pop_back();
  return s.substr(s.rfind('\n') + 1);
}

// Every command kind, all expected to pass: 21 counted commands, 1 skipped (.wat malformed).
constexpr const char* kPassing = R"wast(
(module $M
  (import "spectest" "print_i32" (func $print (param i32)))
  (global $g (export "g") (mut i32) (i32.const 0))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "inc") (global.set $g (i32.add (global.get $g) (i32.const 1))))
  (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
  (func (export "arith") (param f64) (result f64) (f64.add (local.get 0) (f64.const 1)))
  (func (export "id") (param externref) (result externref) (local.get 0))
  (func (export "null") (result funcref) (ref.null func))
  (func (export "trap") (unreachable))
  (func $r (export "recurse") (call $r))
  (func (export "print") (call $print (i32.const 1)))
)
(register "M" $M)
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "add" (i32.const -1) (i32.const 0)) (i32.const 0xffffffff))
(invoke "inc")
(assert_return (get "g") (i32.const 1))
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (invoke "arith" (f64.const nan:0x4000000000000)) (f64.const nan:arithmetic))
(assert_return (invoke "id" (ref.extern 5)) (ref.extern 5))
(assert_return (invoke "id" (ref.null extern)) (ref.null extern))
(assert_return (invoke "null") (ref.null func))
(assert_return (invoke "print"))
(assert_trap (invoke "trap") "unreachable")
(assert_exhaustion (invoke "recurse") "call stack exhausted")
(module $N (import "M" "add" (func $add (param i32 i32) (result i32)))
  (func (export "twice") (param i32) (result i32) (call $add (local.get 0) (local.get 0))))
(assert_return (invoke $N "twice" (i32.const 21)) (i32.const 42))
(assert_return (invoke $M "add" (i32.const 2) (i32.const 2)) (i32.const 4))
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_malformed (module quote "(func (i32.frobnicate))") "unknown operator")
(assert_unlinkable (module (import "M" "nope" (func))) "unknown import")
(assert_trap (module (func $s (unreachable)) (start $s)) "unreachable")
)wast";

TEST(Spectest, AllCommandKindsPassAndAreCounted) {
  ScratchDir dir;
  convert(dir, "kinds", kPassing);
  auto r = spectest({dir.path(), "--verbose"});
  EXPECT_EQ(r.exit_status, 0) << r.out << r.err;
  EXPECT_EQ(last_line(r.out), "spec: 21 passed, 0 failed, 1 skipped") << r.out;
  EXPECT_THAT(r.out, HasSubstr("  kinds.json: 21 passed, 0 failed, 1 skipped\n"));
  // verbose: spectest.print_i32 writes its argument to stderr.
  EXPECT_THAT(r.err, HasSubstr("spectest.print_i32(1)"));
}

TEST(Spectest, FailuresAreListedWithLineKindAndReasonAndSetTheExitStatus) {
  ScratchDir dir;
  convert(dir, "bad", R"wast((module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "ok")))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4))
(assert_trap (invoke "ok") "unreachable")
(assert_exhaustion (invoke "ok") "call stack exhausted")
(assert_invalid (module (func)) "type mismatch")
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
)wast");
  auto r = spectest({dir.path()});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(last_line(r.out), "spec: 2 passed, 4 failed, 0 skipped") << r.out;
  EXPECT_THAT(r.out, HasSubstr("bad.json:4 assert_return: result mismatch"));
  EXPECT_THAT(r.out, HasSubstr("got i32:3 (0x3), expected i32:4 (0x4)"));
  EXPECT_THAT(r.out, HasSubstr("bad.json:5 assert_trap: no trap"));
  EXPECT_THAT(
      r.out,
      HasSubstr("bad.json:6 assert_exhaustion: no trap (expected \"call stack exhausted\")"));
  EXPECT_THAT(r.out, HasSubstr("bad.json:7 assert_invalid: invalid module accepted"));
  EXPECT_THAT(r.out, HasSubstr("failure categories"));
}

TEST(Spectest, CommandsOfAFailedModuleFailToo) {
  ScratchDir dir;
  convert(dir, "dep", R"wast((module $A (func (export "f") (result i32) (i32.const 1)))
(assert_return (invoke $A "f") (i32.const 1))
(module $B (func (export "f") (result i32) (i32.const 2)))
(assert_return (invoke $B "f") (i32.const 2))
(assert_return (invoke "f") (i32.const 2))
)wast");
  // Break module $B's file: it and both commands that use it must fail, $A's must not.
  dir.write("dep.1.wasm", "garbage");
  auto r = spectest({dir.path()});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(last_line(r.out), "spec: 2 passed, 3 failed, 0 skipped") << r.out;
  EXPECT_THAT(r.out,
              HasSubstr("dep.json:3 module: module rejected: decode: magic header not detected"));
  EXPECT_THAT(
      r.out,
      HasSubstr(
          "dep.json:4 assert_return: action not performed -- depends on the module of line 3"));
  EXPECT_THAT(
      r.out,
      HasSubstr(
          "dep.json:5 assert_return: action not performed -- depends on the module of line 3"));
}

// A counter that each `inc` bumps: after a crash, the replay must rebuild it exactly.
constexpr const char* kCounter = R"wast((module
  (global $n (mut i32) (i32.const 0))
  (func (export "inc") (result i32) (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))
(assert_return (invoke "inc") (i32.const 1))
(assert_return (invoke "inc") (i32.const 2))
(assert_return (invoke "inc") (i32.const 3))
(assert_return (invoke "inc") (i32.const 3))
(assert_return (invoke "inc") (i32.const 4))
)wast";

TEST(Spectest, AnEngineCrashCostsOneCommandAndTheStateIsReplayed) {
  ScratchDir dir;
  convert(dir, "counter", kCounter);
  // Without a fault the counter reaches 4 and 5 at lines 7 and 8, against expectations 3 and 4.
  EXPECT_EQ(last_line(spectest({dir.path()}).out), "spec: 4 passed, 2 failed, 0 skipped");
  // Line 6 crashes instead of running: its `inc` never happens, so lines 7 and 8 see 3 and 4,
  // which needs lines 4 and 5 replayed in the fresh process.
  auto r = spectest({dir.path(), "--inject-fault", "crash@counter.json:6"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(last_line(r.out), "spec: 5 passed, 1 failed, 0 skipped") << r.out << r.err;
  // SIGSEGV, or exit status 1 when AddressSanitizer's handler reports it.
  EXPECT_THAT(r.out,
              ::testing::ContainsRegex(
                  "counter.json:6 assert_return: engine crashed -- (signal 11|exit status 1)"));
}

TEST(Spectest, AHungCommandIsKilledAfterTheTimeout) {
  ScratchDir dir;
  convert(dir, "counter", kCounter);
  auto r = spectest({dir.path(), "--timeout", "1", "--inject-fault", "hang@counter.json:5"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.out, HasSubstr("counter.json:5 assert_return: engine hung -- no progress for 1 s"));
  // Line 5's `inc` never ran: line 6 sees 2 (expects 3), lines 7 and 8 see 3 and 4 (pass).
  EXPECT_EQ(last_line(r.out), "spec: 4 passed, 2 failed, 0 skipped") << r.out;
}

TEST(Spectest, BrokenScriptsAreFailuresAndSimdScriptsAreSkipped) {
  ScratchDir dir;
  convert(dir, "counter", kCounter);
  dir.write("broken.json", "{\"commands\": [ {\"type\": ");
  dir.write("weird.json", R"json({"commands": [{"type": "assert_frobnicate", "line": 9}, 7]})json");
  dir.write("simd_fake.json", R"json({"commands": [{"type": "module", "line": 1, "filename": "x"},
    {"type": "assert_return", "line": 2}]})json");
  dir.write("converted.txt", "counter.json\nbroken.json\nweird.json\nsimd_fake.json\n");
  auto r = spectest({dir.path()});
  EXPECT_EQ(r.exit_status, 1);
  // counter.json: 4 passed, 2 failed (see above); broken: 1 failure; weird: 2 failures.
  EXPECT_EQ(last_line(r.out), "spec: 4 passed, 5 failed, 2 skipped") << r.out;
  EXPECT_THAT(r.out, HasSubstr("broken.json script: script unreadable -- not valid JSON"));
  EXPECT_THAT(r.out, HasSubstr("weird.json:9 assert_frobnicate: malformed script command"));
}

TEST(Spectest, FileSelectionAndUsageErrors) {
  ScratchDir dir;
  convert(dir, "counter", kCounter);
  convert(dir, "other", "(module) (assert_invalid (module (func (result i32))) \"type mismatch\")");
  auto r = spectest({dir.path(), "--file", "other"});
  EXPECT_EQ(last_line(r.out), "spec: 2 passed, 0 failed, 0 skipped") << r.out;
  EXPECT_EQ(spectest({dir.path(), "--file", "nonexistent"}).exit_status, 2);
  ScratchDir empty;
  r = spectest({empty.path()});
  EXPECT_EQ(r.exit_status, 2);  // nothing to run is not a pass
  EXPECT_THAT(r.out, Not(HasSubstr("spec:")));
  EXPECT_EQ(spectest({empty.file("missing")}).exit_status, 2);
}

}  // namespace
}  // namespace wasmio::testing
