// Helpers of the AOT tier tests: a module from text, its native code compiled by the system C++
// compiler into a shared object and loaded (the dlopen path of docs/design/0015), and two
// instances of it, one interpreted and one native, to compare.
#pragma once

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "exec_test_support.h"

namespace wasmio::aot_test {

// A loaded shared object (unloaded last: declare it before the stores using it).
struct NativeCode {
  void* handle = nullptr;
  const AotImage* image = nullptr;
  ~NativeCode() {
    if (handle != nullptr) dlclose(handle);
  }
};

inline std::string emit_source(const Module& module) {
  std::string text;
  auto sink = [](void* context, std::string_view piece) { static_cast<std::string*>(context)->append(piece); };
  auto emitted = aot_emit_source(module, "wasmio_aot_image", sink, &text);
  EXPECT_TRUE(emitted.has_value()) << "emit failed";
  return text;
}

// Emits, compiles and loads; a failed step is a test failure (image stays nullptr).
inline void compile_native(const Module& module, NativeCode* out) {
  char dir[] = "/tmp/wasmio_aot_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string source = std::string(dir) + "/m.cpp";
  const std::string object = std::string(dir) + "/m.so";
  std::ofstream(source) << emit_source(module);
  const std::string command = std::string("c++ -std=c++20 -O1 -fPIC -shared -fno-exceptions -fno-rtti -ffp-contract=off -fsignaling-nans -I") +
                              WASMIO_AOT_ENGINE_DIR + " -I" + WASMIO_AOT_INCLUDE_DIR + " -o " + object + " " + source;
  const int status = std::system(command.c_str());
  ASSERT_EQ(status, 0) << command;
  out->handle = dlopen(object.c_str(), RTLD_NOW | RTLD_LOCAL);
  std::remove(source.c_str());
  std::remove(object.c_str());
  rmdir(dir);
  ASSERT_NE(out->handle, nullptr) << dlerror();
  out->image = static_cast<const AotImage*>(dlsym(out->handle, "wasmio_aot_image"));
  ASSERT_NE(out->image, nullptr);
}

}  // namespace wasmio::aot_test
