#include "aot_loader.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "aot/aot_abi.h"

namespace wasmio::platform::linux_host {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSymbol = "wasmio_aot_image";

}  // namespace

std::string shell_quote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string aot_compiler_command(const std::string& compiler, const std::string& optimize) {
  return fmt::format("{} -std=c++20 {} -fPIC -fno-exceptions -fno-rtti -ffp-contract=off -fsignaling-nans -I{} -I{}", compiler,
                     optimize, shell_quote(WASMIO_AOT_ENGINE_DIR), shell_quote(WASMIO_AOT_INCLUDE_DIR));
}

AotLoader::AotLoader(AotLoaderOptions options) : options_(std::move(options)) {
  if (options_.cache_dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    options_.cache_dir = fmt::format("{}/wasmio-aot-cache", tmp != nullptr && *tmp != '\0' ? tmp : "/tmp");
  }
}

std::string AotLoader::compiler_command() const {
  return aot_compiler_command(options_.compiler, options_.optimize);
}

// Every generated file includes aot/aot_abi.h first; parsing it is most of a small module's
// compile time, so it is precompiled once per cache (GCC looks for aot/aot_abi.h.gch in each
// include directory before the header itself). Empty (no -I) when that fails.
std::string AotLoader::precompiled_header() {
  if (pch_state_ == 0) {
    pch_state_ = 2;
    // GCC uses a .gch without checking the headers it was made from: the name carries what
    // identifies them (the ABI, the layout, and this executable's build time, which changes
    // whenever the engine headers do).
    struct stat self{};
    stat("/proc/self/exe", &self);
    const std::string dir = fmt::format("{}/pch{}-{}-{:x}-{}", options_.cache_dir, options_.optimize,
                                        detail::aot::kAbiVersion, detail::aot::kLayout,
                                        static_cast<long long>(self.st_mtime));
    const std::string gch = dir + "/aot/aot_abi.h.gch";
    std::error_code ec;
    if (!fs::exists(gch)) {
      fs::create_directories(dir + "/aot", ec);
      const std::string tmp = fmt::format("{}.{}", gch, getpid());
      const std::string command = fmt::format("{} -x c++-header -o {} {}/aot/aot_abi.h 2>/dev/null", compiler_command(),
                                              shell_quote(tmp), WASMIO_AOT_ENGINE_DIR);
      if (std::system(command.c_str()) == 0) fs::rename(tmp, gch, ec);
      if (ec) std::remove(tmp.c_str());
    }
    if (fs::exists(gch)) {
      pch_state_ = 1;
      pch_flag_ = "-I" + shell_quote(dir);
    }
  }
  return pch_state_ == 1 ? pch_flag_ : std::string();
}

AotLoader::~AotLoader() {
  for (void* handle : handles_) dlclose(handle);
}

const AotImage* AotLoader::load(const Module& module, std::string* error, bool rebuild) {
  const std::uint64_t hash = aot_module_hash(module.bytes());
  std::error_code ec;
  fs::create_directories(options_.cache_dir, ec);
  // The name covers the module bytes and the flags; an object of another engine build is
  // refused by attach_native, and the caller asks again with `rebuild`.
  const std::string stem = fmt::format("{}/{:016x}-{}{}-{}-{:x}", options_.cache_dir, hash, module.bytes().size(),
                                       options_.optimize, detail::aot::kAbiVersion, detail::aot::kLayout);
  const std::string object = stem + ".so";
  {
    if (rebuild || !fs::exists(object)) {
      std::string text;
      auto sink = [](void* context, std::string_view piece) { static_cast<std::string*>(context)->append(piece); };
      auto emitted = aot_emit_source(module, kSymbol, sink, &text);
      if (!emitted) {
        *error = fmt::format("aot: cannot emit: {} (function {})", emitted.error().message(), emitted.error().index);
        return nullptr;
      }
      // Private names, then an atomic rename: parallel runs share the cache safely.
      const std::string tag = fmt::format("{}.{}", stem, getpid());
      const std::string source = tag + ".cpp";
      {
        std::ofstream out(source, std::ios::binary);
        out << text;
        if (!out) {
          *error = fmt::format("aot: cannot write {}", source);
          return nullptr;
        }
      }
      const std::string command = fmt::format("{} {} -shared -o {} {}", compiler_command(), precompiled_header(),
                                              shell_quote(tag + ".so"), shell_quote(source));
      const int status = std::system(command.c_str());
      std::remove(source.c_str());
      if (status != 0) {
        *error = fmt::format("aot: the C++ compiler failed ({})", command);
        return nullptr;
      }
      fs::rename(tag + ".so", object, ec);
      if (ec) {
        *error = fmt::format("aot: cannot rename {}: {}", object, ec.message());
        return nullptr;
      }
    }
    void* handle = dlopen(object.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      *error = fmt::format("aot: dlopen {}: {}", object, dlerror());
      return nullptr;
    }
    const auto* image = static_cast<const AotImage*>(dlsym(handle, kSymbol));
    if (image == nullptr) {
      dlclose(handle);
      *error = fmt::format("aot: {} has no {}", object, kSymbol);
      return nullptr;
    }
    handles_.push_back(handle);
    return image;
  }
}

}  // namespace wasmio::platform::linux_host
