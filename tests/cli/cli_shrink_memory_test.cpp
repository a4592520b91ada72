// `wasmio shrink-memory`: a memory of exactly N 1-byte pages (custom-page-sizes proposal), and
// the refusals that keep a shrunk module behaving as its original; then a real driver built by
// the SDK with MEMORY_BYTES 16384, run in a container on the simulated board.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tool_process.h"

namespace wasmio::testing {
namespace {

using ::testing::HasSubstr;

ProcessResult wasmio(std::vector<std::string> args) {
  args.insert(args.begin(), WASMIO_CLI);
  return run_process(args);
}

// wasm-ld's layout in miniature: the stack pointer (a mutable i32 global), data at 1024, and
// an exported __heap_base.
constexpr const char* kDriverLike = R"((module
  (memory (export "memory") 1)
  (global $sp (mut i32) (i32.const 8192))
  (global (export "__heap_base") i32 (i32.const 8192))
  (data (i32.const 1024) "\2a")
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "sp") (result i32) (global.get $sp))))";

TEST(CliShrinkMemory, RewritesTheMemoryToExactlyNBytes) {
  ScratchDir dir;
  const std::string in = assemble(dir, "in", kDriverLike);
  const std::string out = dir.file("out.wasm");
  auto r = wasmio({"shrink-memory", in, out, "--bytes", "16384"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("memory of 16384 bytes in 1-byte pages"));
  EXPECT_THAT(r.out, HasSubstr("data ends at 1025, stack starts at 8192, heap base 8192"));

  // The memory section: 05 size | 01 memory | 09 flags | 80 80 01 min | 80 80 01 max | 00 log2
  const std::string bytes = read_file(out);
  EXPECT_NE(bytes.find(std::string("\x05\x09\x01\x09\x80\x80\x01\x80\x80\x01\x00", 11)),
            std::string::npos);
  r = wasmio({"validate", out});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  r = wasmio({"run", out, "--invoke", "peek", "1024"});
  EXPECT_EQ(r.out, "i32:42\n") << r.err;
  r = wasmio({"run", out, "--invoke", "peek", "16383"});
  EXPECT_EQ(r.out, "i32:0\n") << r.err;
  // One byte past the 16 KiB: the original's 64 KiB page would have allowed it.
  r = wasmio({"run", out, "--invoke", "peek", "16384"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err + r.out, HasSubstr("out of bounds memory access"));
  r = wasmio({"run", in, "--invoke", "peek", "16384"});
  EXPECT_EQ(r.out, "i32:0\n") << r.err;
}

void expect_refused(const std::string& wat, const std::string& bytes, const std::string& why) {
  ScratchDir dir;
  const std::string in = assemble(dir, "in", wat);
  const std::string out = dir.file("out.wasm");
  auto r = wasmio({"shrink-memory", in, out, "--bytes", bytes});
  EXPECT_EQ(r.exit_status, 1) << wat;
  EXPECT_THAT(r.err, HasSubstr("cannot shrink the memory to " + bytes + " bytes: " + why)) << wat;
  EXPECT_EQ(read_file(out), "") << "no output on refusal";
}

TEST(CliShrinkMemory, RefusesCodeThatCountsSixtyFourKiBPages) {
  expect_refused(R"((module (memory 1)
    (func (export "g") (result i32) (memory.grow (i32.const 1)))))", "16384",
                 "function 0 uses memory.grow at byte");
  expect_refused(R"((module (memory 1) (func) (func (result i32) memory.size)))", "16384",
                 "function 1 uses memory.size at byte");
}

TEST(CliShrinkMemory, RefusesWhatDoesNotFit) {
  expect_refused(kDriverLike, "8000", "mutable global 0 (the stack pointer) starts at 8192");
  expect_refused(R"((module (memory 1) (data (i32.const 16380) "12345")))", "16384",
                 "data segment 0 ends at byte 16385, beyond 16384 bytes");
  expect_refused(R"((module (memory 1) (global (export "__heap_base") i32 (i32.const 20000))))",
                 "16384", "__heap_base is 20000, beyond 16384 bytes");
  expect_refused(R"((module (import "env" "m" (memory 1))))", "16384", "the memory is imported");
  expect_refused(R"((module (func)))", "16384", "the module has no memory");
  expect_refused(R"((module (global (import "env" "g") i32) (memory 1)
    (data (global.get 0) "x")))", "16384", "data segment 0 has a computed offset");
}

TEST(CliShrinkMemory, RejectsBadArguments) {
  ScratchDir dir;
  const std::string in = assemble(dir, "in", kDriverLike);
  auto r = wasmio({"shrink-memory", in, dir.file("o.wasm"), "--bytes", "0"});
  EXPECT_EQ(r.exit_status, 2);
  r = wasmio({"shrink-memory", dir.file("missing.wasm"), dir.file("o.wasm"), "--bytes", "16"});
  EXPECT_EQ(r.exit_status, 1);
  const std::string bad = dir.write("bad.wasm", std::string("\0asm\x01\0\0\0\x05", 9));
  r = wasmio({"shrink-memory", bad, dir.file("o.wasm"), "--bytes", "16"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("decode error"));
}

#ifdef WASMIO_DRIVER_16K
// drivers/apps/uart_hello.c built with wasmio_add_driver(... MEMORY_BYTES 16384).
TEST(CliShrinkMemory, SixteenKiBDriverRunsOnTheSimulatedBoard) {
  // One memory of min = max = 16384 1-byte pages.
  const std::string bytes = read_file(WASMIO_DRIVER_16K);
  EXPECT_NE(bytes.find(std::string("\x05\x09\x01\x09\x80\x80\x01\x80\x80\x01\x00", 11)),
            std::string::npos);
  auto r = wasmio({"run", "--board", WASMIO_AN385_DTB, WASMIO_DRIVER_16K});
  EXPECT_EQ(r.exit_status, 0) << r.err << r.out;
  EXPECT_THAT(r.out, HasSubstr("hello from a wasm driver"));
  EXPECT_THAT(r.out, HasSubstr("i32:26"));  // main's result: the bytes written
}
#endif

}  // namespace
}  // namespace wasmio::testing
