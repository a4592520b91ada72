// The guest SDK end to end: the example driver, compiled by CMake with stock clang for each
// access path, carries a manifest the parser reads back exactly as its macros declare it, and
// its imports pass the module check for its own path.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "io/bind/binding.h"
#include "io/bind/module_check.h"
#include "io/board/devicetree.h"
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

Manifest with_path(Manifest m, AccessPath path) {
  m.access_path = path;
  if (path == AccessPath::kMapped) {  // the SDK's default range
    m.map_base = 0xF0000000;
    m.map_size = 0x01000000;
  }
  return m;
}

// What uart_echo.c declares with the SDK macros.
Manifest uart_echo_manifest() {
  Manifest m;
  m.driver = "cmsdk-uart-echo";
  PeripheralNeed console;
  console.label = "console";
  console.compatible = {"arm,cmsdk-uart"};
  console.windows.push_back(WindowNeed{0, kWidth32, 0x14, {{0x00, 4}, {0x04, 4}, {0x0C, 4}}});
  console.irqs.push_back(IrqNeed{0, 2, 20000, 80, "on_console_irq"});
  console.properties = {"clock-frequency"};
  m.peripherals.push_back(console);
  return m;
}

// What fpgaio_blink's two files declare: blink.c links first, so its records come first.
Manifest fpgaio_blink_manifest() {
  Manifest m;
  m.driver = "fpgaio-blink";
  PeripheralNeed leds;
  leds.label = "leds";
  leds.compatible = {"arm,mps2-fpgaio"};
  leds.flags = kPeripheralExclusive;
  leds.windows.push_back(WindowNeed{0, kWidth32, 0x24, {{0x08, 4}, {0x10, 12}, {0x20, 4}}});
  PeripheralNeed tick;
  tick.label = "tick";
  tick.compatible = {"arm,cmsdk-timer"};
  tick.flags = kPeripheralOptional;
  tick.windows.push_back(WindowNeed{0, kWidth32, 0x10, {{0x04, 4}, {0x0C, 4}}});
  tick.irqs.push_back(IrqNeed{0, 3, 2000, 10000, "on_tick"});
  m.peripherals = {leds, tick};
  return m;
}

struct PathCase {
  const char* file;
  Manifest (*manifest)();
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
  EXPECT_EQ(parsed.manifest(), with_path(c.manifest(), c.path));

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
        PathCase{"uart_echo_host_call", uart_echo_manifest, AccessPath::kHostCall,
                 {"property_read", "reg_read32", "reg_write32", "window_handle"}},
        // Mapped: registers are plain loads/stores; only the window's address comes from a call.
        PathCase{"uart_echo_mapped", uart_echo_manifest, AccessPath::kMapped,
                 {"property_read", "window_base", "window_handle"}},
        // Copy: volatile registers still go through calls; the rest through the shadow.
        PathCase{"uart_echo_copy", uart_echo_manifest, AccessPath::kCopy,
                 {"property_read", "reg_read32", "reg_write32", "shadow_push", "window_handle"}},
        PathCase{"fpgaio_blink_host_call", fpgaio_blink_manifest, AccessPath::kHostCall,
                 {"reg_read32", "reg_write32", "window_handle"}},
        PathCase{"fpgaio_blink_mapped", fpgaio_blink_manifest, AccessPath::kMapped,
                 {"window_base", "window_handle"}},
        PathCase{"fpgaio_blink_copy", fpgaio_blink_manifest, AccessPath::kCopy,
                 {"reg_read32", "reg_write32", "shadow_pull", "shadow_push", "window_handle"}}),
    [](const ::testing::TestParamInfo<PathCase>& info) { return std::string(info.param.file); });

#ifdef WASMIO_BOARDS_DIR
// From the compiled driver to grants on the real board: wasm -> manifest -> check -> bind.
TEST(SdkExampleOnAn385, BothExamplesBindSideBySide) {
  DevicetreeLoad tree = load_devicetree_file(std::string(WASMIO_BOARDS_DIR) + "/mps2-an385.dtb");
  ASSERT_TRUE(tree) << tree.error;
  GrantRegistry registry(tree.tree->board());
  std::vector<Driver> drivers;
  drivers.push_back(load("uart_echo_copy"));
  drivers.push_back(load("fpgaio_blink_mapped"));
  std::vector<ContainerBinding> bound;
  for (Driver& d : drivers) {
    ASSERT_NE(d.module, nullptr);
    ManifestParseResult parsed = parse_manifest(manifest_sections(*d.module).at(0).bytes);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message();
    BindResult r = registry.bind(parsed.manifest().driver, parsed.manifest());
    ASSERT_TRUE(r.ok()) << r.refusal().message();
    bound.push_back(r.binding());
  }
  EXPECT_EQ(bound[0].windows[0].address, 0x40004000u);  // uart0
  EXPECT_EQ(bound[0].irqs[0].line, 0u);
  ASSERT_EQ(bound[1].windows.size(), 2u);
  EXPECT_EQ(bound[1].windows[0].address, 0x40028000u);  // FPGAIO
  EXPECT_EQ(bound[1].windows[0].guest_address, 0xF0000000u);
  EXPECT_EQ(bound[1].windows[1].address, 0x40000000u);  // timer0, the optional tick
  EXPECT_EQ(bound[1].windows[1].guest_address, 0xF0001000u);
  EXPECT_EQ(bound[1].irqs[0].line, 8u);
  EXPECT_TRUE(bound[1].find("leds")->exclusive);
  // A second blink cannot have the LEDs: fpgaio is held exclusively.
  ManifestParseResult again = parse_manifest(manifest_sections(*drivers[1].module).at(0).bytes);
  BindResult second = registry.bind("blink-2", again.manifest());
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(second.refusal().has(RefusalKind::kExclusivelyGranted)) << second.refusal().message();
}
#endif

#else

TEST(SdkExample, NeedsTheSdkInTheBuild) {
  GTEST_SKIP() << "sdk/ is not part of this build (add it to the top-level CMakeLists.txt)";
}

#endif

}  // namespace
}  // namespace wasmio::io
