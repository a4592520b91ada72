// Shared by the access_*, container_* and driver_* tests: small driver modules assembled from
// text with a manifest appended, a hand-made board, the built drivers and the AN385 session.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "bind_test_board.h"
#include "io/container/board_session.h"
#include "io/container/driver_container.h"
#include "io/manifest/manifest_writer.h"

namespace wasmio::io::test {

inline std::vector<std::uint8_t> read_binary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// Assembles WebAssembly text with wabt's wat2wasm.
inline std::vector<std::uint8_t> wat(const std::string& text) {
  char dir[] = "/tmp/wasmio-io-test-XXXXXX";
  if (mkdtemp(dir) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    return {};
  }
  const std::string source = std::string(dir) + "/m.wat";
  const std::string binary = std::string(dir) + "/m.wasm";
  { std::ofstream(source) << text; }
  const std::string command =
      std::string(WASMIO_WAT2WASM) + " " + source + " -o " + binary + " 2>&1";
  const int status = std::system(command.c_str());
  std::vector<std::uint8_t> bytes = read_binary(binary);
  std::remove(source.c_str());
  std::remove(binary.c_str());
  rmdir(dir);
  EXPECT_EQ(status, 0) << "wat2wasm failed on:\n" << text;
  return bytes;
}

// Appends a custom section (custom sections may follow every other section).
inline void append_custom_section(std::vector<std::uint8_t>& module, const std::string& name,
                                  const std::vector<std::uint8_t>& payload) {
  auto leb = [](std::vector<std::uint8_t>& out, std::uint32_t v) {
    do {
      std::uint8_t b = v & 0x7F;
      v >>= 7;
      out.push_back(v != 0 ? (b | 0x80) : b);
    } while (v != 0);
  };
  std::vector<std::uint8_t> body;
  leb(body, static_cast<std::uint32_t>(name.size()));
  body.insert(body.end(), name.begin(), name.end());
  body.insert(body.end(), payload.begin(), payload.end());
  module.push_back(0);
  leb(module, static_cast<std::uint32_t>(body.size()));
  module.insert(module.end(), body.begin(), body.end());
}

inline std::vector<std::uint8_t> with_manifest(std::vector<std::uint8_t> module,
                                               const Manifest& manifest) {
  append_custom_section(module, std::string(kManifestSectionName), write_manifest(manifest));
  return module;
}

// A manifest with one peripheral `label` matching `compatible`, one window 0.
inline Manifest one_window_manifest(AccessPath path, const std::string& label,
                                    const std::string& compatible, std::uint32_t size,
                                    std::uint8_t widths,
                                    std::vector<VolatileRange> volatile_ranges = {}) {
  Manifest m;
  m.driver = "test-driver";
  m.access_path = path;
  if (path == AccessPath::kMapped) {
    m.map_base = 0xF0000000u;
    m.map_size = 0x01000000u;
  }
  PeripheralNeed p;
  p.label = label;
  p.compatible = {compatible};
  WindowNeed w;
  w.index = 0;
  w.widths = widths;
  w.min_size = size;
  w.volatile_ranges = std::move(volatile_ranges);
  p.windows.push_back(w);
  m.peripherals.push_back(p);
  return m;
}

// Plain memory standing in for registers at CPU addresses [0x40000000, 0x40010000): two
// devices, "test,regs" at 0x40000000 and "test,other" at 0x40001000, 4 KiB each.
struct RawBoard {
  static constexpr std::uint64_t kBase = 0x40000000;
  static constexpr std::uint64_t kSize = 0x10000;
  std::vector<std::uint32_t> memory = std::vector<std::uint32_t>(kSize / 4, 0);
  testing::TestBoard nodes;
  std::unique_ptr<GrantRegistry> registry;
  std::unique_ptr<RawMemoryWindows> windows;

  RawBoard() {
    nodes.add({"/regs@40000000", "regs", {"test,regs"}, {{0x40000000, 0x1000}}, {}, {}});
    nodes.add({"/other@40001000", "other", {"test,other"}, {{0x40001000, 0x1000}}, {}, {}});
    registry = std::make_unique<GrantRegistry>(nodes.board());
    windows = std::make_unique<RawMemoryWindows>(kBase, kSize, memory.data());
  }
  std::uint32_t& word(std::uint64_t address) { return memory[(address - kBase) / 4]; }
  ContainerLoad load(const std::vector<std::uint8_t>& bytes, const std::string& name = "") {
    ContainerOptions options;
    options.name = name;
    return DriverContainer::load(bytes, "test.wasm", *registry, *windows, options);
  }
};

inline std::string an385_dtb() { return std::string(WASMIO_BOARDS_DIR) + "/mps2-an385.dtb"; }

inline std::unique_ptr<BoardSession> an385_session() {
  std::string error;
  auto session = BoardSession::open_file(an385_dtb(), &error);
  EXPECT_TRUE(session != nullptr) << error;
  return session;
}

// A driver built by drivers/CMakeLists.txt: NAME_host_call.wasm, NAME_mapped.wasm, ...
inline std::vector<std::uint8_t> built_driver(const std::string& name, const std::string& path) {
  const std::string file = std::string(WASMIO_DRIVERS_DIR) + "/" + name + "_" + path + ".wasm";
  std::vector<std::uint8_t> bytes = read_binary(file);
  EXPECT_FALSE(bytes.empty()) << "missing " << file;
  return bytes;
}

inline std::int32_t i32_result(const CallResult& r) {
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.results.size(), 1u);
  return r.ok && !r.results.empty() ? static_cast<std::int32_t>(r.results[0].of.i32) : 0;
}

}  // namespace wasmio::io::test
