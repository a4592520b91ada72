// Does a driver module's code agree with its manifest? Run at load time, before binding: a
// module that imports register access without declaring peripherals, imports functions of
// another access path, or names IRQ handlers it does not export is refused here.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "../manifest/manifest.h"
#include "wasmio/engine.h"

namespace wasmio::io {

struct ModuleCheckResult {
  std::vector<std::string> problems;  // every problem found, one sentence each

  bool ok() const noexcept { return problems.empty(); }
  explicit operator bool() const noexcept { return ok(); }
  std::string message() const;  // problems joined by "; "
};

// `manifest` is null when the module has no wasmio.manifest section.
ModuleCheckResult check_driver_module(std::span<const ImportInfo> imports,
                                      std::span<const ExportInfo> exports,
                                      const Manifest* manifest);

}  // namespace wasmio::io
