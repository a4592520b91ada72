// One kernel module loaded and instantiated in the wasmio engine through the public API.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "stopwatch.h"
#include "wasmio/engine.h"

namespace wasmio::bench {

// The result of a call: the checksum, or what went wrong (load, link, trap, wrong result shape).
struct CallResult {
  bool ok = false;
  std::uint32_t checksum = 0;
  std::string error;
};

class WasmKernel {
 public:
  // Reads, loads and instantiates `path`; the import bench.host_mix is bound to the host
  // function. With `native`, the instance runs from that AOT image. On failure ok() is false
  // and error() says why.
  WasmKernel(const std::string& path, Clock clock, const AotImage* native = nullptr);
  ~WasmKernel();
  WasmKernel(const WasmKernel&) = delete;
  WasmKernel& operator=(const WasmKernel&) = delete;

  bool ok() const noexcept { return error_.empty(); }
  const std::string& error() const noexcept { return error_; }
  double load_seconds() const noexcept { return load_seconds_; }
  double instantiate_seconds() const noexcept { return instantiate_seconds_; }
  std::size_t module_bytes() const noexcept { return bytes_.size(); }

  CallResult run(std::uint32_t size, std::uint32_t reps);
  CallResult smoke();

 private:
  CallResult call(FunctionInstance* function, std::span<const Value> args);

  std::string error_;
  std::vector<std::uint8_t> bytes_;
  std::unique_ptr<Module> module_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Execution> execution_;
  FunctionInstance* run_ = nullptr;
  FunctionInstance* smoke_ = nullptr;
  double load_seconds_ = 0;
  double instantiate_seconds_ = 0;
};

// "phase: message (offset N)" for an engine error.
std::string describe(const Error& error);

}  // namespace wasmio::bench
