// Shared helpers of the runtime tests: modules from WebAssembly text (wabt's wat2wasm) and an
// allocator hook that can be told to refuse.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "wasmio/allocator.h"
#include "wasmio/engine.h"
#include "wat_assembler.h"

namespace wasmio::runtime_test {

// Assembles `wat` with wat2wasm; empty (and a test failure) when the text does not assemble.
inline std::vector<std::uint8_t> wat_to_wasm(const std::string& wat) {
  return test_support::assemble_wat(wat);
}

// Loads a module from text (fully lowered); nullptr and a test failure otherwise.
inline std::unique_ptr<Module> load_wat(const std::string& wat) {
  const std::vector<std::uint8_t> bytes = wat_to_wasm(wat);
  if (bytes.empty()) return nullptr;
  auto module = Module::load(bytes);
  if (!module) {
    ADD_FAILURE() << "Module::load failed: " << module.error().message() << " at "
                  << module.error().offset;
    return nullptr;
  }
  return std::move(*module);
}

// While alive, routes the engine's allocations to malloc/free and refuses every request larger
// than `max_request` bytes. (Both this hook and the default one use malloc/free, so blocks may
// cross the switch.)
class RefusingAllocator {
 public:
  explicit RefusingAllocator(std::size_t max_request) : max_request_(max_request) {
    previous_ = current_allocator();
    AllocatorHooks hooks;
    hooks.allocate = [](std::size_t size, std::size_t, void* context) -> void* {
      auto* self = static_cast<RefusingAllocator*>(context);
      if (size > self->max_request_) {
        ++self->refusals_;
        return nullptr;
      }
      return std::malloc(size == 0 ? 1 : size);
    };
    hooks.deallocate = [](void* pointer, std::size_t, std::size_t, void*) { std::free(pointer); };
    hooks.context = this;
    set_allocator(hooks);
  }
  ~RefusingAllocator() { set_allocator(previous_); }
  RefusingAllocator(const RefusingAllocator&) = delete;
  RefusingAllocator& operator=(const RefusingAllocator&) = delete;

  int refusals() const { return refusals_; }

 private:
  std::size_t max_request_;
  int refusals_ = 0;
  AllocatorHooks previous_;
};

}  // namespace wasmio::runtime_test
