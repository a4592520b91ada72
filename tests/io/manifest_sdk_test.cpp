// The guest SDK end to end: the example driver, compiled by CMake with stock clang for each
// access path, carries a manifest the parser reads back exactly as its macros declare it, and
// its imports pass the module check for its own path.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "io/bind/module_check.h"
#include "io/manifest/manifest_parser.h"
#include "wasmio/engine.h"

namespace wasmio::io {
namespace {

#ifdef WASMIO_SDK_EXAMPLES_DIR

struct Driver {
  std::vector<std::uint8_t> bytes;
  std::unique_ptr<Module> module;
};

Driver load(const std::string& name) {
  Driver d;
  const std::string path = std::string(WASMIO_SDK_EXAMPLES_DIR) + "/" + name + ".wasm";
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  d.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  LoadOptions options;
  options.stage = LoadStage::kDecode;
  auto loaded = Module::load(d.bytes, options);
  EXPECT_TRUE(loaded) << path << ": " << loaded.error().message();
  if (loaded) d.module = std::move(*loaded);
  return d;
}

// The manifest sections of a module (there must be exactly one).
std::vector<CustomSection> manifest_sections(const Module& m) {
  std::vector<CustomSection> out;
  for (std::uint32_t i = 0; i < m.custom_section_count(); ++i) {
    if (m.custom_section(i).name == kManifestSectionName) out.push_back(m.custom_section(i));
  }
  return out;
}

std::vector<std::string> wasmio_imports(const Module& m) {
  std::vector<std::string> out;
  for (std::uint32_t i = 0; i < m.import_count(); ++i) {
    if (m.import(i).module == "wasmio") out.emplace_back(m.import(i).name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// What uart_echo.c declares with the SDK macros.
Manifest expected_manifest(AccessPath path) {
  Manifest m;
  m.driver = "cmsdk-uart-echo";
  m.access_path = path;
  if (path == AccessPath::kMapped) {
    m.map_base = 0xF0000000;
    m.map_size = 0x01000000;
  }
  PeripheralNeed console;
  console.label = "console";
  console.compatible = {"arm,cmsdk-uart"};
  console.windows.push_back(WindowNeed{0, kWidth32, 0x14, {{0x00, 4}, {0x04, 4}, {0x0C, 4}}});
  console.irqs.push_back(IrqNeed{0, 2, 20000, 80, "on_console_irq"});
  console.properties = {"clock-frequency"};
  m.peripherals.push_back(console);
  return m;
}

struct PathCase {
  const char* file;
  AccessPath path;
  std::vector<std::string> imports;
};

class SdkExample : public ::testing::TestWithParam<PathCase> {};

TEST_P(SdkExample, CarriesTheDeclaredManifestAndMatchingImports) {
  const PathCase& c = GetParam();
  Driver d = load(c.file);
  ASSERT_NE(d.module, nullptr);
  std::vector<CustomSection> sections = manifest_sections(*d.module);
  ASSERT_EQ(sections.size(), 1u) << "the linker must merge all records into one section";
  ManifestParseResult parsed = parse_manifest(sections[0].bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(parsed.manifest(), expected_manifest(c.path));

  EXPECT_EQ(wasmio_imports(*d.module), c.imports);
  std::vector<ImportInfo> imports;
  for (std::uint32_t i = 0; i < d.module->import_count(); ++i) imports.push_back(d.module->import(i));
  std::vector<ExportInfo> exports;
  for (std::uint32_t i = 0; i < d.module->export_count(); ++i) exports.push_back(d.module->export_(i));
  ModuleCheckResult check = check_driver_module(imports, exports, &parsed.manifest());
  EXPECT_TRUE(check.ok()) << check.message();
  // The same module presented without its manifest is refused.
  EXPECT_FALSE(check_driver_module(imports, exports, nullptr).ok());
}

INSTANTIATE_TEST_SUITE_P(
    AccessPaths, SdkExample,
    ::testing::Values(
        PathCase{"uart_echo_host_call", AccessPath::kHostCall,
                 {"property_read", "reg_read32", "reg_write32", "window_handle"}},
        // Mapped: registers are plain loads/stores; only the window's address comes from a call.
        PathCase{"uart_echo_mapped", AccessPath::kMapped,
                 {"property_read", "window_base", "window_handle"}},
        // Copy: volatile registers still go through calls; the rest through the shadow.
        PathCase{"uart_echo_copy", AccessPath::kCopy,
                 {"property_read", "reg_read32", "reg_write32", "shadow_pull", "shadow_push",
                  "window_handle"}}),
    [](const ::testing::TestParamInfo<PathCase>& info) { return std::string(info.param.file); });

#else

TEST(SdkExample, NeedsTheSdkInTheBuild) {
  GTEST_SKIP() << "sdk/ is not part of this build (add it to the top-level CMakeLists.txt)";
}

#endif

}  // namespace
}  // namespace wasmio::io
