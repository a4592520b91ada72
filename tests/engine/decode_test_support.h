// Helpers of the front-end tests: modules from text (wabt's wat2wasm, optionally without its
// validation so invalid modules can be built) and from hand-written section bytes.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <vector>

#include "common/leb_writer.h"
#include "wasmio/engine.h"

namespace wasmio::front_test {

using Bytes = std::vector<std::uint8_t>;

// Assembles `wat`; `check` = false passes --no-check so that invalid modules assemble.
inline Bytes wat(const std::string& text, bool check = true) {
  char dir[] = "/tmp/wasmio_front_XXXXXX";
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
  Bytes bytes;
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

inline Bytes leb_u32(std::uint32_t v) {
  Bytes out;
  detail::append_uleb128(out, v);
  return out;
}

// One section: id, LEB size, payload.
inline Bytes section(std::uint8_t id, const Bytes& payload) {
  Bytes out{id};
  const Bytes size = leb_u32(static_cast<std::uint32_t>(payload.size()));
  out.insert(out.end(), size.begin(), size.end());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

// The header followed by the given raw pieces.
inline Bytes module(std::initializer_list<Bytes> pieces) {
  Bytes out{0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  for (const Bytes& p : pieces) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Expected<std::unique_ptr<Module>> load(const Bytes& bytes,
                                              LoadStage stage = LoadStage::kValidate) {
  LoadOptions options;
  options.stage = stage;
  return Module::load(bytes, options);
}

// The error code of loading `bytes`, or nothing (and a test failure) when it loads.
inline ErrorCode load_error(const Bytes& bytes, LoadStage stage = LoadStage::kValidate) {
  auto loaded = load(bytes, stage);
  if (loaded) {
    ADD_FAILURE() << "module loaded but an error was expected";
    return ErrorCode::kUnreachable;
  }
  return loaded.error().code;
}

}  // namespace wasmio::front_test
