// Shared helpers of the execution tests: a module instantiated from text, and typed calls.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "runtime_test_support.h"
#include "wasmio/engine.h"

namespace wasmio::exec_test {

// A store with one instance of a module written in text.
struct Loaded {
  std::unique_ptr<Module> module;
  std::unique_ptr<Store> store = std::make_unique<Store>();
  Instance* instance = nullptr;

  FunctionInstance* function(const char* name) const {
    FunctionInstance* f = instance != nullptr ? instance->exported_function(name) : nullptr;
    EXPECT_NE(f, nullptr) << "no exported function " << name;
    return f;
  }
};

// Like runtime_test::load_wat, keeping the text's function names in a name section.
inline std::unique_ptr<Module> load_wat_with_names(const std::string& wat) {
  char dir[] = "/tmp/wasmio_exec_XXXXXX";
  if (mkdtemp(dir) == nullptr) return nullptr;
  const std::string in = std::string(dir) + "/m.wat";
  const std::string out = std::string(dir) + "/m.wasm";
  std::ofstream(in) << wat;
  const std::string command = std::string(WASMIO_WAT2WASM) + " --debug-names " + in + " -o " + out;
  std::vector<std::uint8_t> bytes;
  if (std::system(command.c_str()) == 0) {
    std::ifstream f(out, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  std::remove(in.c_str());
  std::remove(out.c_str());
  rmdir(dir);
  if (bytes.empty()) {
    ADD_FAILURE() << "wat2wasm failed:\n" << wat;
    return nullptr;
  }
  auto module = Module::load(bytes);
  if (!module) {
    ADD_FAILURE() << "Module::load failed: " << module.error().message();
    return nullptr;
  }
  return std::move(*module);
}

// `imports` are the externs in import order (host functions must be added to `store` first, so
// pass a prepared store when there are imports).
inline Loaded load(const std::string& wat, std::unique_ptr<Store> store = nullptr,
                   std::vector<Extern> imports = {}) {
  Loaded l;
  if (store) l.store = std::move(store);
  l.module = load_wat_with_names(wat);
  if (!l.module) return l;
  auto instance = l.store->instantiate(*l.module, imports);
  if (!instance) {
    ADD_FAILURE() << "instantiate failed: " << instance.error().message();
    return l;
  }
  l.instance = *instance;
  return l;
}

// Calls and expects a return; the first result's raw bits (0 when there is none).
inline std::uint64_t call_ok(Execution& ex, FunctionInstance* f, std::initializer_list<Value> args) {
  auto r = ex.invoke(f, std::span<const Value>(args.begin(), args.size()));
  if (!r) {
    ADD_FAILURE() << "trap: " << r.error().message();
    return 0;
  }
  EXPECT_EQ(*r, RunState::kReturned);
  if (ex.results().empty()) return 0;
  const Value& v = ex.results()[0];
  return v.type == ValType::kI32 || v.type == ValType::kF32 ? v.of.i32 : v.of.i64;
}

// Calls and expects a trap; its error code.
inline ErrorCode call_trap(Execution& ex, FunctionInstance* f, std::initializer_list<Value> args) {
  auto r = ex.invoke(f, std::span<const Value>(args.begin(), args.size()));
  if (r) {
    ADD_FAILURE() << "expected a trap";
    return ErrorCode::kUnreachable;
  }
  EXPECT_EQ(r.error().phase(), Phase::kExecute);
  return r.error().code;
}

}  // namespace wasmio::exec_test
