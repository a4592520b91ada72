#include "module_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace wasmio::cli {

bool read_module_file(const std::string& path, std::vector<std::uint8_t>* bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fmt::print(stderr, "wasmio: cannot read {}: {}\n", path, std::strerror(errno));
    return false;
  }
  bytes->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    fmt::print(stderr, "wasmio: cannot read {}: {}\n", path, std::strerror(errno));
    return false;
  }
  return true;
}

std::string describe_load_error(const Error& error) {
  if (error.phase() == Phase::kDecode || error.phase() == Phase::kValidate) {
    return fmt::format("{} error at byte 0x{:x}: {}", phase_name(error.phase()), error.offset,
                       error.message());
  }
  std::string s = fmt::format("{} error: {}", phase_name(error.phase()), error.message());
  if (error.index != Error::kNoIndex) s += fmt::format(" (index {})", error.index);
  return s;
}

std::unique_ptr<Module> load_module_file(const std::string& path, LoadStage stage) {
  std::vector<std::uint8_t> bytes;
  if (!read_module_file(path, &bytes)) return nullptr;
  LoadOptions options;
  options.stage = stage;
  auto module = Module::load(bytes, options);
  if (!module) {
    fmt::print(stderr, "wasmio: {}: {}\n", path, describe_load_error(module.error()));
    return nullptr;
  }
  return std::move(*module);
}

}  // namespace wasmio::cli
