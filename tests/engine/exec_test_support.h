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

// `imports` are the externs in import order (host functions must be added to `store` first, so
// pass a prepared store when there are imports).
inline Loaded load(const std::string& wat, std::unique_ptr<Store> store = nullptr,
                   std::vector<Extern> imports = {}) {
  Loaded l;
  if (store) l.store = std::move(store);
  l.module = runtime_test::load_wat(wat);
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
