// Every path reaches the device with exactly the guest's widths, in program order, one access
// per guest access: a recording device model on the simulated bus sees the sequence.
#include "container_test_support.h"

#include <sys/mman.h>

#include <cstring>

#include "io/sim/sim_board.h"

namespace wasmio::io::test {
namespace {

struct Access {
  char kind;  // 'R' or 'W'
  std::uint64_t offset;
  unsigned width;
  std::uint64_t value;
  bool operator==(const Access&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Access& a) {
  return os << a.kind << "(" << a.offset << ", " << a.width << ", 0x" << std::hex << a.value
            << std::dec << ")";
}

class RecordingDevice final : public sim::SimDevice {
 public:
  RecordingDevice(sim::DeviceConfig config, sim::SimContext context, std::vector<Access>* log)
      : SimDevice(std::move(config), context), log_(log) {}
  std::string_view kind() const override { return "test,recorder"; }
  std::uint64_t read(std::uint64_t offset, unsigned width) override {
    const std::uint64_t value = 0x1000 + offset;
    log_->push_back({'R', offset, width, value});
    return value;
  }
  void write(std::uint64_t offset, unsigned width, std::uint64_t value) override {
    log_->push_back({'W', offset, width, value});
  }
  void reset() override {}

 private:
  std::vector<Access>* log_;
};

// A board with one recording device at 0x50000000 (4 KiB) and a node describing it.
struct RecordingBoard {
  std::vector<Access> log;
  sim::SimBoard board{25'000'000, 32, 3};
  testing::TestBoard nodes;
  std::unique_ptr<GrantRegistry> registry;
  std::unique_ptr<SimBoardWindows> windows;

  RecordingBoard() {
    sim::DeviceConfig config;
    config.label = "recorder";
    config.path = "/recorder@50000000";
    config.window = RegWindow{0x50000000, 0x1000};
    EXPECT_TRUE(board.add_device(std::make_unique<RecordingDevice>(config, board.context(), &log)));
    nodes.add({"/recorder@50000000", "recorder", {"test,recorder"}, {{0x50000000, 0x1000}}, {}, {}});
    registry = std::make_unique<GrantRegistry>(nodes.board());
    windows = std::make_unique<SimBoardWindows>(board);
  }
  std::unique_ptr<DriverContainer> load(AccessPath path, const char* text,
                                        std::vector<VolatileRange> volatile_ranges = {}) {
    const Manifest m = one_window_manifest(path, "dev", "test,recorder", 0x10,
                                           kWidth8 | kWidth16 | kWidth32, volatile_ranges);
    ContainerLoad load = DriverContainer::load(with_manifest(wat(text), m), "recorder.wasm",
                                               *registry, *windows);
    EXPECT_TRUE(load) << load.error;
    return std::move(load.container);
  }
};

TEST(AccessOrder, HostCallPath) {
  RecordingBoard rb;
  auto c = rb.load(AccessPath::kHostCall, R"(
    (module
      (import "wasmio" "reg_read16" (func $r16 (param i32 i32) (result i32)))
      (import "wasmio" "reg_read32" (func $r32 (param i32 i32) (result i32)))
      (import "wasmio" "reg_write8" (func $w8 (param i32 i32 i32)))
      (import "wasmio" "reg_write32" (func $w32 (param i32 i32 i32)))
      (memory 1)
      (func (export "run") (result i32)
        (call $w8 (i32.const 0) (i32.const 3) (i32.const 0xAB))
        (call $w32 (i32.const 0) (i32.const 8) (i32.const 0x12345678))
        (drop (call $r16 (i32.const 0) (i32.const 2)))
        (call $r32 (i32.const 0) (i32.const 12)))))");
  ASSERT_TRUE(c);
  EXPECT_EQ(i32_result(c->call("run")), 0x100C);
  EXPECT_EQ(rb.log, (std::vector<Access>{{'W', 3, 1, 0xAB}, {'W', 8, 4, 0x12345678},
                                         {'R', 2, 2, 0x1002}, {'R', 12, 4, 0x100C}}));
}

TEST(AccessOrder, MappedPath) {
  RecordingBoard rb;
  auto c = rb.load(AccessPath::kMapped, R"(
    (module
      (memory 1)
      (func (export "run") (result i32)
        (i32.store8 (i32.const 0xF0000003) (i32.const 0x1AB))
        (i32.store (i32.const 0xF0000008) (i32.const 0x12345678))
        (drop (i32.load16_u (i32.const 0xF0000002)))
        (i32.store16 offset=4 (i32.const 0xF0000000) (i32.const 0xBEEF))
        (i32.load8_s (i32.const 0xF000000C)))))");
  ASSERT_TRUE(c);
  EXPECT_EQ(i32_result(c->call("run")), 0x0C);  // 0x100C as a signed byte
  EXPECT_EQ(rb.log, (std::vector<Access>{{'W', 3, 1, 0xAB}, {'W', 8, 4, 0x12345678},
                                         {'R', 2, 2, 0x1002}, {'W', 4, 2, 0xBEEF},
                                         {'R', 12, 1, 0x100C}}));
}

TEST(AccessOrder, CopyPathPushesAscendingAndSkipsVolatile) {
  RecordingBoard rb;
  auto c = rb.load(AccessPath::kCopy, R"(
    (module
      (import "wasmio" "shadow_pull" (func $pull (param i32 i32 i32 i32) (result i32)))
      (import "wasmio" "shadow_push" (func $push (param i32 i32 i32 i32) (result i32)))
      (memory 1)
      (func (export "run") (result i32)
        (drop (call $pull (i32.const 0) (i32.const 0) (i32.const 16) (i32.const 0x100)))
        (i32.store (i32.const 0x108) (i32.const 7))
        (call $push (i32.const 0) (i32.const 0) (i32.const 16) (i32.const 0x100)))))",
                   {VolatileRange{4, 4}});
  ASSERT_TRUE(c);
  EXPECT_EQ(i32_result(c->call("run")), 0);
  EXPECT_EQ(rb.log, (std::vector<Access>{{'R', 0, 4, 0x1000}, {'R', 8, 4, 0x1008},
                                         {'R', 12, 4, 0x100C}, {'W', 0, 4, 0x1000},
                                         {'W', 8, 4, 7}, {'W', 12, 4, 0x100C}}));
}

// The raw backend over an ordinary memory mapping (what a UIO or /dev/mem mapping is).
TEST(AccessOrder, RawBackendOverAnMmapRegion) {
  void* mapping = mmap(nullptr, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(mapping, MAP_FAILED);
  testing::TestBoard nodes;
  nodes.add({"/regs@60000000", "regs", {"test,regs"}, {{0x60000000, 0x1000}}, {}, {}});
  GrantRegistry registry(nodes.board());
  RawMemoryWindows windows(0x60000000, 0x1000, mapping);
  const Manifest m = one_window_manifest(AccessPath::kMapped, "dev", "test,regs", 0x100,
                                         kWidth16 | kWidth32);
  {
    ContainerLoad load = DriverContainer::load(with_manifest(wat(R"(
      (module (memory 1)
        (func (export "run") (result i32)
          (i32.store (i32.const 0xF00000F0) (i32.const 0xCAFE0001))
          (i32.load16_u (i32.const 0xF00000F2)))))"), m), "raw.wasm", registry, windows);
    ASSERT_TRUE(load) << load.error;
    EXPECT_EQ(i32_result(load.container->call("run")), 0xCAFE);
    std::uint32_t word = 0;
    std::memcpy(&word, static_cast<std::uint8_t*>(mapping) + 0xF0, 4);
    EXPECT_EQ(word, 0xCAFE0001u);
  }
  munmap(mapping, 0x1000);
}

}  // namespace
}  // namespace wasmio::io::test
