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

namespace wasmio::runtime_test {

// Assembles `wat` with wat2wasm; empty (and a test failure) when the text does not assemble.
inline std::vector<std::uint8_t> wat_to_wasm(const std::string& wat) {
  char dir[] = "/tmp/wasmio_runtime_XXXXXX";
  if (mkdtemp(dir) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    return {};
  }
  const std::string in = std::string(dir) + "/m.wat";
  const std::string out = std::string(dir) + "/m.wasm";
  const std::string log = std::string(dir) + "/log.txt";
  std::ofstream(in) << wat;
  const std::string command =
      std::string(WASMIO_WAT2WASM) + " " + in + " -o " + out + " > " + log + " 2>&1";
  std::vector<std::uint8_t> bytes;
  if (std::system(command.c_str()) == 0) {
    std::ifstream f(out, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  } else {
    std::ifstream f(log);
    ADD_FAILURE() << "wat2wasm failed:\n"
                  << std::string(std::istreambuf_iterator<char>(f), {}) << "\n"
                  << wat;
  }
  std::remove(in.c_str());
  std::remove(out.c_str());
  std::remove(log.c_str());
  rmdir(dir);
  return bytes;
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
