// Loading refuses, with a complete message and nothing left behind: no manifest, a malformed
// manifest, imports the host does not offer, a device the board lacks, a window index the node
// lacks, a node held exclusively elsewhere, a failing start function. Removal frees grants.
#include "container_test_support.h"

namespace wasmio::io::test {
namespace {

const char* const kRegisterModule = R"(
(module
  (import "wasmio" "reg_read32" (func $r32 (param i32 i32) (result i32)))
  (memory 1)
  (func (export "read") (param i32) (result i32) (call $r32 (i32.const 0) (local.get 0))))
)";

const char* const kPlainModule = R"(
(module (memory 1) (func (export "main") (result i32) (i32.const 42)))
)";

TEST(ContainerRefusal, RegisterImportsWithoutAManifest) {
  RawBoard raw;
  const ContainerLoad load = raw.load(wat(kRegisterModule));
  ASSERT_FALSE(load);
  EXPECT_EQ(load.failure, LoadFailure::kCheck);
  EXPECT_NE(load.error.find("wasmio.reg_read32"), std::string::npos) << load.error;
  EXPECT_NE(load.error.find("no wasmio.manifest section"), std::string::npos) << load.error;
  EXPECT_EQ(raw.registry->container_count(), 0u);
}

TEST(ContainerRefusal, AModuleWithoutRegisterAccessNeedsNoManifest) {
  RawBoard raw;
  ContainerLoad load = raw.load(wat(kPlainModule), "plain");
  ASSERT_TRUE(load) << load.error;
  EXPECT_EQ(i32_result(load.container->call("main")), 42);
  EXPECT_TRUE(load.container->binding().windows.empty());
}

TEST(ContainerRefusal, NotAModule) {
  RawBoard raw;
  const std::vector<std::uint8_t> junk = {0x00, 0x61, 0x73, 0x6D, 0x02, 0, 0, 0};
  const ContainerLoad load = raw.load(junk);
  EXPECT_EQ(load.failure, LoadFailure::kModule);
  EXPECT_NE(load.error.find("unknown binary version"), std::string::npos) << load.error;
}

TEST(ContainerRefusal, MalformedAndDuplicateManifests) {
  RawBoard raw;
  std::vector<std::uint8_t> bad = wat(kRegisterModule);
  append_custom_section(bad, "wasmio.manifest", {9, 0, 1, 0, 0});  // unknown major version
  const ContainerLoad malformed = raw.load(bad);
  EXPECT_EQ(malformed.failure, LoadFailure::kManifest);
  EXPECT_NE(malformed.error.find("wasmio.manifest"), std::string::npos) << malformed.error;

  const Manifest m = one_window_manifest(AccessPath::kHostCall, "dev", "test,regs", 0x20, kWidth32);
  std::vector<std::uint8_t> twice = with_manifest(with_manifest(wat(kRegisterModule), m), m);
  const ContainerLoad duplicate = raw.load(twice);
  EXPECT_EQ(duplicate.failure, LoadFailure::kManifest);
  EXPECT_NE(duplicate.error.find("two wasmio.manifest sections"), std::string::npos);
  EXPECT_EQ(raw.registry->container_count(), 0u);
}

TEST(ContainerRefusal, ImportsOutsideModuleWasmio) {
  RawBoard raw;
  const ContainerLoad load = raw.load(wat(R"((module (import "env" "puts" (func (param i32)))))"));
  EXPECT_EQ(load.failure, LoadFailure::kCheck);
  EXPECT_NE(load.error.find("env.puts"), std::string::npos) << load.error;
}

TEST(ContainerRefusal, ImportsOfAnotherAccessPath) {
  RawBoard raw;
  const Manifest m = one_window_manifest(AccessPath::kHostCall, "dev", "test,regs", 0x20, kWidth32);
  const ContainerLoad load = raw.load(with_manifest(wat(R"(
    (module (import "wasmio" "shadow_pull" (func (param i32 i32 i32 i32) (result i32))) (memory 1)))"),
                                                    m));
  EXPECT_EQ(load.failure, LoadFailure::kCheck);
  EXPECT_NE(load.error.find("shadow_pull"), std::string::npos) << load.error;
}

TEST(ContainerRefusal, ADeviceTheBoardLacks) {
  RawBoard raw;
  Manifest m = one_window_manifest(AccessPath::kHostCall, "dev", "test,regs", 0x20, kWidth32);
  PeripheralNeed missing;
  missing.label = "radio";
  missing.compatible = {"acme,radio"};
  m.peripherals.push_back(missing);
  const ContainerLoad load = raw.load(with_manifest(wat(kRegisterModule), m));
  ASSERT_FALSE(load);
  EXPECT_EQ(load.failure, LoadFailure::kBinding);
  ASSERT_TRUE(load.refusal.has_value());
  EXPECT_TRUE(load.refusal->has(RefusalKind::kNoCompatibleNode));
  EXPECT_NE(load.error.find("radio"), std::string::npos) << load.error;
  EXPECT_NE(load.error.find("acme,radio"), std::string::npos) << load.error;
  // Nothing half-started: "dev" could have bound, but nothing was granted.
  EXPECT_EQ(raw.registry->container_count(), 0u);
  EXPECT_TRUE(raw.registry->holders(0).empty());
}

TEST(ContainerRefusal, AWindowIndexTheNodeLacks) {
  RawBoard raw;
  Manifest m = one_window_manifest(AccessPath::kHostCall, "dev", "test,regs", 0x20, kWidth32);
  m.peripherals[0].windows[0].index = 3;
  const ContainerLoad load = raw.load(with_manifest(wat(kRegisterModule), m));
  EXPECT_EQ(load.failure, LoadFailure::kBinding);
  ASSERT_TRUE(load.refusal.has_value());
  EXPECT_TRUE(load.refusal->has(RefusalKind::kWindowMissing)) << load.error;
}

TEST(ContainerRefusal, ANodeHeldExclusivelyElsewhereUntilItsHolderIsRemoved) {
  RawBoard raw;
  Manifest exclusive = one_window_manifest(AccessPath::kHostCall, "dev", "test,regs", 0x20, kWidth32);
  exclusive.peripherals[0].flags = kPeripheralExclusive;
  const Manifest shared = one_window_manifest(AccessPath::kHostCall, "dev", "test,regs", 0x20, kWidth32);
  ContainerLoad first = raw.load(with_manifest(wat(kRegisterModule), exclusive), "first");
  ASSERT_TRUE(first) << first.error;

  const ContainerLoad second = raw.load(with_manifest(wat(kRegisterModule), shared), "second");
  ASSERT_FALSE(second);
  ASSERT_TRUE(second.refusal.has_value());
  EXPECT_TRUE(second.refusal->has(RefusalKind::kExclusivelyGranted)) << second.error;
  EXPECT_NE(second.error.find("first"), std::string::npos) << second.error;
  EXPECT_EQ(raw.registry->container_count(), 1u);

  first.container.reset();  // removal frees the grants
  EXPECT_EQ(raw.registry->container_count(), 0u);
  ContainerLoad third = raw.load(with_manifest(wat(kRegisterModule), shared), "third");
  EXPECT_TRUE(third) << third.error;
}

TEST(ContainerRefusal, AFailingStartFunctionReleasesTheGrants) {
  RawBoard raw;
  const Manifest m = one_window_manifest(AccessPath::kHostCall, "dev", "test,regs", 0x20, kWidth32);
  const ContainerLoad load = raw.load(with_manifest(wat(R"(
    (module
      (import "wasmio" "reg_read32" (func $r32 (param i32 i32) (result i32)))
      (memory 1)
      (func $start (drop (call $r32 (i32.const 0) (i32.const 0x40))))
      (start $start)))"), m));
  ASSERT_FALSE(load);
  EXPECT_EQ(load.failure, LoadFailure::kInstance);
  EXPECT_NE(load.error.find("outside the register window"), std::string::npos) << load.error;
  EXPECT_EQ(raw.registry->container_count(), 0u);
}

TEST(ContainerRefusal, TheSameContainerNameTwice) {
  RawBoard raw;
  const Manifest m = one_window_manifest(AccessPath::kHostCall, "dev", "test,regs", 0x20, kWidth32);
  ContainerLoad a = raw.load(with_manifest(wat(kRegisterModule), m), "uart");
  ASSERT_TRUE(a) << a.error;
  const ContainerLoad b = raw.load(with_manifest(wat(kRegisterModule), m), "uart");
  ASSERT_FALSE(b);
  EXPECT_TRUE(b.refusal->has(RefusalKind::kContainerAlreadyBound));
  EXPECT_EQ(raw.registry->container_count(), 1u);
}

}  // namespace
}  // namespace wasmio::io::test
