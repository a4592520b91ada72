// The load-time check that a driver module's imports and exports agree with its manifest.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/bind/guest_abi.h"
#include "io/bind/module_check.h"

namespace wasmio::io {
namespace {

constexpr ValType kI32 = ValType::kI32;
const ValType kTwoI32[] = {kI32, kI32};
const ValType kThreeI32[] = {kI32, kI32, kI32};
const ValType kOneI32[] = {kI32};

ImportInfo function_import(std::string_view module, std::string_view name,
                           std::span<const ValType> params, std::span<const ValType> results) {
  ImportInfo i;
  i.module = module;
  i.name = name;
  i.kind = ExternKind::kFunction;
  i.function = FuncType{params, results};
  return i;
}

// An import exactly as the ABI table declares it.
ImportInfo abi_import(std::string_view name) {
  const GuestImport* g = find_guest_import(name);
  EXPECT_NE(g, nullptr) << name;
  return function_import(kGuestImportModule, name, g->params, g->results);
}

Manifest manifest_with_irq(AccessPath path) {
  Manifest m;
  m.driver = "d";
  m.access_path = path;
  PeripheralNeed p;
  p.label = "uart";
  p.compatible = {"arm,cmsdk-uart"};
  p.windows.push_back(WindowNeed{0, kWidth32, 0x14, {}});
  p.irqs.push_back(IrqNeed{0, 0, 100, 0, "on_uart"});
  m.peripherals.push_back(p);
  return m;
}

std::vector<ExportInfo> exports_with(std::string_view name, ExternKind kind = ExternKind::kFunction) {
  return {ExportInfo{"init", ExternKind::kFunction, 3}, ExportInfo{name, kind, 4}};
}

TEST(ModuleCheck, AcceptsAHostCallDriverMatchingItsManifest) {
  const Manifest m = manifest_with_irq(AccessPath::kHostCall);
  std::vector<ImportInfo> imports = {abi_import("window_handle"), abi_import("reg_read32"),
                                     abi_import("reg_write32"), abi_import("reg_read64"),
                                     function_import("env", "log", kOneI32, {})};
  ModuleCheckResult r = check_driver_module(imports, exports_with("on_uart"), &m);
  EXPECT_TRUE(r.ok()) << r.message();
}

TEST(ModuleCheck, EveryAbiImportIsOfferedOnSomePathAndHasASignature) {
  for (const GuestImport& g : guest_imports()) {
    EXPECT_NE(g.paths, 0) << g.name;
    EXPECT_FALSE(g.params.empty()) << g.name;  // every call names a window or a label
    EXPECT_EQ(find_guest_import(g.name), &g);
  }
  EXPECT_EQ(find_guest_import("reg_read128"), nullptr);
}

TEST(ModuleCheck, RefusesRegisterAccessWithoutAManifest) {
  std::vector<ImportInfo> imports = {abi_import("window_handle"), abi_import("reg_read32")};
  ModuleCheckResult r = check_driver_module(imports, {}, nullptr);
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[1],
            "imports wasmio.reg_read32 but has no wasmio.manifest section, so it declares no "
            "peripherals and may access none");
}

TEST(ModuleCheck, AcceptsAModuleWithoutManifestThatImportsNothingOfWasmio) {
  std::vector<ImportInfo> imports = {function_import("env", "log", kOneI32, {})};
  EXPECT_TRUE(check_driver_module(imports, {}, nullptr).ok());
}

TEST(ModuleCheck, RefusesUnknownImportsWrongKindsAndWrongSignatures) {
  const Manifest m = manifest_with_irq(AccessPath::kHostCall);
  ImportInfo as_global;
  as_global.module = "wasmio";
  as_global.name = "reg_read32";
  as_global.kind = ExternKind::kGlobal;
  std::vector<ImportInfo> imports = {
      function_import("wasmio", "dma_start", kTwoI32, kOneI32),
      as_global,
      function_import("wasmio", "reg_read32", kThreeI32, kOneI32),
      function_import("wasmio", "reg_read64", kTwoI32, kOneI32),
  };
  ModuleCheckResult r = check_driver_module(imports, exports_with("on_uart"), &m);
  ASSERT_EQ(r.problems.size(), 4u) << r.message();
  EXPECT_EQ(r.problems[0], "imports wasmio.dma_start, which the wasmio host does not provide");
  EXPECT_EQ(r.problems[1], "imports wasmio.reg_read32 as a global; it is a function");
  EXPECT_EQ(r.problems[2],
            "imports wasmio.reg_read32 with type (i32, i32, i32) -> (i32); the ABI type is "
            "(i32, i32) -> (i32)");
  EXPECT_EQ(r.problems[3],
            "imports wasmio.reg_read64 with type (i32, i32) -> (i32); the ABI type is "
            "(i32, i32) -> (i64)");
}

TEST(ModuleCheck, RefusesImportsOfAnotherAccessPath) {
  const Manifest host_call = manifest_with_irq(AccessPath::kHostCall);
  std::vector<ImportInfo> mapped_only = {abi_import("window_handle"), abi_import("window_base")};
  ModuleCheckResult r = check_driver_module(mapped_only, exports_with("on_uart"), &host_call);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0],
            "imports wasmio.window_base, which only the mapped access path offers, but the "
            "manifest declares the host-call path");

  const Manifest mapped = manifest_with_irq(AccessPath::kMapped);
  std::vector<ImportInfo> copy_only = {abi_import("shadow_pull"), abi_import("reg_read32")};
  r = check_driver_module(copy_only, exports_with("on_uart"), &mapped);
  ASSERT_EQ(r.problems.size(), 1u) << r.message();
  EXPECT_NE(r.problems[0].find("wasmio.shadow_pull, which only the copy access path"),
            std::string::npos);

  const Manifest copy = manifest_with_irq(AccessPath::kCopy);
  std::vector<ImportInfo> copy_imports = {abi_import("window_handle"), abi_import("shadow_pull"),
                                          abi_import("shadow_push"), abi_import("reg_write32"),
                                          abi_import("property_read")};
  EXPECT_TRUE(check_driver_module(copy_imports, exports_with("on_uart"), &copy).ok());
}

TEST(ModuleCheck, RefusesIrqHandlersTheModuleDoesNotExport) {
  const Manifest m = manifest_with_irq(AccessPath::kHostCall);
  ModuleCheckResult missing = check_driver_module({}, exports_with("on_other"), &m);
  ASSERT_EQ(missing.problems.size(), 1u);
  EXPECT_EQ(missing.problems[0],
            "IRQ 0 of 'uart' names handler 'on_uart', which the module does not export as a "
            "function");
  ModuleCheckResult wrong_kind =
      check_driver_module({}, exports_with("on_uart", ExternKind::kGlobal), &m);
  EXPECT_FALSE(wrong_kind.ok());
}

}  // namespace
}  // namespace wasmio::io
