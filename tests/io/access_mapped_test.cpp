// The mapped path: ordinary loads and stores above linear memory reach the granted window with
// the instruction's exact width; anything else in the map range traps the container only.
#include "container_test_support.h"

#include "io/sim/mps2_fpgaio.h"

namespace wasmio::io::test {
namespace {

const char* const kMappedModule = R"(
(module
  (import "wasmio" "window_handle" (func $handle (param i32 i32 i32) (result i32)))
  (import "wasmio" "window_base" (func $base (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "dev")
  (func (export "base") (result i32)
    (call $base (call $handle (i32.const 16) (i32.const 3) (i32.const 0))))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load16") (param i32) (result i32) (i32.load16_u (local.get 0)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load32_offset") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "store16") (param i32 i32) (i32.store16 (local.get 0) (local.get 1)))
  (func (export "store32") (param i32 i32) (i32.store (local.get 0) (local.get 1))))
)";

constexpr std::uint32_t kMapBase = 0xF0000000u;

class MappedPath : public ::testing::Test {
 protected:
  void SetUp() override {
    const Manifest m =
        one_window_manifest(AccessPath::kMapped, "dev", "test,regs", 0x20, kWidth8 | kWidth32);
    ContainerLoad load = raw.load(with_manifest(wat(kMappedModule), m));
    ASSERT_TRUE(load) << load.error;
    container = std::move(load.container);
    base = static_cast<std::uint32_t>(i32_result(container->call("base")));
  }
  CallResult call(const char* name, std::initializer_list<std::uint32_t> args) {
    std::vector<Value> values;
    for (std::uint32_t a : args) values.push_back(Value::i32(a));
    return container->call(name, values);
  }

  RawBoard raw;
  std::unique_ptr<DriverContainer> container;
  std::uint32_t base = 0;
};

TEST_F(MappedPath, TheWindowAppearsAtTheStartOfTheMapRange) { EXPECT_EQ(base, kMapBase); }

TEST_F(MappedPath, LoadsAndStoresBecomeRegisterAccessesOfTheSameWidth) {
  raw.word(0x40000010) = 0xA1B2C3D4;
  EXPECT_EQ(static_cast<std::uint32_t>(i32_result(call("load32", {base + 0x10}))), 0xA1B2C3D4u);
  EXPECT_EQ(static_cast<std::uint32_t>(i32_result(call("load32_offset", {base + 0x0C}))),
            0xA1B2C3D4u);
  EXPECT_EQ(i32_result(call("load8", {base + 0x11})), 0xC3);
  EXPECT_TRUE(call("store32", {base + 0x04, 0x01020304}).ok);
  EXPECT_EQ(raw.word(0x40000004), 0x01020304u);
  EXPECT_TRUE(call("store8", {base + 0x07, 0xFF}).ok);
  EXPECT_EQ(raw.word(0x40000004), 0xFF020304u);
}

TEST_F(MappedPath, OrdinaryMemoryIsUntouchedByTheWindow) {
  EXPECT_TRUE(call("store32", {0x100, 0x55AA55AA}).ok);
  EXPECT_EQ(static_cast<std::uint32_t>(i32_result(call("load32", {0x100}))), 0x55AA55AAu);
  for (std::uint32_t w : raw.memory) ASSERT_EQ(w, 0u);
}

TEST_F(MappedPath, RefusedAccessesTrapAsAccessViolations) {
  struct Case {
    const char* fn;
    std::uint32_t address;
    const char* why;
  };
  const Case cases[] = {
      {"load16", kMapBase, "access width not allowed"},
      {"store16", kMapBase, "access width not allowed"},
      {"load32", kMapBase + 0x20, "outside every granted window"},
      {"load8", kMapBase + 0x20, "outside every granted window"},
      {"load32", kMapBase + 0x1E, "misaligned"},
      {"load32", kMapBase + 0x02, "misaligned"},
      {"store32", kMapBase + 0x00FFFFFC, "outside every granted window"},
  };
  for (const Case& c : cases) {
    const CallResult r = c.fn[0] == 's' ? call(c.fn, {c.address, 1}) : call(c.fn, {c.address});
    EXPECT_FALSE(r.ok) << c.fn << " " << std::hex << c.address;
    EXPECT_EQ(r.error.code, ErrorCode::kAccessViolation) << r.message;
    EXPECT_NE(r.message.find(c.why), std::string::npos) << r.message;
  }
  const CallResult r64 = container->call("load64", std::vector<Value>{Value::i32(base)});
  EXPECT_EQ(r64.error.code, ErrorCode::kAccessViolation) << r64.message;
  for (std::uint32_t w : raw.memory) ASSERT_EQ(w, 0u);
}

TEST_F(MappedPath, OutOfBoundsBelowTheMapRangeStaysAnOrdinaryTrap) {
  const CallResult r = call("load32", {0x00100000});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.code, ErrorCode::kOutOfBoundsMemoryAccess) << r.message;
  EXPECT_TRUE(call("store32", {base, 9}).ok);  // and the container goes on
  EXPECT_EQ(raw.word(0x40000000), 9u);
}

// The window reaches the engine as a raw aperture: the interpreter accesses the registers
// itself, with the widths both the manifest and the backend allow.
TEST_F(MappedPath, ARawWindowBecomesARawEngineAperture) {
  const std::vector<DeviceAperture>& apertures = container->io().apertures;
  ASSERT_EQ(apertures.size(), 1u);
  EXPECT_EQ(apertures[0].guest_base, kMapBase);
  EXPECT_EQ(apertures[0].size, 0x20u);
  EXPECT_EQ(apertures[0].widths, kWidth8 | kWidth32);
  EXPECT_EQ(apertures[0].raw, reinterpret_cast<volatile std::uint8_t*>(&raw.word(0x40000000)));
  EXPECT_EQ(apertures[0].load, nullptr);
  // A cached window keeps refusing what it must (the inline check, not only the slow path).
  raw.word(0x40000000) = 5;
  EXPECT_EQ(i32_result(call("load32", {base})), 5);
  const CallResult r = call("load16", {base});
  EXPECT_EQ(r.error.code, ErrorCode::kAccessViolation) << r.message;
  EXPECT_NE(r.message.find("access width not allowed"), std::string::npos) << r.message;
  EXPECT_EQ(i32_result(call("load32", {base})), 5);  // and the container goes on
}

TEST(MappedPathSim, DrivesTheFpgaioLeds) {
  auto session = an385_session();
  ASSERT_TRUE(session);
  const Manifest m =
      one_window_manifest(AccessPath::kMapped, "dev", "arm,mps2-fpgaio", 0x24, kWidth32);
  ContainerLoad load = session->load(with_manifest(wat(kMappedModule), m), "leds.wasm");
  ASSERT_TRUE(load) << load.error;
  DriverContainer& c = *load.container;
  const auto base = static_cast<std::uint32_t>(i32_result(c.call("base")));
  EXPECT_TRUE(c.call("store32", std::vector<Value>{Value::i32(base), Value::i32(2)}).ok);
  auto* fpgaio = session->board().find_as<sim::Mps2Fpgaio>("fpgaio");
  ASSERT_NE(fpgaio, nullptr);
  EXPECT_EQ(fpgaio->leds(), 2u);
  fpgaio->set_button(1, true);
  EXPECT_EQ(i32_result(c.call("load32", std::vector<Value>{Value::i32(base + 8)})), 2);
  // A modelled window is a callback aperture into its backend.
  ASSERT_EQ(c.io().apertures.size(), 1u);
  EXPECT_EQ(c.io().apertures[0].raw, nullptr);
  EXPECT_NE(c.io().apertures[0].load, nullptr);
  const CallResult r = c.call("load8", std::vector<Value>{Value::i32(base + 1)});
  EXPECT_EQ(r.error.code, ErrorCode::kAccessViolation) << r.message;
  EXPECT_NE(r.message.find("access width not allowed"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace wasmio::io::test
