// The AOT tier on Linux (docs/design/0015): a module's generated C++ compiled by the system C++
// compiler into a shared object, cached by module hash, and loaded with dlopen. A platform file:
// dlopen and the compiler are OS facilities the engine never uses. Used by `wasmio run --aot`,
// `wasmio aot --shared` and `wasmio-spectest --tier aot`.
#pragma once

#include <string>
#include <vector>

#include "wasmio/engine.h"

namespace wasmio::platform::linux_host {

struct AotLoaderOptions {
  std::string cache_dir;        // empty: $TMPDIR (or /tmp)/wasmio-aot-cache
  std::string compiler = "c++";
  std::string optimize = "-O1";
};

// The command line that compiles generated code (without -shared/-o/input): the flags Wasm
// semantics need (no float contraction, signalling NaNs kept) and this build's engine headers.
std::string aot_compiler_command(const std::string& compiler, const std::string& optimize);
// `word` quoted for /bin/sh.
std::string shell_quote(const std::string& word);

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

}  // namespace wasmio::platform::linux_host
