// `wasmio validate` and `wasmio inspect`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tool_process.h"

namespace wasmio::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

ProcessResult wasmio(std::vector<std::string> args) {
  args.insert(args.begin(), WASMIO_CLI);
  return run_process(args);
}

// Appends a custom section NAME with PAYLOAD (both short: one-byte LEB sizes).
std::string with_custom_section(const std::string& module, const std::string& name,
                                const std::string& payload) {
  std::string section;
  section += static_cast<char>(name.size());
  section += name;
  section += payload;
  return module + '\0' + static_cast<char>(section.size()) + section;
}

TEST(CliValidate, ValidModule) {
  ScratchDir dir;
  std::string m = assemble(dir, "ok", "(module (func (export \"f\") (result i32) (i32.const 1)))");
  auto r = wasmio({"validate", m});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "valid\n");
}

TEST(CliValidate, InvalidModuleReportsPhaseMessageAndOffset) {
  ScratchDir dir;
  std::string m =
      assemble(dir, "bad", "(module (func (result i32) (i64.const 1)))", {"--no-check"});
  auto r = wasmio({"validate", m});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, MatchesRegex(".*validate error at byte 0x[0-9a-f]+: type mismatch\n"));
}

TEST(CliValidate, MalformedAndMissingFiles) {
  ScratchDir dir;
  // A correct header followed by a section with an unknown id.
  std::string bytes("\0asm\1\0\0\0\x0e\x00", 10);
  std::string m = dir.write("bad-section.wasm", bytes);
  auto r = wasmio({"validate", m});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, MatchesRegex(".*decode error at byte 0x[0-9a-f]+: malformed section id\n"));

  r = wasmio({"validate", dir.file("missing.wasm")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot read"));
}

constexpr const char* kInspected = R"wat((module $demo
  (import "env" "log" (func $log (param i32)))
  (import "env" "mem" (memory 1 2))
  (global $counter (mut i32) (i32.const 0))
  (func $bump (export "bump") (param i32) (result i32)
    (global.set $counter (i32.add (global.get $counter) (local.get 0)))
    (call $log (global.get $counter))
    (global.get $counter))
  (func $helper)
  (export "counter" (global $counter))
))wat";

TEST(CliInspect, ListsSectionsImportsExportsCustomSectionsAndNames) {
  ScratchDir dir;
  std::string m = assemble(dir, "demo", kInspected, {"--debug-names"});
  std::string patched =
      dir.write("demo2.wasm", with_custom_section(read_file(m), "vendor.note", "abc"));
  auto r = wasmio({"inspect", patched});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  const std::string& out = r.out;
  EXPECT_THAT(out, HasSubstr("name \"demo\""));
  EXPECT_THAT(out,
              MatchesRegex("(.|\n)*\n   1 type      offset 0x[0-9a-f]{6} size [0-9]+\n(.|\n)*"));
  EXPECT_THAT(out, HasSubstr(" 2 import "));
  EXPECT_THAT(out, HasSubstr("10 code "));
  EXPECT_THAT(out, HasSubstr("imports: 2\n"));
  EXPECT_THAT(out, HasSubstr("env.log: func (i32) -> ()"));
  EXPECT_THAT(out, HasSubstr("env.mem: memory min 1 max 2"));
  EXPECT_THAT(out, HasSubstr("exports: 2\n"));
  EXPECT_THAT(out, HasSubstr("\"bump\": func 1 (i32) -> (i32)"));
  EXPECT_THAT(out, HasSubstr("\"counter\": global 0"));
  EXPECT_THAT(out, HasSubstr("custom sections: 2\n"));
  EXPECT_THAT(out, HasSubstr("\"name\" offset"));
  EXPECT_THAT(out, HasSubstr("\"vendor.note\" offset"));
  EXPECT_THAT(out, MatchesRegex("(.|\n)*\"vendor.note\" offset 0x[0-9a-f]{6} size 3\n(.|\n)*"));
  // log, bump and helper: all three named by --debug-names.
  EXPECT_THAT(out, HasSubstr("functions: 3 (3 named)\n"));
}

TEST(CliInspect, WorksOnModulesThatDoNotValidate) {
  ScratchDir dir;
  std::string m = assemble(dir, "bad", "(module (func (export \"f\") (result i32) (i64.const 1)))",
                           {"--no-check"});
  EXPECT_EQ(wasmio({"validate", m}).exit_status, 1);
  auto r = wasmio({"inspect", m});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"f\": func 0 () -> (i32)"));
  EXPECT_THAT(r.out, HasSubstr("functions: 1 (0 named)\n"));
}

TEST(CliInspect, UndecodableModuleFails) {
  ScratchDir dir;
  std::string m = dir.write("short.wasm", std::string("\0asm\1\0", 6));
  auto r = wasmio({"inspect", m});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("decode error"));
}

}  // namespace
}  // namespace wasmio::testing
