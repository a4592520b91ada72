// Modules from WebAssembly text for the engine tests: wabt's wat2wasm in a temporary directory.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace wasmio::test_support {

// Assembles `text`; `check` = false passes --no-check so that invalid modules assemble. Empty
// (and a test failure with wat2wasm's message) when the text does not assemble.
inline std::vector<std::uint8_t> assemble_wat(const std::string& text, bool check = true) {
  char dir[] = "/tmp/wasmio_wat_XXXXXX";
  if (mkdtemp(dir) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    return {};
  }
  const std::string in = std::string(dir) + "/m.wat";
  const std::string out = std::string(dir) + "/m.wasm";
  const std::string log = std::string(dir) + "/log.txt";
  std::ofstream(in) << text;
  const std::string command = std::string(WASMIO_WAT2WASM) + (check ? "" : " --no-check") + " " +
                              in + " -o " + out + " > " + log + " 2>&1";
  std::vector<std::uint8_t> bytes;
  if (std::system(command.c_str()) == 0) {
    std::ifstream f(out, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  } else {
    std::ifstream f(log);
    ADD_FAILURE() << "wat2wasm failed:\n"
                  << std::string(std::istreambuf_iterator<char>(f), {}) << "\n" << text;
  }
  std::remove(in.c_str());
  std::remove(out.c_str());
  std::remove(log.c_str());
  rmdir(dir);
  return bytes;
}

}  // namespace wasmio::test_support
