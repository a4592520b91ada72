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
#include "wat_assembler.h"

namespace wasmio::front_test {

using Bytes = std::vector<std::uint8_t>;

// Assembles `wat`; `check` = false passes --no-check so that invalid modules assemble.
inline Bytes wat(const std::string& text, bool check = true) {
  return test_support::assemble_wat(text, check);
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
