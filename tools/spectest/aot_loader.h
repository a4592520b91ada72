// The AOT tier on Linux (docs/design/0015): a module's generated C++ compiled by the system C++
// compiler into a shared object, cached by module hash, and loaded with dlopen. Lives in tools/
// because dlopen is an OS call the engine never makes.
#pragma once

#include <string>
#include <vector>

#include "wasmio/engine.h"

namespace wasmio::spectest {

struct AotLoaderOptions {
  std::string cache_dir;        // empty: $TMPDIR (or /tmp)/wasmio-aot-cache
  std::string compiler = "c++";
  std::string optimize = "-O1";
};

class AotLoader {
 public:
  explicit AotLoader(AotLoaderOptions options);
  ~AotLoader();  // unloads the objects: destroy every instance using them first
  AotLoader(const AotLoader&) = delete;
  AotLoader& operator=(const AotLoader&) = delete;

  // The native image of `module`: emitted, compiled (unless cached) and loaded. nullptr with
  // `*error` set when any step fails. `rebuild` ignores a cached object.
  const AotImage* load(const Module& module, std::string* error, bool rebuild = false);

 private:
  std::string compiler_command() const;
  std::string precompiled_header();

  AotLoaderOptions options_;
  std::vector<void*> handles_;
  int pch_state_ = 0;  // 0 not tried, 1 usable, 2 unavailable
  std::string pch_flag_;
};

}  // namespace wasmio::spectest
